// Replaces TAT's cut copy of a task's output with the full log TAT uploaded to COS, for the tasks
// whose checks read output. Records in, records out: the caller (the reader, after the task detail
// fetch) decides which tasks need it; nothing here knows about polling or verdicts.
// Not called by the gate yet (issue 14): wiring it in means calling it from read-target after the
// detail fetch, judging `truncated` from `tatDropped`, making an `unverifiable` outcome the output
// checks' "could not verify" reason, and adding `expect.output.source` and a COS endpoint option.

import { plainLine } from "../report/sanitize.js";
import { isTerminal } from "../tat/task-status.js";
import type { InvocationTask } from "../tat/types.js";
import { type CosFetchOptions, fetchCosOutput } from "./fetch-output.js";

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
}

export interface CompletedTasks {
  /** Same order as given; a completed task is a copy with the full Output and Dropped 0. */
  tasks: InvocationTask[];
  /** By InvocationTaskId, only for tasks COS was needed for. */
  outcomes: Map<string, CosOutcome>;
}

/** `auto` goes to COS only for a finished task TAT cut; `cos` for every finished task. */
function needsCos(task: InvocationTask, source: OutputSource | undefined): boolean {
  if (source === undefined || source === "tat") return false;
  if (!task.TaskStatus || !isTerminal(task.TaskStatus)) return false;
  return source === "cos" || (task.TaskResult?.Dropped ?? 0) > 0;
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
        unverifiable: `TAT could not upload the full output to COS: ${plainLine(uploadError)}`,
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
  const read = await fetchCosOutput(result.OutputUrl, deps);
  if ("unverifiable" in read) return { task, outcome: read };
  return {
    task: {
      ...task,
      TaskResult: { ...result, Output: Buffer.from(read.bytes).toString("base64"), Dropped: 0 },
    },
    outcome: { source: "cos", tatDropped: result.Dropped ?? 0 },
  };
}

export async function completeTruncatedOutputs(
  tasks: InvocationTask[],
  deps: CompleteTruncatedDeps,
): Promise<CompletedTasks> {
  const out = [...tasks];
  const outcomes = new Map<string, CosOutcome>();
  const todo = tasks.flatMap((task, i) => (needsCos(task, deps.sourceFor(task)) ? [i] : []));
  let next = 0;
  const worker = async () => {
    for (let i = todo[next++]; i !== undefined; i = todo[next++]) {
      const task = tasks[i] as InvocationTask;
      const done = await completeOne(task, deps);
      out[i] = done.task;
      outcomes.set(task.InvocationTaskId ?? `#${i}`, done.outcome);
    }
  };
  const workers = Math.max(1, Math.min(deps.concurrency ?? 4, todo.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return { tasks: out, outcomes };
}
