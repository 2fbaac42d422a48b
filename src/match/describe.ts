// Small text helpers shared by the checks: how a task's status reads, lists capped with
// "and N more", values kept on one line.

import { byCodeUnits } from "../locale-free.js";
import type { TaskObservation } from "../model.js";
import { formatDuration } from "../spec/duration.js";
import { statusClass, TASK_STATUSES } from "../tat/task-status.js";

/** Statuses where the command never started, so there is no output and no exit code to see. */
const NEVER_STARTED = new Set(["DELIVER_FAILED", "START_FAILED", "CANCELLED"]);

export function neverStarted(status: string): boolean {
  return NEVER_STARTED.has(status);
}

/** Delivery failures and cancellations: the command did not run to its end. */
export function didNotComplete(status: string): boolean {
  const cls = statusClass(status);
  return cls === "delivery-failure" || cls === "cancelled";
}

const MEANING: Record<string, string> = {
  DELIVER_FAILED: "delivery failed",
  START_FAILED: "the command failed to start",
  TASK_TIMEOUT: "the agent did not respond",
  TIMEOUT: "the command timed out",
  CANCELLED: "cancelled before it started",
  TERMINATED: "killed while running",
};

/** "FAILED (exit code 2)", "DELIVER_FAILED (delivery failed: agent offline)". */
export function describeStatus(task: TaskObservation): string {
  const { status } = task;
  if (status === "FAILED" && task.exitCode !== undefined) {
    return `FAILED (exit code ${task.exitCode})`;
  }
  const meaning = MEANING[status];
  const info = task.errorInfo ? oneLine(task.errorInfo, 160) : "";
  if (meaning && info) return `${status} (${meaning}: ${info})`;
  if (meaning) return `${status} (${meaning})`;
  return info ? `${status} (${info})` : status;
}

/** Only these statuses mean the command ran and returned an exit code of its own. */
const EXITED = new Set(["SUCCESS", "FAILED"]);

/** SUCCESS or FAILED: every other final status (TIMEOUT, TERMINATED, …) has no exit code. */
export function exitsOnItsOwn(status: string): boolean {
  return EXITED.has(status);
}

/**
 * The exit code the runbook returned, or why there is none. TIMEOUT, TERMINATED, TASK_TIMEOUT and
 * the never-started statuses have no exit code whatever `ExitCode` says (the service reports 0 for
 * a task that never ran), and neither has a task without ExecStartTime. The code itself is a
 * plain number: it is the answer for almost every task of a fleet, and allocates nothing.
 */
export function exitCodeOf(task: TaskObservation): number | { none: string } | { unknown: true } {
  if (!EXITED.has(task.status))
    return { none: `the task did not exit on its own: ${whatHappened(task)}` };
  if (task.exitCode === undefined) return { unknown: true };
  if (!task.execStartTime) {
    return {
      none: `${task.status} was reported, but the command never started (no ExecStartTime)`,
    };
  }
  return task.exitCode;
}

/**
 * Why the task's status and exit code cannot both be true, or undefined. TAT reports SUCCESS for
 * exit code 0 and FAILED for any other (tat-api.md §2.12): a SUCCESS with 1, or a FAILED with 0, is
 * an answer that contradicts itself, and neither half of it can be judged on.
 */
export function statusContradiction(task: TaskObservation): string | undefined {
  if (task.exitCode === undefined || !task.execStartTime) return undefined;
  if (task.status === "SUCCESS" && task.exitCode !== 0)
    return `TAT reported SUCCESS with exit code ${task.exitCode}, but SUCCESS means exit code 0: the answer contradicts itself`;
  if (task.status === "FAILED" && task.exitCode === 0)
    return "TAT reported FAILED with exit code 0, but FAILED means a non-zero exit code: the answer contradicts itself";
  return undefined;
}

/** What a final status means for the runbook, in words: "TIMEOUT: killed at its command timeout after 1m". */
export function whatHappened(task: TaskObservation): string {
  const info = task.errorInfo ? `: ${oneLine(task.errorInfo, 160)}` : "";
  switch (task.status) {
    case "TIMEOUT": {
      const ran = ranMs(task);
      return `TIMEOUT (killed at its command timeout${ran === undefined ? "" : ` after ${formatDuration(ran)}`}${info})`;
    }
    case "TERMINATED":
      return `TERMINATED (cancelled and killed while running${info})`;
    case "TASK_TIMEOUT":
      return `TASK_TIMEOUT (the agent stopped answering; what the command did is unknown${info})`;
    case "DELIVER_FAILED":
      return `DELIVER_FAILED (never delivered to the instance, the command did not run${info})`;
    case "START_FAILED":
      return `START_FAILED (the agent could not start the command${info})`;
    case "CANCELLED":
      return `CANCELLED (cancelled before it started, the command did not run${info})`;
    default:
      return describeStatus(task);
  }
}

function ranMs(task: TaskObservation): number | undefined {
  const start = task.execStartTime ? Date.parse(task.execStartTime) : Number.NaN;
  const end = task.execEndTime ? Date.parse(task.execEndTime) : Number.NaN;
  return Number.isNaN(start) || Number.isNaN(end) || end < start ? undefined : end - start;
}

/** "a, b, c, d, e and 3 more". */
export function capList(items: readonly string[], max = 5): string {
  if (items.length <= max) return items.join(", ");
  return `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}

export function oneLine(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

/** "2 RUNNING, 3 SUCCESS", in the order of the TAT status table (unknown ones last). */
export function formatStatusCounts(counts: Record<string, number>): string {
  const order = (s: string) => {
    const i = (TASK_STATUSES as readonly string[]).indexOf(s);
    return i === -1 ? TASK_STATUSES.length : i;
  };
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => order(a) - order(b) || byCodeUnits(a, b))
    .map(([s, n]) => `${n} ${s}`)
    .join(", ");
}

export function percent(ratio: number): string {
  // Floor, so 94.96% never shows as a passing "95%".
  return `${Math.floor(ratio * 1000) / 10}%`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
