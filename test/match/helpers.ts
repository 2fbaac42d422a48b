// Specs for evaluation tests are written in the real format and loaded by the real loader, so the
// engine is always tested against what users can actually write.

import { formatIssue } from "../../src/errors.js";
import type { Observation, Spec, TaskObservation } from "../../src/model.js";
import { parseSpecs } from "../../src/spec/load.js";

/** A spec from YAML lines after `version` and `target` (which sit on lines 1 and 2). */
export function specFrom(body = ""): Spec {
  const text = `version: 1\ntarget: { invocationId: inv-abcd1234 }\n${body}`;
  const { specs, issues } = parseSpecs(text, "spec.yml", { env: {} });
  if (issues.length > 0) throw new Error(issues.map(formatIssue).join("\n"));
  const spec = specs[0];
  if (!spec) throw new Error("no spec");
  return spec;
}

let next = 0;

export function task(fields: Partial<TaskObservation> = {}): TaskObservation {
  next += 1;
  return {
    invocationId: "inv-abcd1234",
    taskId: `invt-${String(next).padStart(8, "0")}`,
    instanceId: `ins-${String(next).padStart(8, "0")}`,
    status: "SUCCESS",
    terminal: true,
    exitCode: 0,
    output: "deploy ok\n",
    outputFetched: true,
    droppedBytes: 0,
    execStartTime: "2026-01-01T12:00:00Z",
    execEndTime: "2026-01-01T12:01:00Z",
    history: [],
    ...fields,
  };
}

export function observation(
  tasks: TaskObservation[],
  fields: Partial<Observation> = {},
): Observation {
  const statusCounts: Record<string, number> = {};
  for (const t of tasks) statusCounts[t.status] = (statusCounts[t.status] ?? 0) + 1;
  return {
    state: "terminal",
    tasks,
    invocations: [{ invocationId: "inv-abcd1234" }],
    startedAt: "2026-01-01T12:00:00.000Z",
    endedAt: "2026-01-01T12:04:30.000Z",
    lastPollAt: "2026-01-01T12:04:29.000Z",
    polls: 14,
    deadlineMs: 600_000,
    statusCounts,
    apiErrors: [],
    ...fields,
  };
}
