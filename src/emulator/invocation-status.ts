// How the emulator derives an invocation's status from its tasks' statuses (documented in
// docs/scenario.md). Tencent publishes the nine values, not the rule; this is our reading of §2.9.
import { type InvocationStatus, isTerminal } from "../tat/task-status.js";

const CANCELLED = new Set(["CANCELLED", "TERMINATED"]);

export function deriveInvocationStatus(taskStatuses: readonly string[]): InvocationStatus {
  if (taskStatuses.length === 0) return "PENDING";
  if (taskStatuses.some((s) => !isTerminal(s))) {
    if (taskStatuses.some((s) => s === "CANCELLING")) return "CANCELLING";
    return taskStatuses.every((s) => s === "PENDING") ? "PENDING" : "RUNNING";
  }
  if (taskStatuses.every((s) => s === "SUCCESS")) return "SUCCESS";
  if (taskStatuses.every((s) => CANCELLED.has(s))) return "CANCELLED";
  if (taskStatuses.some((s) => CANCELLED.has(s))) return "PARTIAL_CANCELLED";
  if (taskStatuses.some((s) => s === "SUCCESS")) return "PARTIAL_FAILED";
  if (taskStatuses.every((s) => s === "TIMEOUT")) return "TIMEOUT";
  return "FAILED";
}
