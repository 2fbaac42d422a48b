// The Markdown shown on GitHub (check run summary and job summary): an overview table, then per
// spec its instances, status counts and what did not hold, expected against actual.

import { groupDigits } from "../locale-free.js";
import type { Outcome, RunReport, SpecReport, TaskReport, WaitState } from "../model.js";
import { capBytes, capMiddle, utf8Length } from "./cap.js";
import { resultDetails } from "./junit-cases.js";
import { codeBlock, mdCell, mdText, table } from "./markdown.js";
import type { RunStart, SpecProgress } from "./reporter.js";
import { locationText } from "./result-line.js";

const ICON: Record<Outcome, string> = { pass: "✅", fail: "❌", error: "⚠️", skip: "⏭️" };
const WORD: Record<Outcome, string> = {
  pass: "passed",
  fail: "failed",
  error: "not verified",
  skip: "skipped",
};
const WAIT: Record<WaitState, string> = {
  terminal: "all tasks finished",
  timeout: "wait timed out",
  aborted: "run cancelled",
  stopped: "stopped early (fail-fast)",
  "not-found": "target not found",
  "api-error": "cloud API error",
  inconsistent: "inconsistent API answers",
  skipped: "not polled (skipped)",
};

const MAX_INSTANCE_ROWS = 50;
const MAX_FINDING_ROWS = 50;
const MAX_DETAIL_CHARS = 8000;
const MAX_CELL_CHARS = 200;

export function outcomeIcon(outcome: Outcome): string {
  return ICON[outcome];
}

export function statusCountsText(counts: Record<string, number>): string {
  const entries = Object.entries(counts).filter(([, n]) => n > 0);
  return entries.length === 0 ? "—" : entries.map(([s, n]) => `${s} ×${n}`).join(", ");
}

function clip(text: string): string {
  return text.length > MAX_CELL_CHARS ? `${text.slice(0, MAX_CELL_CHARS - 1)}…` : text;
}

function secondsText(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
}

function aborted(report: RunReport): boolean {
  return report.specs.some((s) => s.observation.state === "aborted");
}

/** A wait that ended early says so; after a complete wait it was a check that could not be made. */
function whyNotVerified(spec: SpecReport): string {
  if (spec.observation.state !== "terminal") return WAIT[spec.observation.state];
  const results = [...spec.fleet, ...spec.tasks.flatMap((t) => t.results)];
  const first = results.find((r) => r.outcome === "error");
  return first ? `${first.check} could not be checked` : "not verified";
}

/** The one line GitHub shows next to the check: what happened, in numbers. */
export function runTitle(report: RunReport): string {
  const n = report.specs.length;
  const c = report.counts;
  const specs = (k: number) => `${k} of ${n} spec${n === 1 ? "" : "s"}`;
  const firstError = report.errors[0];
  if (firstError && c.fail === 0 && c.error === 0)
    return `Run error: ${firstError.message}`.slice(0, 200);
  if (c.fail > 0) return `${specs(c.fail)} failed${c.error > 0 ? `, ${c.error} not verified` : ""}`;
  if (c.error > 0) {
    const states = [
      ...new Set(report.specs.filter((s) => s.outcome === "error").map(whyNotVerified)),
    ];
    const prefix = aborted(report) ? "Cancelled: could not verify" : "Could not verify";
    return `${prefix} ${specs(c.error)} (${states.join(", ")})`;
  }
  if (n > 0 && c.skip === n)
    return `All ${n} spec${n === 1 ? "" : "s"} skipped: nothing was checked`;
  const tasks = report.specs.reduce((sum, s) => sum + s.tasks.length, 0);
  return `All ${n - c.skip} spec${n - c.skip === 1 ? "" : "s"} passed (${tasks} task${tasks === 1 ? "" : "s"})${c.skip > 0 ? `, ${c.skip} skipped` : ""}`;
}

function taskCountsText(spec: SpecReport): string {
  const parts = (["pass", "fail", "error", "skip"] as const)
    .filter((k) => spec.counts[k] > 0)
    .map((k) => `${spec.counts[k]} ${WORD[k]}`);
  return parts.length === 0 ? "no tasks" : parts.join(", ");
}

function waitText(spec: SpecReport): string {
  const o = spec.observation;
  if (o.state === "skipped") return WAIT.skipped;
  return `${WAIT[o.state]}: ${o.polls} poll${o.polls === 1 ? "" : "s"}, ${secondsText(spec.durationMs)}`;
}

function overview(report: RunReport): string {
  const rows = report.specs.map((s) => [
    `${ICON[s.outcome]} ${mdCell(s.name)}`,
    taskCountsText(s),
    mdCell(statusCountsText(s.observation.statusCounts)),
    mdCell(waitText(s)),
  ]);
  return table(["Spec", "Tasks", "Statuses", "Wait"], rows);
}

const RANK: Record<Outcome, number> = { fail: 0, error: 1, skip: 2, pass: 3 };

function instanceTable(spec: SpecReport): string {
  if (spec.tasks.length === 0) return "_No tasks matched._";
  const sorted = [...spec.tasks].sort((a, b) => RANK[a.outcome] - RANK[b.outcome]);
  const shown = sorted.slice(0, MAX_INSTANCE_ROWS);
  const rows = shown.map((t: TaskReport) => [
    mdCell(t.instanceId),
    mdCell(t.taskId),
    mdCell(t.observed.status),
    t.observed.exitCode === undefined ? "—" : String(t.observed.exitCode),
    `${ICON[t.outcome]} ${WORD[t.outcome]}`,
  ]);
  const more = sorted.length - shown.length;
  const note =
    more > 0
      ? `\n\n_… and ${groupDigits(more)} more instances (${MAX_INSTANCE_ROWS} shown, those that did not pass first)._`
      : "";
  return table(["Instance", "Task", "Status", "Exit code", "Result"], rows) + note;
}

function findingTable(spec: SpecReport): string | undefined {
  const rows: string[][] = [];
  const add = (subject: string, r: SpecReport["fleet"][number]) => {
    if (r.outcome !== "fail" && r.outcome !== "error") return;
    rows.push([
      `${ICON[r.outcome]} ${mdCell(subject)}`,
      mdCell(r.check),
      mdCell(clip(r.expected)),
      mdCell(clip(r.actual)),
      mdCell(locationText(r.where)),
    ]);
  };
  for (const r of spec.fleet) add("(spec)", r);
  for (const t of spec.tasks) for (const r of t.results) add(t.instanceId, r);
  if (rows.length === 0) return undefined;
  const shown = rows.slice(0, MAX_FINDING_ROWS);
  const more = rows.length - shown.length;
  const note =
    more > 0 ? `\n\n_… and ${groupDigits(more)} more (see the details or the JSON report)._` : "";
  return table(["Instance", "Check", "Expected", "Actual", "Where"], shown) + note;
}

function specSection(spec: SpecReport): string {
  const invocations = [...new Set(spec.observation.invocations.map((i) => i.invocationId))];
  const meta = [
    mdText(locationText(spec.where)),
    ...(spec.region ? [`region ${mdText(spec.region)}`] : []),
    ...(invocations.length > 0 ? [`invocation ${mdText(invocations.join(", "))}`] : []),
    mdText(waitText(spec)),
  ].join(" · ");
  const parts = [`#### ${ICON[spec.outcome]} ${mdText(spec.name)} — ${WORD[spec.outcome]}`, meta];
  if (spec.observation.reason && spec.observation.state !== "terminal") {
    parts.push(`> ${mdText(spec.observation.reason)}`);
  }
  parts.push(instanceTable(spec));
  const findings = findingTable(spec);
  if (findings) parts.push(findings);
  return parts.join("\n\n");
}

function cutNote(limit: string) {
  return (cut: number) =>
    `\n\n---\n_${groupDigits(cut)} characters cut to fit ${limit}; the JSON report has everything._\n`;
}

export interface SummaryOptions {
  /** UTF-8 byte cap of the whole summary. */
  maxBytes: number;
  /** Named in the cut note, e.g. "GitHub's 65,535-character limit". */
  limitName: string;
  heading?: boolean;
}

export function renderSummary(report: RunReport, options: SummaryOptions): string {
  const top =
    options.heading === false
      ? []
      : [`### ${ICON[report.outcome]} tat-assert: ${mdText(runTitle(report))}`];
  const errors = report.errors.map(
    (e) =>
      `> **${mdText(e.kind)} error:** ${mdText(e.message)}${e.requestId ? ` (RequestId ${mdText(e.requestId)})` : ""}`,
  );
  const body = [
    ...top,
    ...errors,
    ...(report.specs.length > 0 ? [overview(report)] : []),
    ...report.specs.map(specSection),
  ];
  return capBytes(`${body.join("\n\n")}\n`, options.maxBytes, cutNote(options.limitName));
}

/**
 * Every result that did not hold, with expected/actual and the output excerpt. Whole blocks are
 * left out when the limit is near, so no code fence is ever left open.
 */
export function renderDetails(report: RunReport, maxBytes: number, limitName: string): string {
  const budget = maxBytes - 300; // room for the closing note
  const parts: string[] = [];
  let used = 0;
  let left = 0;
  for (const spec of report.specs) {
    const blocks: string[] = [];
    for (const r of spec.fleet)
      if (r.outcome === "fail" || r.outcome === "error") blocks.push(resultDetails(r));
    for (const t of spec.tasks) {
      for (const r of t.results)
        if (r.outcome === "fail" || r.outcome === "error")
          blocks.push(resultDetails(r, t.instanceId));
    }
    for (const [i, b] of blocks.entries()) {
      const block = codeBlock(capMiddle(b, MAX_DETAIL_CHARS));
      // The spec heading travels with its first block.
      const text = i === 0 ? `#### ${ICON[spec.outcome]} ${mdText(spec.name)}\n\n${block}` : block;
      const size = utf8Length(text) + 2;
      if (left === 0 && used + size <= budget) {
        parts.push(text);
        used += size;
      } else left++;
    }
  }
  if (parts.length === 0) return "";
  if (left > 0)
    parts.push(
      `_… ${groupDigits(left)} more results left out to fit ${limitName}; the JSON report has everything._`,
    );
  return `${parts.join("\n\n")}\n`;
}

/** The in-progress view: how far each spec's wait has got. */
export function renderProgress(run: RunStart, latest: ReadonlyMap<string, SpecProgress>): string {
  const rows = run.specs.map((s) => {
    const p = latest.get(s.name);
    return [
      mdCell(s.name),
      p ? `${p.terminal} / ${p.total}` : "—",
      p ? mdCell(statusCountsText(p.statusCounts)) : "waiting for the first poll",
      p
        ? `${secondsText(p.elapsedMs)} of ${secondsText(p.deadlineMs)}`
        : `deadline ${secondsText(s.deadlineMs)}`,
    ];
  });
  return `${table(["Spec", "Tasks finished", "Statuses", "Elapsed"], rows)}\n`;
}
