// The only place that knows which TAT task statuses are terminal and what class each belongs to.
// Tencent publishes meanings, not a terminal list; this table follows tat-api.md §2.8.

export const TASK_STATUSES = [
  "PENDING",
  "DELIVERING",
  "DELIVER_DELAYED",
  "DELIVER_FAILED",
  "START_FAILED",
  "RUNNING",
  "SUCCESS",
  "FAILED",
  "TIMEOUT",
  "TASK_TIMEOUT",
  "CANCELLING",
  "CANCELLED",
  "TERMINATED",
] as const;

export type TaskStatus = (typeof TASK_STATUSES)[number];

export type StatusClass =
  | "in-progress"
  | "delivery-failure"
  | "execution"
  | "cancelled"
  | "unknown";

const CLASS_OF: Record<TaskStatus, StatusClass> = {
  PENDING: "in-progress",
  DELIVERING: "in-progress",
  DELIVER_DELAYED: "in-progress",
  RUNNING: "in-progress",
  CANCELLING: "in-progress",
  DELIVER_FAILED: "delivery-failure",
  START_FAILED: "delivery-failure",
  TASK_TIMEOUT: "delivery-failure",
  SUCCESS: "execution",
  FAILED: "execution",
  TIMEOUT: "execution",
  CANCELLED: "cancelled",
  TERMINATED: "cancelled",
};

export function isTaskStatus(value: string): value is TaskStatus {
  return Object.hasOwn(CLASS_OF, value);
}

/** Unknown values are not terminal: a status we cannot interpret must never end the wait as done. */
export function isTerminal(status: string): boolean {
  const cls = statusClass(status);
  return cls !== "in-progress" && cls !== "unknown";
}

export function statusClass(status: string): StatusClass {
  return isTaskStatus(status) ? CLASS_OF[status] : "unknown";
}

export const TERMINAL_STATUSES: readonly TaskStatus[] = TASK_STATUSES.filter((s) => isTerminal(s));

export const INVOCATION_STATUSES = [
  "PENDING",
  "RUNNING",
  "CANCELLING",
  "SUCCESS",
  "TIMEOUT",
  "FAILED",
  "CANCELLED",
  "PARTIAL_FAILED",
  "PARTIAL_CANCELLED",
] as const;
export type InvocationStatus = (typeof INVOCATION_STATUSES)[number];

/** Invocation statuses that say it is still going on (tat-api.md §2.9). */
const INVOCATION_GOING_ON: ReadonlySet<string> = new Set(["PENDING", "RUNNING", "CANCELLING"]);

/** Whether an invocation status says it has ended; unknown values never do, as for tasks. */
export function isInvocationFinal(status: string): boolean {
  return (
    (INVOCATION_STATUSES as readonly string[]).includes(status) && !INVOCATION_GOING_ON.has(status)
  );
}
