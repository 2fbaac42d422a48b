// The emulator's in-memory world after a scenario file has been read: plain data, times in
// scenario milliseconds (0 = when the emulator started).
import type { TaskStatus } from "../tat/task-status.js";
import type { Duration } from "./duration.js";
import type { RunScenario } from "./run-types.js";

export interface EmulatorCredential {
  secretId: string;
  secretKey: string;
  /** Required as X-TC-Token when present (temporary credentials). */
  token?: string;
  /** Epoch milliseconds (wall clock) after which the credential is rejected. */
  expiresAt?: number;
}

export interface TimelineEntry {
  atMs: number;
  status: TaskStatus;
}

export interface ScenarioTask {
  taskId: string;
  instanceId: string;
  /** Sorted by time; at most one terminal entry, and only as the last one. */
  timeline: TimelineEntry[];
  exitCode: number;
  /** Raw output text; the visible output is `output` repeated `outputRepeat` times. */
  output: string;
  /** Raw output bytes (scenario `outputBase64`); when present they are the output, not `output`. */
  outputBytes?: Uint8Array;
  outputRepeat: number;
  /** Scenario `outputChunks`: what the agent has sent by each time (`outputBytes` is all of it). */
  outputChunks?: { atMs: number; bytes: Uint8Array }[];
  /** Scenario `dropped`: bytes TAT cut after the output given (at most 24 KiB of it), served as
   * `Dropped`; the output is then only the kept part, so COS has no whole log unless `cosOutput`. */
  dropped?: number;
  errorInfo: string;
  outputUrl: string;
  outputUploadCOSErrorInfo: string;
  /** The object served at `outputUrl` (emulator/cos.ts) when it differs from the output:
   * `cosOutput` repeated `cosOutputRepeat` times. */
  cosOutput?: string;
  cosOutputRepeat?: number;
  /** How the COS endpoint answers for this object instead. */
  cosFault?: "accessDenied" | "noSuchKey" | "slow" | "truncated";
}

export interface ScenarioInvocation {
  invocationId: string;
  commandId: string;
  commandName: string;
  /** Script text (sent base64-encoded, as the API does). */
  command: string;
  commandType: string;
  timeoutSeconds: number;
  workingDirectory: string;
  username: string;
  description: string;
  createdBy: "USER" | "TAT";
  instanceKind: "CVM" | "LIGHTHOUSE";
  invocationSource: string;
  /** The region that holds it; absent: every region sees it. */
  region?: string;
  createdAtMs: number;
  /** Not returned by any Describe call before this scenario time (eventual consistency). */
  appearsAtMs: number;
  /** JSON of the call's parameter values ({{tat-hidden:…}} ones as ******); RunCommand/InvokeCommand. */
  parameters?: string;
  /** JSON of the command's default parameter values. */
  defaultParameters?: string;
  tasks: ScenarioTask[];
}

/**
 * A fault rule: what to do (exactly one of `error`, `httpStatus`, `reset`, or only `latency`),
 * to which requests (`action`, default every action) and when (`times`, `every`, `after`).
 */
export interface FaultRule {
  action?: string;
  /** Answer this API error code (HTTP 200 with Response.Error). */
  error?: string;
  message?: string;
  /** Answer this HTTP status (502/503 …) with a non-JSON body. */
  httpStatus?: number;
  body?: string;
  /** Destroy the connection without answering. */
  reset?: boolean;
  /** Delay before answering; alone it delays a normal answer. Number = seconds. */
  latency?: Duration;
  /** Only the next N matching requests. */
  times?: number;
  /** Only every Kth matching request (K, 2K, …). */
  every?: number;
  /** Only from this scenario time on. Number = seconds. */
  after?: Duration;
  // Malformed answers (docs/api-misbehaviour.md): a well-formed request gets a lying answer.
  /** Set (or with `remove`, delete) one field of a successful `Response`: `path` is dotted with
   * `[n]` for an item or `[*]` for every item, e.g. `InvocationTaskSet[0].TaskResult.ExitCode`. */
  corrupt?: { path: string; value?: unknown; remove?: boolean };
  /** `extra`: add a record that was not asked for (another invocation's task, an invocation not
   * requested), TotalCount raised to match. `reassign`: move the first record to another
   * invocation and instance. */
  foreignRecord?: "extra" | "reassign";
  /** Add this to TotalCount (a lying count). */
  totalCountDelta?: number;
  /** Leave out the first N records of the page (a gap between pages). */
  skipItems?: number;
  /** Answer HTTP 302 to this URL. */
  redirect?: string;
  /** Answer this many bytes (a valid answer followed by whitespace), streamed without a length. */
  oversize?: number;
  /** Answer gzip that inflates to this many bytes (a valid answer followed by whitespace). */
  gzipBomb?: number;
}

export interface Scenario {
  /** Where it was read from, for messages. */
  file?: string;
  /** Scenario seconds per real second when no clock is injected. */
  speed?: number;
  /** Set by `tat-assert record`: when and from which region the answers came. */
  recorded?: { at: string; region: string; by?: string };
  credentials: EmulatorCredential[];
  invocations: ScenarioInvocation[];
  faults: FaultRule[];
  /** Instances, saved commands and scripted results for RunCommand/InvokeCommand (run-world.ts). */
  run?: RunScenario;
}
