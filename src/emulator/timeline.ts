// Where a task stands at a given scenario time. Before its first entry a task shows the first
// entry's status; after its last entry it stays there.
import { isTerminal, type TaskStatus } from "../tat/task-status.js";
import type { ScenarioTask, TimelineEntry } from "./types.js";

export interface TaskState {
  status: TaskStatus;
  /** Scenario ms of the entry in force (its UpdatedTime). */
  updatedAtMs: number;
  /** When the task entered RUNNING, if it has. */
  runningAtMs: number | undefined;
  /** When the task reached its terminal status, if it has. */
  endedAtMs: number | undefined;
  /** Share of the output produced so far: 0 before RUNNING, 1 once ended. */
  outputFraction: number;
}

function entryAt(timeline: readonly TimelineEntry[], t: number): TimelineEntry {
  let current = timeline[0] as TimelineEntry;
  for (const e of timeline) {
    if (e.atMs <= t) current = e;
    else break;
  }
  return current;
}

export function taskStateAt(task: ScenarioTask, t: number): TaskState {
  const current = entryAt(task.timeline, t);
  const reached = task.timeline.filter((e) => e.atMs <= t);
  const running = reached.find((e) => e.status === "RUNNING");
  const ended = isTerminal(current.status) ? current : undefined;
  const terminalEntry = task.timeline.find((e) => isTerminal(e.status));
  let outputFraction = 0;
  if (ended) outputFraction = 1;
  else if (running) {
    // Without a known end the task is "still running": show everything it will ever print.
    outputFraction = terminalEntry
      ? (t - running.atMs) / Math.max(1, terminalEntry.atMs - running.atMs)
      : 1;
  }
  return {
    status: current.status,
    updatedAtMs: Math.max(0, Math.min(t, current.atMs)),
    runningAtMs: running?.atMs,
    endedAtMs: ended?.atMs,
    outputFraction,
  };
}
