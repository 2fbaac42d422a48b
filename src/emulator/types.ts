// The emulator's in-memory world after a scenario file has been read: plain data, times in
// scenario milliseconds (0 = when the emulator started).
import type { TaskStatus } from "../tat/task-status.js";
import type { Duration } from "./duration.js";

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
  errorInfo: string;
  outputUrl: string;
  outputUploadCOSErrorInfo: string;
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
}
