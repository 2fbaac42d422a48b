// When the wait did not end with every task terminal, the spec cannot be verified. The message says
// what was seen, so a reader can tell a slow runbook from a stuck agent or a wrong id.
import type { AssertionResult, Observation, Spec } from "../model.js";
import { formatDuration } from "../spec/duration.js";
import { capList, formatStatusCounts, plural } from "./describe.js";

const HOW: Record<string, string> = {
  timeout: "timed out",
  aborted: "aborted",
  stopped: "stopped early",
  "not-found": "target not found",
  "api-error": "stopped by an API error",
  inconsistent: "stopped: the API's answers did not add up",
};

/** undefined when the wait ended with every task terminal (or was never started). */
export function waitCheck(spec: Spec, observation: Observation): AssertionResult | undefined {
  const { state } = observation;
  if (state === "terminal" || state === "skipped") return undefined;
  const waitedMs = Date.parse(observation.endedAt) - Date.parse(observation.startedAt);
  const waited = Number.isNaN(waitedMs) ? "" : ` after ${formatDuration(waitedMs)}`;
  const reason = observation.reason ? ` (${observation.reason})` : "";
  const parts = [`${HOW[state] ?? state}${waited}${reason}`];
  const pending = observation.tasks.filter((t) => !t.terminal);
  if (observation.tasks.length > 0) {
    const counts = formatStatusCounts(observation.statusCounts);
    const on = pending.length > 0 ? ` on ${capList(pending.map((t) => t.instanceId))}` : "";
    parts.push(
      `${pending.length} of ${plural(observation.tasks.length, "task")} not terminal${on}${counts ? ` (${counts})` : ""}`,
    );
  }
  const last = observation.lastPollAt ? `, last at ${observation.lastPollAt}` : "";
  parts.push(`${plural(observation.polls, "poll")}${last}`);
  const budget = observation.deadlineMs > 0 ? observation.deadlineMs : spec.wait.timeoutMs;
  return {
    check: "wait",
    // fail-fast stops only once a failure is certain: not waiting longer hides nothing.
    outcome: state === "stopped" ? "skip" : "error",
    expected: `every task terminal within ${formatDuration(budget)}`,
    actual: state,
    message: parts.join("; "),
    where: spec.wait.where,
  };
}
