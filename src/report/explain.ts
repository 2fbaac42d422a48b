// `tat-assert explain`: the final report told check by check. For each task, what TAT reported
// (status, exit code, times, output size, Dropped), which expectations judged it (spec-wide, or an
// instance's override), and for each check where it was declared, what it read and why it held,
// did not hold or could not be checked. It reads only the report, like every reporter: what it
// shows is what the verdict was made of, never a second reading of the API.
import type {
  AssertionResult,
  ObservedTask,
  Outcome,
  RunReport,
  SourceLocation,
  SpecReport,
  Target,
  TaskReport,
} from "../model.js";
import { formatDuration } from "../spec/duration.js";
import { closingLines, type RenderOptions } from "./console.js";
import { plain, plainLine } from "./sanitize.js";

const LABEL: Record<Outcome, string> = {
  pass: "PASS ",
  fail: "FAIL ",
  error: "ERROR",
  skip: "SKIP ",
};
const COLOR: Record<Outcome, string> = { pass: "32", fail: "31", error: "33", skip: "90" };
const MARK: Record<Outcome, string> = { pass: "✓", fail: "✗", error: "!", skip: "-" };
/** What each outcome means, said before the reason. */
const WHY: Record<Outcome, string> = {
  pass: "held",
  fail: "did not hold",
  error: "could not verify",
  skip: "not checked",
};

/** The explanation of a whole run; `o.quiet` leaves out the tasks that passed. */
export function renderExplain(report: RunReport, o: RenderOptions): string {
  const out: string[] = [""];
  for (const spec of report.specs) {
    // Lines per task: spread into push, 100,000 of them overflowed the call stack.
    for (const line of explainSpec(spec, o)) out.push(line);
    out.push("");
  }
  for (const e of report.errors) {
    const at = e.where ? ` (${at_(e.where)})` : "";
    out.push(o.paint("31", `error: ${plainLine(e.message)}${at}`));
  }
  out.push(...closingLines(report), "");
  return out.join("\n");
}

function at_(where: SourceLocation): string {
  return `${plainLine(where.file)}:${where.line}`;
}

function explainSpec(spec: SpecReport, o: RenderOptions): string[] {
  const lines = [
    `${o.paint(COLOR[spec.outcome], LABEL[spec.outcome])} ${plainLine(spec.name)} (${at_(spec.where)})`,
    `  target: ${targetText(spec.target)} (${at_(spec.target.where)})${spec.region ? `, region ${plainLine(spec.region)}` : ""}`,
    `  wait: ${waitText(spec)}`,
  ];
  for (const e of spec.observation.apiErrors) {
    const req = e.requestId ? ` (RequestId ${plainLine(e.requestId)})` : "";
    lines.push(
      `  API: ${plainLine(e.action)} answered ${plainLine(e.code)}: ${plainLine(e.message)}${req}${e.recovered ? ", recovered on retry" : ""}`,
    );
  }
  for (const r of spec.fleet) {
    lines.push(`  ${checkLine(r, o)}`);
    lines.push(`      expected ${plainLine(r.expected)}; saw ${plainLine(r.actual)}`);
  }
  if (spec.tasks.length === 0 && spec.outcome !== "skip") lines.push("  no tasks were seen");
  for (const task of spec.tasks) {
    if (o.quiet && task.outcome === "pass") continue;
    for (const line of explainTask(task, o)) lines.push(line);
  }
  return lines;
}

function targetText(target: Target): string {
  switch (target.kind) {
    case "invocations":
      return `invocation${target.invocationIds.length === 1 ? "" : "s"} ${target.invocationIds.map(plainLine).join(", ")}`;
    case "tasks":
      return `task${target.taskIds.length === 1 ? "" : "s"} ${target.taskIds.map(plainLine).join(", ")}`;
    case "filters":
      return `invocations where ${target.filters.map((f) => `${plainLine(f.name)} = ${f.values.map(plainLine).join("|")}`).join(", ")}`;
    case "latest": {
      const command = target.commandId ?? `named ${target.commandName ?? ""}`;
      const on = target.instanceIds ? ` on ${target.instanceIds.map(plainLine).join(", ")}` : "";
      return `the latest invocation of command ${plainLine(command)}${on}`;
    }
  }
}

const WAIT_END: Record<string, string> = {
  terminal: "every task terminal",
  timeout: "the deadline passed first",
  aborted: "stopped by a signal",
  stopped: "stopped early (--fail-fast)",
  "not-found": "the target was never found",
  "api-error": "the API refused or kept failing",
  inconsistent: "the API's pages did not add up",
  skipped: "skipped",
};

function waitText(spec: SpecReport): string {
  const ob = spec.observation;
  const end = WAIT_END[ob.state] ?? plainLine(ob.state);
  const polls = ob.state === "skipped" ? "" : ` after ${ob.polls} poll${ob.polls === 1 ? "" : "s"}`;
  const deadline = ob.state === "skipped" ? "" : ` (deadline ${formatDuration(ob.deadlineMs)})`;
  return `${end}${polls}${deadline}${ob.reason ? `: ${plainLine(ob.reason)}` : ""}`;
}

function explainTask(task: TaskReport, o: RenderOptions): string[] {
  const t = task.observed;
  const lines = [
    "",
    `  ${o.paint(COLOR[task.outcome], LABEL[task.outcome])} ${plainLine(task.instanceId)}  task ${plainLine(task.taskId)} (invocation ${plainLine(t.invocationId)})`,
    `    TAT reported: ${reportedText(t)}`,
    `    expectations: ${task.override ? `spec-wide, with the override for ${plainLine(task.instanceId)} at ${at_(task.override)}` : "spec-wide (no override for this instance)"}`,
  ];
  for (const r of task.results) {
    lines.push(`    ${checkLine(r, o)}`);
    for (const l of readLines(r, t)) lines.push(`        ${l}`);
  }
  return lines;
}

/** The task as TAT reported it, before any judgement. */
function reportedText(t: ObservedTask): string {
  const parts = [`TaskStatus ${plainLine(t.status)}${t.terminal ? "" : " (not terminal)"}`];
  if (t.history.length > 1)
    parts.push(`seen ${t.history.map((h) => plainLine(h.status)).join(" → ")}`);
  parts.push(t.exitCode === undefined ? "no ExitCode" : `ExitCode ${t.exitCode}`);
  const ran = ranFor(t);
  if (ran !== undefined) parts.push(`ran ${formatDuration(ran)}`);
  parts.push(outputText(t));
  if (t.errorInfo) parts.push(`ErrorInfo ${JSON.stringify(plainLine(t.errorInfo))}`);
  return parts.join(", ");
}

function ranFor(t: ObservedTask): number | undefined {
  if (!t.execStartTime || !t.execEndTime) return undefined;
  const ms = Date.parse(t.execEndTime) - Date.parse(t.execStartTime);
  return Number.isNaN(ms) || ms < 0 ? undefined : ms;
}

/** "output 12 lines / 480 bytes (utf-8), Dropped 0". */
function outputText(t: ObservedTask): string {
  const dropped = `Dropped ${t.droppedBytes}${t.outputSource === "cos" ? ", full output read from COS" : ""}`;
  if (t.outputUndecodable)
    return `output undecodable (${plainLine(t.outputUndecodable)}), ${dropped}`;
  const s = t.outputSummary;
  if (!s) return `${t.outputFetched ? "no output" : "output not fetched"}, ${dropped}`;
  const encoding = t.outputEncoding ? ` (${plainLine(t.outputEncoding)})` : "";
  return `output ${sizeText(t)}${encoding}, ${dropped}`;
}

function sizeText(t: ObservedTask): string {
  const s = t.outputSummary;
  if (!s) return "no output";
  return `${s.lines} line${s.lines === 1 ? "" : "s"} / ${s.chars} characters`;
}

function checkLine(r: AssertionResult, o: RenderOptions): string {
  // Said once: some messages already begin with it ("not verified: still RUNNING").
  const said = /^(could )?not (verified|verify|checked)\b/i.test(r.message);
  const why = r.outcome === "pass" || said ? "" : `${WHY[r.outcome]}: `;
  return `${o.paint(COLOR[r.outcome], MARK[r.outcome])} ${r.check}  ${why}${plainLine(r.message)}  (${at_(r.where)})`;
}

/** What the check read and why it came out as it did. */
function readLines(r: AssertionResult, t: ObservedTask): string[] {
  const expected = `expected ${plainLine(r.expected)}`;
  if (!t.terminal) return [`${expected}; the task was still ${plainLine(t.status)}`];
  switch (r.check) {
    case "status":
      return [`${expected}; read TaskStatus ${plainLine(t.status)}`];
    case "exitCode":
      return [
        `${expected}; read ${t.exitCode === undefined ? "no ExitCode" : `ExitCode ${t.exitCode}`} with TaskStatus ${plainLine(t.status)}`,
      ];
    case "duration": {
      const start = t.execStartTime ? plainLine(t.execStartTime) : "none";
      const end = t.execEndTime ? plainLine(t.execEndTime) : "none";
      return [`limit: ${plainLine(r.expected)}; read ExecStartTime ${start}, ExecEndTime ${end}`];
    }
    case "truncated":
      return [`${expected}; read Dropped ${t.droppedBytes}`];
    case "output.matches":
    case "output.notMatches":
      return outputRead(r, t);
    default:
      return [`${expected}; saw ${plainLine(r.actual)}`];
  }
}

function outputRead(r: AssertionResult, t: ObservedTask): string[] {
  const lines: string[] = [];
  // With the full log read from COS, Dropped is still TAT's count, but nothing was left unread.
  const kept =
    t.outputSource === "cos"
      ? " (the full output, read from COS)"
      : t.droppedBytes > 0
        ? ` (what TAT kept; ${t.droppedBytes} bytes dropped)`
        : "";
  if (r.found) {
    lines.push(`found on line ${r.found.line}${kept}:`);
    // Untrusted output: always behind a prefix, never a bare line.
    if (r.excerpt) for (const l of plain(r.excerpt).split("\n")) lines.push(`| ${l}`);
    else lines.push(`> ${r.found.line} | ${plainLine(r.found.text)}`);
    return lines;
  }
  if (r.outcome === "error") {
    if (t.outputSummary) lines.push(`read ${sizeText(t)}${kept}`);
  } else if (r.actual === "found") {
    // A pass located only when the run explains; a report from elsewhere may lack it.
    lines.push(`found in ${sizeText(t)}${kept} (line not recorded)`);
  } else {
    lines.push(`not found in ${sizeText(t)}${kept}`);
  }
  if (r.excerpt) {
    lines.push("the output ends:");
    for (const l of plain(r.excerpt).split("\n")) lines.push(`| ${l}`);
  }
  return lines;
}
