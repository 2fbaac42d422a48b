// Schema-valid scenario data → the emulator's Scenario: defaults filled in, fleets expanded,
// timelines made absolute, task ids assigned, and the checks a schema cannot express.
import { createHash } from "node:crypto";
import type { SpecIssue } from "../errors.js";
import { isTerminal } from "../tat/task-status.js";
import { MAX_OUTPUT_BYTES } from "../tat/types.js";
import { type Duration, durationMs } from "./duration.js";
import { faultRuleProblems } from "./faults.js";
import { buildRunScenario, type RawRunFields } from "./run-scenario-build.js";
import { dottedPath } from "./scenario-validate.js";
import type { DataPath, Located } from "./source-map.js";
import { parseTimeline, type RelativeEntry, type TimelineInput } from "./timeline-parse.js";
import type {
  EmulatorCredential,
  FaultRule,
  Scenario,
  ScenarioInvocation,
  ScenarioTask,
} from "./types.js";

/** Task fields shared by `tasks` entries, fleet templates and fleet overrides. */
export interface RawTaskFields {
  timeline?: TimelineInput;
  exitCode?: number;
  output?: string;
  outputBase64?: string;
  outputRepeat?: number;
  outputChunks?: { at: Duration; output?: string; outputBase64?: string }[];
  dropped?: number;
  errorInfo?: string;
  outputUrl?: string;
  outputUploadCOSErrorInfo?: string;
  cosOutput?: string;
  cosOutputRepeat?: number;
  cosFault?: "accessDenied" | "noSuchKey" | "slow" | "truncated";
}

export interface RawTask extends RawTaskFields {
  instance: string;
  id?: string;
}

export interface RawFleet {
  count: number;
  instancePrefix?: string;
  stagger?: Duration;
  template?: RawTaskFields;
  overrides?: (RawTaskFields & { index: number })[];
}

export interface RawInvocation {
  id: string;
  commandId: string;
  commandName?: string;
  command?: string;
  commandType?: "SHELL" | "POWERSHELL" | "BAT";
  timeout?: number;
  workingDirectory?: string;
  username?: string;
  description?: string;
  createdBy?: "USER" | "TAT";
  instanceKind?: "CVM" | "LIGHTHOUSE";
  invocationSource?: "USER" | "INVOKER";
  region?: string;
  createdAt?: Duration;
  /** Created this long before scenario time 0 (a run from before the gate). */
  createdAgo?: Duration;
  appearsAt?: Duration;
  tasks?: RawTask[];
  fleet?: RawFleet;
}

export interface RawCredential {
  secretId: string;
  secretKey: string;
  token?: string;
  expiresAt?: string | number;
}

/** A scenario as written in a file (YAML or JSON) or built in code. */
export interface RawScenario extends RawRunFields {
  version?: 1;
  speed?: number;
  recorded?: { at: string; region: string; by?: string };
  credentials?: RawCredential[];
  invocations?: RawInvocation[];
  faults?: FaultRule[];
  neverRunExitCode?: number;
}

/** Status when a task's timeline is not given: a quick run ending by its exit code. */
const DEFAULT_TIMELINE = (exitCode: number | undefined) =>
  `PENDING@0s DELIVERING@0.2s RUNNING@0.5s ${exitCode === undefined || exitCode === 0 ? "SUCCESS" : "FAILED"}@1.5s`;

/** Tasks whose command never ran: the agent has no exit code, and the service may send 0 or -1. */
const NEVER_RAN: ReadonlySet<string> = new Set(["DELIVER_FAILED", "CANCELLED"]);

function defaultExitCode(finalStatus: string, neverRunExitCode: number): number {
  if (finalStatus === "SUCCESS") return 0;
  if (finalStatus === "FAILED") return 1;
  if (NEVER_RAN.has(finalStatus)) return neverRunExitCode;
  // The agent reports -1 when there is no process exit code (start failure, killed, never ran).
  return isTerminal(finalStatus) ? -1 : 0;
}

/** Deterministic, realistic-looking task id: invt- + 8 base-36 characters. */
function taskIdFor(invocationId: string, index: number, taken: Set<string>): string {
  for (let salt = 0; ; salt++) {
    const digest = createHash("sha256").update(`${invocationId}/${index}/${salt}`).digest();
    const id = `invt-${digest.readBigUInt64BE(0).toString(36).padStart(8, "0").slice(-8)}`;
    if (!taken.has(id)) return id;
  }
}

class Builder {
  readonly issues: SpecIssue[] = [];
  private readonly taskIds = new Set<string>();

  constructor(
    private readonly source: Located,
    private readonly neverRunExitCode = -1,
  ) {}

  issue(path: DataPath, message: string, fix?: string, key?: string): void {
    this.issues.push({
      where: this.source.locate(path, key),
      path: dottedPath(path),
      message,
      ...(fix ? { fix } : {}),
    });
  }

  credential(raw: RawCredential, path: DataPath): EmulatorCredential {
    const c: EmulatorCredential = { secretId: raw.secretId, secretKey: raw.secretKey };
    if (raw.token !== undefined) c.token = raw.token;
    if (raw.expiresAt !== undefined) {
      const ms = typeof raw.expiresAt === "number" ? raw.expiresAt : Date.parse(raw.expiresAt);
      if (Number.isNaN(ms)) {
        this.issue([...path, "expiresAt"], "is not an ISO-8601 time or epoch milliseconds");
      } else c.expiresAt = ms;
    }
    return c;
  }

  task(
    inv: RawInvocation,
    fields: RawTaskFields,
    instance: string,
    explicitId: string | undefined,
    startMs: number,
    index: number,
    path: DataPath,
  ): ScenarioTask | undefined {
    const timelineInput = fields.timeline ?? DEFAULT_TIMELINE(fields.exitCode);
    const parsed = parseTimeline(timelineInput);
    if ("problem" in parsed) {
      this.issue(fields.timeline === undefined ? path : [...path, "timeline"], parsed.problem);
      return undefined;
    }
    const last = parsed.entries[parsed.entries.length - 1]?.status ?? "PENDING";
    const exitCode = fields.exitCode ?? defaultExitCode(last, this.neverRunExitCode);
    if (last === "SUCCESS" && exitCode !== 0) {
      this.issue([...path, "exitCode"], "a task that ends in SUCCESS exits 0", "end it in FAILED");
    }
    if (last === "FAILED" && exitCode === 0) {
      this.issue([...path, "exitCode"], "a task that ends in FAILED exits non-zero");
    }
    let outputBytes: Uint8Array | undefined;
    if (fields.outputBase64 !== undefined) {
      if (fields.output !== undefined) {
        this.issue([...path, "outputBase64"], "give `output` or `outputBase64`, not both");
      }
      const compact = fields.outputBase64.replace(/\s+/g, "");
      if (compact.length % 4 !== 0) {
        this.issue([...path, "outputBase64"], "is not base64: its length is not a multiple of 4");
      }
      outputBytes = Buffer.from(compact, "base64");
    }
    let outputChunks: ScenarioTask["outputChunks"];
    if (fields.outputChunks !== undefined) {
      outputChunks = this.chunks(fields, parsed.entries, startMs, [...path, "outputChunks"]);
      outputBytes = Buffer.concat(outputChunks.map((c) => c.bytes));
    }
    if (fields.dropped !== undefined) this.dropped(fields, outputBytes, path);
    const id = explicitId ?? taskIdFor(inv.id, index, this.taskIds);
    if (this.taskIds.has(id)) this.issue([...path, "id"], `task id \`${id}\` is used twice`);
    this.taskIds.add(id);
    return {
      taskId: id,
      instanceId: instance,
      timeline: parsed.entries.map((e) => ({ atMs: startMs + e.offsetMs, status: e.status })),
      exitCode,
      output: fields.output ?? "",
      ...(outputBytes && { outputBytes }),
      outputRepeat: fields.outputRepeat ?? 1,
      ...(outputChunks && { outputChunks }),
      ...(fields.dropped !== undefined && fields.dropped > 0 && { dropped: fields.dropped }),
      errorInfo: fields.errorInfo ?? "",
      outputUrl: fields.outputUrl ?? "",
      outputUploadCOSErrorInfo: fields.outputUploadCOSErrorInfo ?? "",
      ...(fields.cosOutput !== undefined && { cosOutput: fields.cosOutput }),
      ...(fields.cosOutputRepeat !== undefined && { cosOutputRepeat: fields.cosOutputRepeat }),
      ...(fields.cosFault !== undefined && { cosFault: fields.cosFault }),
    };
  }

  /** `dropped` counts what came after the output given, so that output must be what TAT kept:
   * not chunks (past the cap the emulator counts Dropped itself) and not more than the cap. */
  dropped(fields: RawTaskFields, bytes: Uint8Array | undefined, path: DataPath): void {
    if (fields.outputChunks !== undefined) {
      this.issue(
        [...path, "dropped"],
        "give `dropped` with `output` or `outputBase64`, not with `outputChunks`",
        "write the chunks past the 24 KiB cap instead: the emulator counts Dropped itself",
      );
      return;
    }
    const once = bytes?.length ?? Buffer.byteLength(fields.output ?? "");
    const size = once * (fields.outputRepeat ?? 1);
    if (size > MAX_OUTPUT_BYTES) {
      this.issue(
        [...path, "dropped"],
        `counts bytes cut after the kept output, but this output is ${size} bytes, more than TAT keeps (${MAX_OUTPUT_BYTES})`,
        "give only its first 24 KiB, or the whole output without `dropped`: the emulator cuts it and counts Dropped itself",
      );
    }
  }

  /** `outputChunks` made absolute, with what a schema cannot check: one form of text per chunk,
   * no other output field, times in order and within RUNNING. */
  chunks(
    fields: RawTaskFields,
    timeline: readonly RelativeEntry[],
    startMs: number,
    path: DataPath,
  ): NonNullable<ScenarioTask["outputChunks"]> {
    for (const other of ["output", "outputBase64", "outputRepeat"] as const) {
      if (fields[other] !== undefined) {
        this.issue(
          path,
          `give \`outputChunks\` or \`${other}\`, not both`,
          undefined,
          "outputChunks",
        );
      }
    }
    const running = timeline.find((e) => e.status === "RUNNING");
    const end = timeline.find((e) => isTerminal(e.status));
    const secs = (ms: number) => `${ms / 1000}s`;
    const out: NonNullable<ScenarioTask["outputChunks"]> = [];
    let previous = -1;
    for (const [i, chunk] of (fields.outputChunks ?? []).entries()) {
      const at = [...path, i];
      const offset = durationMs(chunk.at) ?? 0;
      if ((chunk.output === undefined) === (chunk.outputBase64 === undefined)) {
        this.issue(at, "a chunk needs `output` or `outputBase64` (one of them)", undefined, "at");
      }
      if (!running) {
        this.issue(
          at,
          "the task never runs, so it sends no output",
          "add RUNNING to its timeline",
          "at",
        );
      } else if (offset < running.offsetMs) {
        this.issue(
          [...at, "at"],
          `lands at ${secs(offset)}, before the task runs (RUNNING at ${secs(running.offsetMs)})`,
        );
      } else if (end && offset > end.offsetMs) {
        this.issue(
          [...at, "at"],
          `lands at ${secs(offset)}, after the task ended (${end.status} at ${secs(end.offsetMs)})`,
        );
      }
      if (offset < previous) {
        this.issue([...at, "at"], "chunks must be in time order");
      }
      previous = offset;
      const compact = (chunk.outputBase64 ?? "").replace(/\s+/g, "");
      if (compact.length % 4 !== 0) {
        this.issue([...at, "outputBase64"], "is not base64: its length is not a multiple of 4");
      }
      const bytes =
        chunk.outputBase64 !== undefined
          ? Buffer.from(compact, "base64")
          : Buffer.from(chunk.output ?? "", "utf8");
      out.push({ atMs: startMs + offset, bytes });
    }
    return out;
  }

  fleetTasks(
    inv: RawInvocation,
    fleet: RawFleet,
    createdAtMs: number,
    offset: number,
    path: DataPath,
  ): ScenarioTask[] {
    const tasks: ScenarioTask[] = [];
    const prefix = fleet.instancePrefix ?? "ins-";
    const width = Math.max(4, String(fleet.count).length);
    const staggerMs = fleet.stagger === undefined ? 0 : (durationMs(fleet.stagger) ?? 0);
    const overrides = new Map<number, RawTaskFields>();
    for (const [i, o] of (fleet.overrides ?? []).entries()) {
      if (o.index > fleet.count) {
        this.issue([...path, "overrides", i, "index"], `there are only ${fleet.count} tasks`);
      }
      const { index, ...fields } = o;
      overrides.set(index, fields);
    }
    for (let n = 1; n <= fleet.count; n++) {
      const override = overrides.get(n);
      const fields = { ...fleet.template, ...override };
      // An override's output replaces the template's, whichever form either is written in.
      if (override?.outputBase64 !== undefined && override.output === undefined) {
        delete fields.output;
      }
      if (override?.output !== undefined && override.outputBase64 === undefined) {
        delete fields.outputBase64;
      }
      if (override?.outputChunks !== undefined) {
        delete fields.output;
        delete fields.outputBase64;
        if (override.dropped === undefined) delete fields.dropped;
      }
      if (override?.output !== undefined || override?.outputBase64 !== undefined) {
        delete fields.outputChunks;
      }
      const instance = `${prefix}${String(n).padStart(width, "0")}`;
      const start = createdAtMs + (n - 1) * staggerMs;
      // Indices after any explicit tasks' keep generated ids apart from theirs.
      const task = this.task(inv, fields, instance, undefined, start, offset + n, path);
      if (task) tasks.push(task);
      else break; // the template is broken: one issue is enough
    }
    return tasks;
  }

  invocation(raw: RawInvocation, path: DataPath): ScenarioInvocation {
    const createdAtMs =
      raw.createdAgo !== undefined
        ? -(durationMs(raw.createdAgo) ?? 0)
        : raw.createdAt === undefined
          ? 0
          : (durationMs(raw.createdAt) ?? 0);
    if (raw.createdAgo !== undefined && raw.createdAt !== undefined) {
      this.issue([...path, "createdAgo"], "give createdAt or createdAgo, not both");
    }
    const appearsAtMs =
      raw.appearsAt === undefined ? createdAtMs : (durationMs(raw.appearsAt) ?? 0);
    if (appearsAtMs < createdAtMs) {
      this.issue([...path, "appearsAt"], "an invocation cannot appear before it is created");
    }
    const tasks: ScenarioTask[] = [];
    for (const [i, t] of (raw.tasks ?? []).entries()) {
      const task = this.task(raw, t, t.instance, t.id, createdAtMs, i + 1, [...path, "tasks", i]);
      if (task) tasks.push(task);
    }
    if (raw.fleet) {
      // A loop, not push(...): spread arguments overflow the call stack at about 100,000.
      const fleet = this.fleetTasks(raw, raw.fleet, createdAtMs, tasks.length, [...path, "fleet"]);
      for (const t of fleet) tasks.push(t);
    }
    const seen = new Set<string>();
    for (const t of tasks) {
      if (seen.has(t.instanceId)) {
        this.issue(path, `instance \`${t.instanceId}\` has two tasks in this invocation`);
      }
      seen.add(t.instanceId);
    }
    if (tasks.length === 0 && !this.issues.length) {
      this.issue(path, "an invocation needs `tasks` or a `fleet`", undefined, "id");
    }
    return {
      invocationId: raw.id,
      commandId: raw.commandId,
      commandName: raw.commandName ?? "",
      command: raw.command ?? "",
      commandType: raw.commandType ?? "SHELL",
      timeoutSeconds: raw.timeout ?? 60,
      workingDirectory: raw.workingDirectory ?? "/root",
      username: raw.username ?? "root",
      description: raw.description ?? "",
      createdBy: raw.createdBy ?? "USER",
      instanceKind: raw.instanceKind ?? "CVM",
      invocationSource: raw.invocationSource ?? "USER",
      ...(raw.region !== undefined && { region: raw.region }),
      createdAtMs,
      appearsAtMs,
      tasks,
    };
  }
}

/** Builds a Scenario from schema-valid data; returns the problems instead when there are any. */
export function buildFromValid(
  raw: RawScenario,
  source: Located,
  file: string,
): { scenario: Scenario; issues: SpecIssue[] } {
  const b = new Builder(source, raw.neverRunExitCode);
  const credentials = (raw.credentials ?? []).map((c, i) => b.credential(c, ["credentials", i]));
  const invocationIds = new Set<string>();
  const invocations = (raw.invocations ?? []).map((inv, i) => {
    if (invocationIds.has(inv.id)) {
      b.issue(["invocations", i, "id"], `invocation id \`${inv.id}\` is used twice`);
    }
    invocationIds.add(inv.id);
    return b.invocation(inv, ["invocations", i]);
  });
  const faults = raw.faults ?? [];
  for (const [i, f] of faults.entries()) {
    for (const p of faultRuleProblems(f)) b.issue(["faults", i], p);
  }
  const scenario: Scenario = { file, credentials, invocations, faults };
  if (raw.speed !== undefined) scenario.speed = raw.speed;
  if (raw.recorded !== undefined) scenario.recorded = raw.recorded;
  const run = buildRunScenario(raw, (path, message, fix) => b.issue(path, message, fix));
  if (run) scenario.run = run;
  return { scenario, issues: b.issues };
}
