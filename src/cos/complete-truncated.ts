// Replaces TAT's cut copy of a task's output with the full log TAT uploaded to COS, for the tasks
// whose checks read output. Records in, records out: the caller (the reader, after the task detail
// fetch) decides which tasks need it; nothing here knows about polling or verdicts.
// Called by the reader (wait/read-target.ts) for each batch of finished tasks' records: each
// record is handed on as soon as it is complete, so at most `concurrency` objects are held at once.

import { plainLine } from "../report/sanitize.js";
import { isTerminal } from "../tat/task-status.js";
import type { InvocationTask } from "../tat/types.js";
import { MAX_OUTPUT_BYTES } from "../tat/types.js";
import { type CosFetchOptions, DEFAULT_COS_TIMEOUT_MS, fetchCosOutput } from "./fetch-output.js";

/** Where a task's output is read from (the planned spec key `expect.output.source`). */
export type OutputSource = "tat" | "cos" | "auto";

/** What happened to one task's output: read in full from COS, or why it could not be.
 * `tatDropped` is the Dropped TAT reported: `expect.truncated` still judges TAT's own copy. */
export type CosOutcome = { source: "cos"; tatDropped: number } | { unverifiable: string };

export interface CompleteTruncatedDeps extends CosFetchOptions {
  /** The output source the task's checks ask for; undefined when no check reads its output. */
  sourceFor(task: InvocationTask): OutputSource | undefined;
  /** Objects read at the same time; default 4 (each can be up to maxBytes in memory). */
  concurrency?: number;
  /** Time left in the caller's wait: a read gets no more than this (less half a second), so a slow
   * COS makes its task "could not verify" naming COS instead of running the wait out. */
  remainingMs?: () => number;
}

export interface CompletedTasks {
  /** Same order as given; a completed task is a copy with the full Output and Dropped 0. */
  tasks: InvocationTask[];
  /** By InvocationTaskId, only for tasks COS was needed for. */
  outcomes: Map<string, CosOutcome>;
}

/** `auto` goes to COS only for a finished task TAT cut that has a COS object (or an upload error
 * saying why it has none); `cos` for every finished task. */
function needsCos(task: InvocationTask, source: OutputSource | undefined): boolean {
  if (source === undefined || source === "tat") return false;
  if (!task.TaskStatus || !isTerminal(task.TaskStatus)) return false;
  if (source === "cos") return true;
  const result = task.TaskResult ?? {};
  const inCos = !!result.OutputUrl || !!result.OutputUploadCOSErrorInfo?.trim();
  return (result.Dropped ?? 0) > 0 && inCos;
}

async function completeOne(
  task: InvocationTask,
  deps: CompleteTruncatedDeps,
): Promise<{ task: InvocationTask; outcome: CosOutcome }> {
  const result = task.TaskResult ?? {};
  const uploadError = result.OutputUploadCOSErrorInfo?.trim();
  if (uploadError) {
    return {
      task,
      outcome: {
        unverifiable: `TAT could not upload the full output to COS (OutputUploadCOSErrorInfo: ${plainLine(uploadError)})`,
      },
    };
  }
  if (!result.OutputUrl) {
    return {
      task,
      outcome: {
        unverifiable:
          "no full output in COS (OutputUrl is empty: the invocation was not created with OutputCOSBucketUrl)",
      },
    };
  }
  const timeoutMs = deps.timeoutMs ?? DEFAULT_COS_TIMEOUT_MS;
  const left = deps.remainingMs ? Math.max(1, deps.remainingMs() - 500) : timeoutMs;
  const read = await fetchCosOutput(result.OutputUrl, {
    ...deps,
    timeoutMs: Math.min(timeoutMs, left),
  });
  if ("unverifiable" in read) return { task, outcome: read };
  const mismatch = notTheOutput(read.bytes, result.Output ?? "", result.Dropped ?? 0);
  if (mismatch) return { task, outcome: { unverifiable: mismatch } };
  return {
    task: {
      ...task,
      TaskResult: { ...result, Output: Buffer.from(read.bytes).toString("base64"), Dropped: 0 },
    },
    outcome: { source: "cos", tatDropped: result.Dropped ?? 0 },
  };
}

/**
 * Why the object read is not this task's whole output, or undefined when it can be. TAT keeps the
 * head of the output and counts the rest (`Dropped = total − 24576`, tat-api.md §7), so the full
 * log begins with the kept bytes and has kept + Dropped of them (a few more at the cap); with
 * nothing dropped it is TAT's copy itself. More than that is another log: judged, a `matches`
 * could pass on lines this task never printed. A body that passed every
 * HTTP check can still be less: a gzip stream cut short (fetch inflates leniently), an object
 * uploaded in part, a 200 with an error page, another task's log. Judging it would judge less
 * than TAT itself had.
 */
function notTheOutput(bytes: Uint8Array, keptBase64: string, dropped: number): string | undefined {
  const kept = Buffer.from(keptBase64, "base64");
  const least = kept.length + dropped;
  if (bytes.length < least) {
    return `the COS object has ${bytes.length} bytes, fewer than the ${least} TAT counted (${kept.length} kept, ${dropped} dropped): it is not the whole output`;
  }
  // At the cap the agent may keep a few bytes less than 24 KiB (it does not split a character).
  const most = dropped === 0 ? kept.length : Math.max(kept.length, MAX_OUTPUT_BYTES) + dropped;
  if (bytes.length > most) {
    return `the COS object has ${bytes.length} bytes, more than the ${most} TAT counted (${kept.length} kept, ${dropped} dropped): it is not this task's output as TAT saw it`;
  }
  if (Buffer.compare(Buffer.from(bytes.buffer, bytes.byteOffset, kept.length), kept) !== 0) {
    return "the COS object does not begin with the output TAT kept: it is not this task's output";
  }
  return undefined;
}

/**
 * Hands each task to `visit`, in completion order: those that need nothing from COS at once, the
 * others once their object was read (then as a copy with the full Output and Dropped 0) or found
 * unreadable, with the outcome. No completed record is kept after its visit: memory is the batch
 * given plus at most `concurrency` objects being read.
 */
export async function completeEach(
  tasks: InvocationTask[],
  deps: CompleteTruncatedDeps,
  visit: (task: InvocationTask, outcome: CosOutcome | undefined, index: number) => void,
): Promise<void> {
  const todo: number[] = [];
  tasks.forEach((task, i) => {
    if (needsCos(task, deps.sourceFor(task))) todo.push(i);
    else visit(task, undefined, i);
  });
  let next = 0;
  const worker = async () => {
    for (let i = todo[next++]; i !== undefined; i = todo[next++]) {
      const done = await completeOne(tasks[i] as InvocationTask, deps);
      visit(done.task, done.outcome, i);
    }
  };
  const workers = Math.max(1, Math.min(deps.concurrency ?? 4, todo.length));
  await Promise.all(Array.from({ length: workers }, worker));
}

/** completeEach, collected: every record back in the order given (for callers that hold them). */
export async function completeTruncatedOutputs(
  tasks: InvocationTask[],
  deps: CompleteTruncatedDeps,
): Promise<CompletedTasks> {
  const out = [...tasks];
  const outcomes = new Map<string, CosOutcome>();
  await completeEach(tasks, deps, (task, outcome, i) => {
    out[i] = task;
    if (outcome) outcomes.set(task.InvocationTaskId ?? `#${i}`, outcome);
  });
  return { tasks: out, outcomes };
}
