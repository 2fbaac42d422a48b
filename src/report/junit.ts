// JUnit XML as CI systems read it. The document follows the Ant schema (windyroad JUnit.xsd):
// ordered suite children, output at suite level. The default "broad" flavour adds what common readers
// use beyond the schema: `file` and `line` on <testcase> (GitLab and the GitHub JUnit actions read
// them), a testcase's own <properties> (its task and invocation ids), and the run's totals and wall
// time on <testsuites> (readers that sum suites would otherwise add up overlapping waits). The
// "strict" flavour leaves all three out and validates against the schema as is.
import { hostname as osHostname } from "node:os";
import { groupDigits } from "../locale-free.js";
import type { RunReport, SpecReport } from "../model.js";
import { writeFileAtomic } from "./atomic-write.js";
import { capMiddle } from "./cap.js";
import { type JunitCase, junitCases, statusLine, taskNames } from "./junit-cases.js";
import type { Reporter } from "./reporter.js";
import { NOTHING_CHECKED, nothingChecked } from "./verdict-text.js";
import { xmlAttr, xmlClean, xmlText } from "./xml-text.js";

export type JunitFlavor = "broad" | "strict";

export interface JunitOptions {
  /** @default "broad" */
  flavor?: JunitFlavor;
  /** The machine tat-assert ran on (the schema requires one). @default os.hostname() */
  hostname?: string;
  /** Per task output kept in <system-out> (head and tail). @default 32768 */
  maxTaskOutputChars?: number;
  /** All task output of one suite together. @default 2097152 */
  maxSuiteOutputChars?: number;
}

export const DEFAULT_JUNIT_PATH = "tat-assert-junit.xml";

export function seconds(ms: number): string {
  return (Number.isFinite(ms) && ms > 0 ? ms / 1000 : 0).toFixed(3);
}

/** `YYYY-MM-DDTHH:MM:SS` in UTC: the only form the schema accepts (no fraction, no zone). */
export function junitTimestamp(iso: string, fallback: string): string {
  const ms = Date.parse(iso);
  const date = new Date(Number.isFinite(ms) ? ms : Date.parse(fallback));
  return Number.isFinite(date.getTime()) ? date.toISOString().slice(0, 19) : "1970-01-01T00:00:00";
}

/** The schema's name attributes are non-empty tokens: whitespace-only would collapse to nothing. */
function token(text: string, fallback: string): string {
  return xmlClean(text).trim() === "" ? fallback : text;
}

function attrs(pairs: [string, string | number | undefined][]): string {
  return pairs
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join("");
}

function unique(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => !!v))];
}

function properties(spec: SpecReport): [string, string][] {
  const o = spec.observation;
  const props: [string, string][] = [["spec.file", spec.where.file]];
  if (spec.region) props.push(["region", spec.region]);
  const invocations = unique([
    ...o.invocations.map((i) => i.invocationId),
    ...spec.tasks.map((t) => t.observed.invocationId),
  ]);
  if (invocations.length > 0) props.push(["invocation.id", invocations.join(",")]);
  const commands = unique([
    ...o.invocations.map((i) => i.commandId),
    ...spec.tasks.map((t) => t.observed.commandId),
  ]);
  if (commands.length > 0) props.push(["command.id", commands.join(",")]);
  props.push(["wait.state", o.state], ["wait.polls", String(o.polls)]);
  const names = taskNames(spec);
  for (const [i, t] of spec.tasks.entries()) props.push([`task.${names[i]}`, t.taskId]);
  return props;
}

function propertiesXml(props: [string, string][], indent: string): string {
  if (props.length === 0) return `${indent}<properties/>`;
  const lines = props.map(
    ([name, value]) =>
      `${indent}  <property${attrs([
        ["name", name],
        ["value", value],
      ])}/>`,
  );
  return `${indent}<properties>\n${lines.join("\n")}\n${indent}</properties>`;
}

function caseXml(c: JunitCase, flavor: JunitFlavor): string {
  const broad = flavor === "broad";
  const where: [string, string | number | undefined][] = broad
    ? [
        ["file", c.file],
        ["line", c.line],
      ]
    : [];
  const head = `    <testcase${attrs([["name", token(c.name, "(unnamed)")], ["classname", token(c.classname, "(unnamed spec)")], ["time", seconds(c.timeMs)], ...where])}`;
  const children: string[] = [];
  if (broad && c.properties && c.properties.length > 0)
    children.push(propertiesXml(c.properties, "      "));
  const r = c.result;
  if (r?.kind === "skipped") children.push(`      <skipped${attrs([["message", r.message]])}/>`);
  else if (r)
    children.push(
      `      <${r.kind}${attrs([
        ["message", r.message],
        ["type", r.type],
      ])}>${xmlText(r.body)}</${r.kind}>`,
    );
  return children.length === 0 ? `${head}/>` : `${head}>\n${children.join("\n")}\n    </testcase>`;
}

function systemOut(spec: SpecReport, perTask: number, perSuite: number): string {
  const sections: string[] = [];
  let used = 0;
  for (const [i, task] of spec.tasks.entries()) {
    if (used >= perSuite) {
      sections.push(
        `[output of ${groupDigits(spec.tasks.length - i)} more tasks left out: the suite output limit was reached]`,
      );
      break;
    }
    // Only the output's last lines outlive the run's judgement of it (output-summary.ts).
    const kept = task.observed.outputSummary;
    const body =
      kept === undefined
        ? "(output not fetched)"
        : kept.chars === 0
          ? "(no output)"
          : kept.tail === undefined
            ? `(${groupDigits(kept.lines)} lines, ${groupDigits(kept.chars)} characters; not kept for a task that passed)`
            : kept.tail.length < kept.chars
              ? `[last lines of ${groupDigits(kept.lines)} (${groupDigits(kept.chars)} characters)]\n${capMiddle(kept.tail, perTask)}`
              : capMiddle(kept.tail, perTask);
    used += body.length;
    sections.push(`=== ${statusLine(task)} ===\n${body}${body.endsWith("\n") ? "" : "\n"}`);
  }
  return sections.join("\n");
}

function systemErr(spec: SpecReport): string {
  const o = spec.observation;
  const lines = o.apiErrors.map(
    (e) =>
      `${e.at} ${e.action}: ${e.code}: ${e.message}${e.requestId ? ` (RequestId ${e.requestId})` : ""}${e.recovered ? " [recovered]" : ""}`,
  );
  if (o.reason) lines.push(`wait ended (${o.state}): ${o.reason}`);
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}

interface Suite {
  name: string;
  cases: JunitCase[];
  timeMs: number;
  startedAt: string;
  properties: [string, string][];
  out: string;
  err: string;
}

function specSuite(spec: SpecReport, options: Required<JunitOptions>): Suite {
  return {
    name: spec.name,
    cases: junitCases(spec),
    timeMs: spec.durationMs,
    startedAt: spec.observation.startedAt,
    properties: properties(spec),
    out: systemOut(spec, options.maxTaskOutputChars, options.maxSuiteOutputChars),
    err: systemErr(spec),
  };
}

/** Errors outside any spec's verdict (an invalid spec, no credentials) still turn the CI view red
 * instead of "no tests", at the spec line they are about when there is one: readers that find no
 * `file` make one up from the classname (`tat-assert:1`). */
function runErrorSuite(report: RunReport): Suite | undefined {
  if (report.errors.length === 0) return undefined;
  const seen = new Map<string, number>();
  const cases: JunitCase[] = report.errors.map((e) => {
    const message = `${e.message}${e.requestId ? ` (RequestId ${e.requestId})` : ""}`;
    const n = (seen.get(e.kind) ?? 0) + 1;
    seen.set(e.kind, n);
    const several = report.errors.filter((x) => x.kind === e.kind).length > 1;
    return {
      name: several ? `${e.kind} error #${n}` : `${e.kind} error`,
      classname: "tat-assert",
      timeMs: 0,
      ...(e.where && { file: e.where.file, line: e.where.line }),
      result: { kind: "error", message, type: e.code ?? e.kind, body: message },
    };
  });
  return {
    name: "tat-assert",
    cases,
    timeMs: report.durationMs,
    startedAt: report.startedAt,
    properties: [],
    out: "",
    err: "",
  };
}

function suiteXml(
  suite: Suite,
  id: number,
  fallbackTime: string,
  options: Required<JunitOptions>,
): string {
  const tally = (kind: string) => suite.cases.filter((c) => c.result?.kind === kind).length;
  const head = `  <testsuite${attrs([
    ["name", token(suite.name, "(unnamed spec)")],
    ["package", "tat-assert"],
    ["id", id],
    ["tests", suite.cases.length],
    ["failures", tally("failure")],
    ["errors", tally("error")],
    ["skipped", tally("skipped")],
    ["time", seconds(suite.timeMs)],
    ["timestamp", junitTimestamp(suite.startedAt, fallbackTime)],
    ["hostname", options.hostname],
  ])}>`;
  return [
    head,
    propertiesXml(suite.properties, "    "),
    ...suite.cases.map((c) => caseXml(c, options.flavor)),
    `    <system-out>${xmlText(suite.out)}</system-out>`,
    `    <system-err>${xmlText(suite.err)}</system-err>`,
    "  </testsuite>",
  ].join("\n");
}

export function renderJunit(report: RunReport, options: JunitOptions = {}): string {
  const full: Required<JunitOptions> = {
    flavor: options.flavor ?? "broad",
    hostname: token(options.hostname || osHostname(), "localhost"),
    maxTaskOutputChars: options.maxTaskOutputChars ?? 32_768,
    maxSuiteOutputChars: options.maxSuiteOutputChars ?? 2_097_152,
  };
  const c = report.counts;
  const comment = `${report.tool.name} ${report.tool.version}: ${report.specs.length} specs, ${c.pass} passed, ${c.fail} failed, ${c.error} not verified, ${c.skip} skipped; exit code ${report.exitCode}${nothingChecked(report) ? `; ${NOTHING_CHECKED}` : ""}`;
  const errors = runErrorSuite(report);
  const suites = [
    ...(errors ? [errors] : []),
    ...report.specs.map((spec) => specSuite(spec, full)),
  ];
  const all = suites.flatMap((s) => s.cases);
  const tally = (kind: string) => all.filter((x) => x.result?.kind === kind).length;
  const totals =
    full.flavor === "broad"
      ? attrs([
          ["name", "tat-assert"],
          ["tests", all.length],
          ["failures", tally("failure")],
          ["errors", tally("error")],
          ["skipped", tally("skipped")],
          ["time", seconds(report.durationMs)],
        ])
      : "";
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<!-- ${xmlClean(comment).replace(/-(?=-)/g, "- ")} -->`,
    `<testsuites${totals}>`,
    ...suites.map((suite, i) => suiteXml(suite, i, report.startedAt, full)),
    "</testsuites>",
    "",
  ].join("\n");
}

export function junitReporter(path: string, options: JunitOptions = {}): Reporter {
  return {
    name: options.flavor === "strict" ? "junit-strict" : "junit",
    file: path,
    async end(report) {
      await writeFileAtomic(path, renderJunit(report, options));
    },
  };
}
