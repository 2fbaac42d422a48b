// RunReport → the flat list of JUnit test cases for one spec. Kept apart from the XML writer so
// the mapping (which result becomes a failure, an error, a skip) is read and tested on its own.
import type { AssertionResult, Outcome, SpecReport, TaskReport } from "../model.js";
import { capMiddle } from "./cap.js";
import { resultLine } from "./result-line.js";

export interface JunitCase {
  name: string;
  classname: string;
  timeMs: number;
  /** Absent only for run-level errors that belong to no spec line. */
  file?: string;
  line?: number;
  /** Ids that change with every deploy: kept out of the name, which CI uses as the test's identity. */
  properties?: [string, string][];
  result?: { kind: "failure" | "error" | "skipped"; message: string; type: string; body: string };
}

const KIND: Record<Outcome, "failure" | "error" | "skipped" | undefined> = {
  pass: undefined,
  fail: "failure",
  error: "error",
  skip: "skipped",
};

const EXCERPT_TAIL_LINES = 20;
const EXCERPT_MAX_CHARS = 4000;

export function taskDurationMs(task: TaskReport): number {
  const { execStartTime, execEndTime } = task.observed;
  if (!execStartTime || !execEndTime) return 0;
  const ms = Date.parse(execEndTime) - Date.parse(execStartTime);
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

function indent(text: string, pad: string): string {
  return text
    .split("\n")
    .map((line) => pad + line)
    .join("\n");
}

/** Expected/actual and the excerpt of each result, for a failure body or a details section. */
export function resultDetails(result: AssertionResult, subject?: string): string {
  const lines = [
    resultLine(result, subject),
    `  check:    ${result.check}`,
    `  expected: ${result.expected}`,
    `  actual:   ${result.actual}`,
  ];
  if (result.excerpt)
    lines.push("  excerpt:", indent(capMiddle(result.excerpt, EXCERPT_MAX_CHARS), "    "));
  return lines.join("\n");
}

function outputTail(task: TaskReport): string | undefined {
  const kept = task.observed.outputSummary;
  if (kept?.tail === undefined || kept.chars === 0) return undefined;
  const lines = kept.tail.replace(/\n$/, "").split("\n");
  const tail = lines.slice(-EXCERPT_TAIL_LINES).join("\n");
  const shown = capMiddle(tail, EXCERPT_MAX_CHARS);
  const note =
    kept.lines > lines.length || lines.length > EXCERPT_TAIL_LINES
      ? ` (last ${Math.min(lines.length, EXCERPT_TAIL_LINES)} of ${kept.lines} lines)`
      : "";
  return `output${note}:\n${indent(shown, "  ")}`;
}

function taskCase(spec: SpecReport, task: TaskReport, name: string): JunitCase {
  const base = {
    name,
    classname: spec.name,
    timeMs: taskDurationMs(task),
    file: spec.where.file,
    line: spec.where.line,
    properties: [
      ["task.id", task.taskId],
      ["invocation.id", task.observed.invocationId],
      // Values the task captured (expect.capture), already cleaned and bounded by the judge.
      ...Object.entries(task.captures ?? {}).map(([k, v]) => [`capture.${k}`, v]),
    ] as [string, string][],
  };
  const kind = KIND[task.outcome];
  if (!kind) return base;
  const relevant = task.results.filter((r) => r.outcome === task.outcome);
  const first = relevant[0];
  if (kind === "skipped") {
    return {
      ...base,
      result: { kind, message: first?.message ?? "skipped", type: "skipped", body: "" },
    };
  }
  // Everything that did not hold goes in the body, errors and failures alike: one element per case.
  const notHeld = task.results.filter((r) => r.outcome === "fail" || r.outcome === "error");
  const body = notHeld.map((r) => resultDetails(r, task.instanceId));
  const tail = notHeld.some((r) => r.excerpt) ? undefined : outputTail(task);
  body.push(statusLine(task), ...(tail ? [tail] : []));
  return {
    ...base,
    file: first?.where.file ?? base.file,
    line: first?.where.line ?? base.line,
    result: {
      kind,
      message: first ? resultLine(first, task.instanceId) : `${task.instanceId}: ${task.outcome}`,
      type: first?.check ?? task.outcome,
      body: body.join("\n\n"),
    },
  };
}

export function statusLine(task: TaskReport): string {
  const o = task.observed;
  const parts = [`status ${o.status}`];
  if (o.exitCode !== undefined) parts.push(`exit code ${o.exitCode}`);
  if (o.droppedBytes > 0) parts.push(`TAT dropped ${o.droppedBytes} bytes of output`);
  if (o.outputSource === "cos") parts.push("output read in full from COS");
  if (o.outputCosError) parts.push(`full output not read from COS: ${o.outputCosError}`);
  if (o.errorInfo) parts.push(`error info: ${o.errorInfo}`);
  return `task ${o.taskId} on ${o.instanceId} (invocation ${o.invocationId}): ${parts.join(", ")}`;
}

function fleetCase(spec: SpecReport, result: AssertionResult, name: string): JunitCase {
  const kind = KIND[result.outcome];
  const base = {
    name,
    classname: spec.name,
    timeMs: 0,
    file: result.where.file,
    line: result.where.line,
  };
  if (!kind) return base;
  const body = kind === "skipped" ? "" : resultDetails(result);
  return {
    ...base,
    result: {
      kind,
      message: kind === "skipped" ? result.message : resultLine(result),
      type: result.check,
      body,
    },
  };
}

/** Spec-level cases are named after their check; a repeated check gets "#2", "#3" so names stay unique. */
function fleetNames(results: AssertionResult[]): string[] {
  const seen = new Map<string, number>();
  return results.map((r) => {
    const n = (seen.get(r.check) ?? 0) + 1;
    seen.set(r.check, n);
    return n === 1 ? r.check : `${r.check} #${n}`;
  });
}

/**
 * A task's case is named by its instance: TAT gives every run new task and invocation ids, and CI
 * (GitLab's "failed N times", Jenkins' test age) tracks a test by its name across runs. A spec that
 * spans several invocations adds the invocation's ordinal, in the order the run met them.
 */
export function taskNames(spec: SpecReport): string[] {
  const order = [
    ...new Set([
      ...spec.observation.invocations.map((i) => i.invocationId),
      ...spec.tasks.map((t) => t.observed.invocationId),
    ]),
  ];
  const several = order.length > 1;
  const seen = new Map<string, number>();
  return spec.tasks.map((t) => {
    const base = several
      ? `${t.instanceId} (invocation ${order.indexOf(t.observed.invocationId) + 1})`
      : t.instanceId;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} #${n}`;
  });
}

export function junitCases(spec: SpecReport): JunitCase[] {
  const names = fleetNames(spec.fleet);
  const tasks = taskNames(spec);
  const cases = [
    ...spec.fleet.map((r, i) => fleetCase(spec, r, names[i] ?? r.check)),
    ...spec.tasks.map((t, i) => taskCase(spec, t, tasks[i] ?? t.instanceId)),
  ];
  if (cases.length === 0 && spec.outcome === "skip") {
    // A skipped spec was never polled; without a case some readers (Jenkins) drop the suite.
    const message = spec.observation.reason ?? "spec skipped";
    cases.push({
      name: "spec",
      classname: spec.name,
      timeMs: 0,
      file: spec.where.file,
      line: spec.where.line,
      result: { kind: "skipped", message, type: "skipped", body: "" },
    });
  }
  return cases;
}
