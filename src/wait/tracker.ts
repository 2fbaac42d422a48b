// Accumulates what the polls have seen of each task: its latest status, the statuses it passed
// through, and (once terminal) its details. Holds no judgement about whether anything passed.
// A task's full record, output included, is handed to `onSettled` once, the moment it is final;
// the tracker then keeps only its summary (output-summary.ts). No output outlives that call, so
// the tracker's memory is O(tasks), whatever the outputs' size.

import type { CosOutcome } from "../cos/complete-truncated.js";
import { byCodeUnits } from "../locale-free.js";
import type { ObservedTask, TaskObservation } from "../model.js";
import { decodeTaskOutput, type OutputEncodings } from "../tat/decode.js";
import { isTerminal } from "../tat/task-status.js";
import type { InvocationTask } from "../tat/types.js";
import { summarizeOutput } from "./output-summary.js";
import { SharedStrings } from "./shared-strings.js";

interface Entry {
  /** The full record until it settles; from then on it carries no output (an ObservedTask). */
  obs: TaskObservation & ObservedTask;
  /** Details (exit code, times, output if wanted) are in and final. */
  settled: boolean;
}

export interface Sighting {
  taskId: string;
  instanceId: string;
  invocationId: string;
  commandId?: string;
  status: string;
}

export class TaskTracker {
  private readonly entries = new Map<string, Entry>();
  /** Ids and times that many records repeat, kept once (shared-strings.ts). */
  private readonly shared = new SharedStrings();

  /** `onSettled` receives each task's final record once, output included; it must not keep it.
   * It returns false when the output's last lines need not be kept either (only its size). */
  constructor(
    private readonly wantsOutput: boolean,
    private readonly encodings: OutputEncodings = { spec: "auto", instances: {} },
    private readonly onSettled?: (task: TaskObservation) => unknown,
  ) {}

  /** Records a status seen by a poll at `at` (ISO). */
  see(s: Sighting, at: string): void {
    let entry = this.entries.get(s.taskId);
    if (!entry) {
      entry = {
        settled: false,
        obs: {
          invocationId: this.shared.of(s.invocationId),
          taskId: s.taskId,
          instanceId: s.instanceId,
          status: s.status,
          terminal: false,
          outputFetched: false,
          droppedBytes: 0,
          history: [],
        },
      };
      if (s.commandId) entry.obs.commandId = this.shared.of(s.commandId);
      this.entries.set(s.taskId, entry);
    }
    const obs = entry.obs;
    if (entry.settled) return;
    if (obs.history.at(-1)?.status !== s.status) obs.history.push({ status: s.status, at });
    obs.status = s.status;
    obs.terminal = isTerminal(s.status);
    if (obs.terminal && !obs.terminalAt) obs.terminalAt = at;
  }

  /** Records a full task record; `outputRequested` says whether it was fetched with HideOutput=false.
   * `cos`: COS was asked for the full output (cos/complete-truncated.ts): read (the record then
   * carries the whole log, Dropped 0, and `tatDropped` is what TAT cut) or why not. */
  detail(task: InvocationTask, at: string, outputRequested: boolean, cos?: CosOutcome): void {
    const taskId = task.InvocationTaskId;
    if (!taskId) return;
    const sighting: Sighting = {
      taskId,
      instanceId: task.InstanceId ?? "",
      invocationId: task.InvocationId ?? "",
      status: task.TaskStatus ?? "",
    };
    if (task.CommandId) sighting.commandId = task.CommandId;
    this.see(sighting, at);
    const entry = this.entries.get(taskId);
    if (!entry || entry.settled || !entry.obs.terminal) return;
    const obs = entry.obs;
    const result = task.TaskResult;
    if (result?.ExitCode !== undefined && result.ExitCode !== null) obs.exitCode = result.ExitCode;
    // `truncated` judges TAT's own copy, even when the output judged is the full log from COS.
    obs.droppedBytes = cos && "tatDropped" in cos ? cos.tatDropped : (result?.Dropped ?? 0);
    if (cos && "source" in cos) obs.outputSource = "cos";
    if (cos && "unverifiable" in cos) obs.outputCosError = cos.unverifiable;
    if (result?.OutputUrl) obs.outputUrl = result.OutputUrl;
    if (result?.OutputUploadCOSErrorInfo) obs.outputUploadError = result.OutputUploadCOSErrorInfo;
    if (result?.ExecStartTime) obs.execStartTime = this.shared.of(result.ExecStartTime);
    if (result?.ExecEndTime) obs.execEndTime = this.shared.of(result.ExecEndTime);
    if (task.ErrorInfo) obs.errorInfo = task.ErrorInfo;
    if (task.CreatedTime) obs.createdTime = this.shared.of(task.CreatedTime);
    if (outputRequested) {
      obs.outputFetched = true;
      // Absent output stays absent: an expectation on it is then "could not verify", never a pass.
      if (typeof result?.Output === "string") {
        const decoded = decodeTaskOutput(result.Output, {
          encoding:
            (Object.hasOwn(this.encodings.instances, obs.instanceId)
              ? this.encodings.instances[obs.instanceId]
              : undefined) ?? this.encodings.spec,
          commandType: task.CommandDocument?.CommandType,
          dropped: result?.Dropped ?? 0,
        });
        if ("text" in decoded) [obs.output, obs.outputEncoding] = [decoded.text, decoded.encoding];
        else obs.outputUndecodable = decoded.undecodable;
      }
    }
    entry.settled = !this.wantsOutput || outputRequested;
    if (entry.settled) this.release(obs);
  }

  /** Hands the final record to the judge, then lets the output go. */
  private release(obs: TaskObservation & ObservedTask): void {
    const keepTail = this.onSettled?.(obs) !== false;
    if (obs.output !== undefined) {
      obs.outputSummary = summarizeOutput(obs.output, keepTail);
      delete obs.output;
    }
  }

  /** Terminal tasks whose details still have to be fetched. */
  unsettledTerminal(): string[] {
    return [...this.entries.values()]
      .filter((e) => e.obs.terminal && !e.settled)
      .map((e) => e.obs.taskId);
  }

  /** Task ids not yet terminal. */
  moving(): string[] {
    return [...this.entries.values()].filter((e) => !e.obs.terminal).map((e) => e.obs.taskId);
  }

  /** Tasks whose command is running now (RUNNING, or CANCELLING: output may still come), in the
   * order first seen. */
  running(): { taskId: string; instanceId: string }[] {
    const out: { taskId: string; instanceId: string }[] = [];
    for (const e of this.entries.values()) {
      const s = e.obs.status;
      if (s === "RUNNING" || s === "CANCELLING") {
        out.push({ taskId: e.obs.taskId, instanceId: e.obs.instanceId });
      }
    }
    return out;
  }

  has(taskId: string): boolean {
    return this.entries.has(taskId);
  }

  allSettled(): boolean {
    for (const e of this.entries.values()) if (!e.settled) return false;
    return true;
  }

  get size(): number {
    return this.entries.size;
  }

  terminalCount(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.obs.terminal) n++;
    return n;
  }

  statusCounts(): Record<string, number> {
    // Keyed by TaskStatus as the API sent it: no prototype for `constructor` to land on.
    const counts: Record<string, number> = Object.create(null);
    for (const e of this.entries.values()) counts[e.obs.status] = (counts[e.obs.status] ?? 0) + 1;
    return counts;
  }

  /** Snapshot, ordered by instance then task id so reports are deterministic. Entries carry no
   * output (see release), so copying them costs O(tasks), not O(output). */
  snapshot(): ObservedTask[] {
    return [...this.entries.values()]
      .map((e): ObservedTask => ({ ...e.obs, history: [...e.obs.history] }))
      .sort(
        (a, b) =>
          byCodeUnits(a.instanceId, b.instanceId) ||
          byCodeUnits(a.invocationId, b.invocationId) ||
          byCodeUnits(a.taskId, b.taskId),
      );
  }
}
