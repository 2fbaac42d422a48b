// What the TAT API answered → an emulator scenario that serves the same answers: invocations, tasks,
// timelines from the recorded times, outputs, exit codes, ErrorInfo. Pure: the records come in as
// the strict parser returned them, the scenario goes out as plain data.
//
// Nothing of the account's credentials is written: the scenario carries a freshly generated,
// emulator-only credential so that the file replays as it is. Redaction patterns (RE2) apply to
// every text that a runbook or a person wrote: output, ErrorInfo, the command and its description.
import { randomBytes } from "node:crypto";
import { RE2JS } from "re2js";
import type { RawInvocation, RawScenario, RawTask } from "../emulator/scenario-build.js";
import { UsageError } from "../errors.js";
import { byCodeUnits } from "../locale-free.js";
import { decodeTaskOutput } from "../tat/decode.js";
import { isTerminal } from "../tat/task-status.js";
import { type Invocation, type InvocationTask, MAX_OUTPUT_BYTES } from "../tat/types.js";

export const REDACTED = "***";

export interface RecordOptions {
  /** RE2 patterns; every match is replaced by `***`. */
  redact?: string[];
  /** Leave output out entirely (logs that must not leave the account). */
  noOutput?: boolean;
}

export interface RecordNotes {
  /** Tasks whose output TAT had cut (`Dropped` > 0): the scenario serves the kept part. */
  truncated: string[];
  /** Tasks whose output was not valid UTF-8: kept as bytes (`outputBase64`), not redacted. */
  binary: string[];
  /** Invocations the API listed with no task: a scenario invocation needs one, so they are left out. */
  empty: string[];
  /** Tasks TAT had cut whose whole log was read from COS: recorded in full (the emulator cuts it
   * again, and serves it whole at its outputUrl). */
  fromCos?: string[];
  /** Tasks TAT had cut whose whole log COS could not give, with why. */
  cosUnread?: string[];
  /** Tasks whose redacted output grew past 24 KiB: cut again, the excess counted in `dropped`. */
  recut?: string[];
}

export function compileRedactions(patterns: string[] = []): RE2JS[] {
  return patterns.map((p) => {
    try {
      return RE2JS.compile(p);
    } catch (error) {
      throw new UsageError(
        `--redact ${JSON.stringify(p)} is not an RE2 pattern: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  });
}

function redactor(patterns: RE2JS[]): (text: string) => string {
  return (text) => {
    let out = text;
    for (const re of patterns) out = re.matcher(out).replaceAll(REDACTED);
    return out;
  };
}

/** Parses the API's times ("2026-11-28T01:02:03+00:00"; also "2026-11-28 01:02:03", read as UTC). */
export function apiTime(text: string | null | undefined): number | undefined {
  if (!text) return undefined;
  const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(" ", "T")}Z`);
  return Number.isFinite(t) ? t : undefined;
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;

export function toScenario(
  invocations: Invocation[],
  tasks: InvocationTask[],
  options: RecordOptions & { recorded: NonNullable<RawScenario["recorded"]> },
): { scenario: RawScenario; notes: RecordNotes } {
  const redact = redactor(compileRedactions(options.redact));
  const notes: RecordNotes = { truncated: [], binary: [], empty: [] };
  const created = (inv: Invocation) => apiTime(inv.CreatedTime);
  const known = invocations.map(created).filter((t): t is number => t !== undefined);
  // A loop, not Math.min(...known): spread arguments overflow the call stack at about 100,000.
  const origin = known.length > 0 ? known.reduce((a, b) => Math.min(a, b)) : 0;
  const tasksOf = new Map<string, InvocationTask[]>();
  for (const t of tasks) {
    const id = t.InvocationId ?? "";
    tasksOf.set(id, [...(tasksOf.get(id) ?? []), t]);
  }
  const out: RawInvocation[] = [];
  for (const inv of invocations) {
    const id = inv.InvocationId;
    if (!id || !inv.CommandId) continue;
    const invCreated = created(inv) ?? origin;
    const raw: RawInvocation = { id, commandId: inv.CommandId };
    if (inv.CommandName) raw.commandName = inv.CommandName;
    if (inv.CommandContent) {
      const content = decodeTaskOutput(inv.CommandContent, { encoding: "utf-8" });
      if ("text" in content) raw.command = redact(content.text);
    }
    if (
      inv.CommandType === "SHELL" ||
      inv.CommandType === "POWERSHELL" ||
      inv.CommandType === "BAT"
    )
      raw.commandType = inv.CommandType;
    if (inv.Timeout !== undefined && inv.Timeout >= 1) raw.timeout = inv.Timeout;
    if (inv.WorkingDirectory) raw.workingDirectory = inv.WorkingDirectory;
    if (inv.Username) raw.username = inv.Username;
    if (inv.Description) raw.description = redact(inv.Description);
    if (inv.InstanceKind === "CVM" || inv.InstanceKind === "LIGHTHOUSE")
      raw.instanceKind = inv.InstanceKind;
    if (inv.InvocationSource === "USER" || inv.InvocationSource === "INVOKER")
      raw.invocationSource = inv.InvocationSource;
    if (invCreated > origin) raw.createdAt = seconds(invCreated - origin);
    const recorded = (tasksOf.get(id) ?? []).sort((a, b) =>
      byCodeUnits(a.InstanceId ?? "", b.InstanceId ?? ""),
    );
    if (recorded.length === 0) {
      notes.empty.push(id);
      continue;
    }
    raw.tasks = recorded.map((t) => toTask(t, invCreated, redact, options, notes));
    out.push(raw);
  }
  const scenario: RawScenario = {
    version: 1,
    recorded: options.recorded,
    credentials: [
      {
        secretId: `AKIDREPLAY${randomBytes(14).toString("hex").slice(0, 26).toUpperCase()}`,
        secretKey: `replay-only-${randomBytes(12).toString("hex")}`,
      },
    ],
    invocations: out,
  };
  return { scenario, notes };
}

function toTask(
  t: InvocationTask,
  invCreated: number,
  redact: (text: string) => string,
  options: RecordOptions,
  notes: RecordNotes,
): RawTask {
  const taskId = t.InvocationTaskId ?? "";
  const task: RawTask = { instance: t.InstanceId ?? "", id: taskId };
  const status = t.TaskStatus ?? "PENDING";
  const result = t.TaskResult;
  const at = (iso: string | null | undefined) => {
    const v = apiTime(iso);
    return v === undefined ? undefined : Math.max(0, v - invCreated);
  };
  // Times count from the invocation's creation and must increase: the API gives whole seconds,
  // so two steps of one second are pulled apart by a tenth.
  const steps: { status: string; ms: number }[] = [];
  const push = (s: string, ms: number | undefined) => {
    if (ms === undefined) return;
    const prev = steps.at(-1);
    steps.push({ status: s, ms: prev ? Math.max(ms, prev.ms + 100) : ms });
  };
  push("PENDING", at(t.CreatedTime) ?? 0);
  const started = at(result?.ExecStartTime) ?? at(t.StartTime);
  if (started !== undefined && status !== "DELIVER_FAILED" && status !== "CANCELLED")
    push("RUNNING", started);
  if (isTerminal(status)) {
    push(status, at(t.EndTime) ?? at(result?.ExecEndTime) ?? at(t.UpdatedTime) ?? started ?? 0);
  } else if (status !== "PENDING" && status !== "RUNNING") {
    push(status, at(t.UpdatedTime) ?? started ?? 0);
  }
  task.timeline = steps.map((s) => `${s.status}@${seconds(s.ms)}s`).join(" ");
  if (isTerminal(status) && typeof result?.ExitCode === "number") task.exitCode = result.ExitCode;
  if (t.ErrorInfo) task.errorInfo = redact(t.ErrorInfo);
  if (result?.OutputUrl) task.outputUrl = result.OutputUrl;
  if (result?.OutputUploadCOSErrorInfo)
    task.outputUploadCOSErrorInfo = result.OutputUploadCOSErrorInfo;
  // TAT's own count of what it cut: the replay serves it as Dropped beside the kept part, so a
  // check that needs the rest is "could not verify" there too, as it was live. (A task whose whole
  // log came from COS arrives here with Dropped 0 and its full output.)
  let dropped = result?.Dropped ?? 0;
  if (dropped > 0) notes.truncated.push(taskId);
  if (!options.noOutput && typeof result?.Output === "string" && result.Output !== "") {
    // The one decoder: strict UTF-8, a character cut at TAT's 24 KiB limit is not garbage.
    const decoded = decodeTaskOutput(result.Output, {
      encoding: "utf-8",
      dropped,
    });
    if ("text" in decoded) {
      // A redaction may lengthen TAT's copy past what TAT keeps: the emulator would cut it again
      // (and refuses `dropped` beside it), so the excess is cut here and counted as dropped. A
      // whole log read from COS is longer on purpose: the emulator cuts that as TAT did.
      const redacted = redact(decoded.text);
      const fromTat = Buffer.byteLength(result.Output, "base64") <= MAX_OUTPUT_BYTES;
      const kept = fromTat ? cutToCap(redacted) : { text: redacted, cut: 0 };
      task.output = kept.text;
      if (kept.cut > 0) {
        dropped += kept.cut;
        notes.recut = [...(notes.recut ?? []), taskId];
      }
    } else {
      notes.binary.push(taskId);
      (task as RawTask & { outputBase64?: string }).outputBase64 = result.Output;
    }
  }
  if (dropped > 0) task.dropped = dropped;
  return task;
}

/** `text` cut to at most TAT's 24 KiB of UTF-8, on a character boundary, and how many bytes went. */
function cutToCap(text: string): { text: string; cut: number } {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= MAX_OUTPUT_BYTES) return { text, cut: 0 };
  let end = MAX_OUTPUT_BYTES;
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return { text: bytes.subarray(0, end).toString("utf8"), cut: bytes.length - end };
}
