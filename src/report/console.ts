// Human output. In a terminal: one live progress line per spec, redrawn in place. Elsewhere (CI):
// plain timestamped lines with no escape codes. The final summary names, for every failure, the
// instance, what was expected, what was seen, the spec line and an excerpt of the output, for the
// first TASKS_LISTED tasks of a spec; one line counts the rest.

import { byCodeUnits, groupDigits } from "../locale-free.js";
import type { Outcome, RunReport, SpecReport } from "../model.js";
import { formatDuration } from "../spec/duration.js";
import type { Reporter, RunStart, SpecProgress } from "./reporter.js";
import { resultLine } from "./result-line.js";
import { defuseCommands, plain, plainLine } from "./sanitize.js";
import { fitWidth } from "./terminal.js";
import { verdictText } from "./verdict-text.js";

export interface ConsoleOptions {
  out: NodeJS.WritableStream;
  /** Redraw progress in place (a TTY that is not TERM=dumb). */
  live: boolean;
  /** Width of the terminal, read at each redraw (it changes when the pane is resized); live lines
   * are cut to it so none wraps and leaves fragments behind. */
  columns?: () => number | undefined;
  color: boolean;
  quiet?: boolean;
  verbose?: boolean;
  now?: () => number;
  /** In plain mode, repeat an unchanged progress line at most this often. */
  heartbeatMs?: number;
  /** What the end prints instead of the summary (`tat-assert explain`, src/report/explain.ts). */
  summary?: (report: RunReport, o: RenderOptions) => string;
}

const LABEL: Record<Outcome, string> = {
  pass: "PASS ",
  fail: "FAIL ",
  error: "ERROR",
  skip: "SKIP ",
};
const COLOR: Record<Outcome, string> = { pass: "32", fail: "31", error: "33", skip: "90" };

export function consoleReporter(options: ConsoleOptions): Reporter {
  const { out } = options;
  const now = options.now ?? Date.now;
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const paint = (code: string, text: string) =>
    options.color ? `\x1b[${code}m${text}\x1b[0m` : text;
  // Every line ends up here; a line that would read as a workflow command is defused whatever
  // untrusted text it holds.
  const write = (text: string) => out.write(defuseCommands(text));
  const lines = new Map<string, { code: string; mark: string; text: string }>();
  const lastPrinted = new Map<string, { text: string; at: number }>();
  let drawn = 0;

  const redraw = () => {
    // One column kept free: a line exactly as wide as the pane wraps on some terminals.
    const width = Math.max(10, (options.columns?.() ?? 80) - 1);
    let s = drawn > 0 ? `\x1b[${drawn}A` : "";
    for (const l of lines.values())
      s += `\x1b[2K${paint(l.code, l.mark)} ${fitWidth(l.text, width - 2)}\n`;
    drawn = lines.size;
    write(s);
  };
  const clearLive = () => {
    if (!options.live || drawn === 0) return;
    write(`\x1b[${drawn}A${"\x1b[2K\n".repeat(drawn)}\x1b[${drawn}A`);
    drawn = 0;
  };

  return {
    name: "console",
    last: true,
    start(run: RunStart) {
      if (options.quiet) return;
      if (options.live) {
        for (const s of run.specs)
          lines.set(s.name, { code: "90", mark: "…", text: `${plainLine(s.name)}: waiting` });
        redraw();
      } else {
        write(
          `${stamp(now())} waiting on ${run.specs.length} spec${run.specs.length === 1 ? "" : "s"}\n`,
        );
      }
    },
    progress(p: SpecProgress) {
      if (options.quiet) return;
      const text = progressText(p);
      if (options.live) {
        lines.set(p.spec, { code: "36", mark: "⟳", text });
        redraw();
        return;
      }
      const last = lastPrinted.get(p.spec);
      const t = now();
      if (last && last.text === text.replace(/elapsed \S+/, "") && t - last.at < heartbeatMs)
        return;
      lastPrinted.set(p.spec, { text: text.replace(/elapsed \S+/, ""), at: t });
      write(`${stamp(t)} ${text}\n`);
    },
    end(report: RunReport) {
      clearLive();
      write(
        (options.summary ?? renderSummary)(report, {
          paint,
          quiet: options.quiet ?? false,
          verbose: options.verbose ?? false,
        }),
      );
    },
  };
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");
}

export function progressText(p: SpecProgress): string {
  const counts = Object.entries(p.statusCounts)
    .sort(([a], [b]) => byCodeUnits(a, b))
    .map(([s, n]) => `${plainLine(s)} ${n}`)
    .join(", ");
  return `${plainLine(p.spec)}: ${p.terminal}/${p.total} terminal${counts ? ` (${counts})` : ""}, elapsed ${formatDuration(p.elapsedMs)} of ${formatDuration(p.deadlineMs)}`;
}

export interface RenderOptions {
  paint: (code: string, text: string) => string;
  quiet: boolean;
  verbose: boolean;
}

export function renderSummary(report: RunReport, o: RenderOptions): string {
  const out: string[] = [""];
  for (const spec of report.specs) {
    if (o.quiet && spec.outcome === "pass") continue;
    // A line per task: spread into push, 100,000 of them overflowed the call stack.
    for (const line of renderSpec(spec, o)) out.push(line);
  }
  for (const e of report.errors) out.push(o.paint("31", `error: ${plainLine(e.message)}`));
  out.push("", ...closingLines(report), "");
  return out.join("\n");
}

/** The totals and the exit code, as the summary ends; the GitHub Action fails its step with them. */
export function closingLines(report: RunReport): [string, string] {
  const c = report.counts;
  const parts = [`${c.pass} passed`, `${c.fail} failed`];
  if (c.error) parts.push(`${c.error} could not be verified`);
  if (c.skip) parts.push(`${c.skip} skipped`);
  return [
    `${report.specs.length} spec${report.specs.length === 1 ? "" : "s"}: ${parts.join(", ")} in ${formatDuration(report.durationMs)}`,
    `exit ${report.exitCode}: ${verdictText(report)}`,
  ];
}

function renderSpec(spec: SpecReport, o: RenderOptions): string[] {
  const c = spec.counts;
  const taskParts = [`${c.pass} passed`];
  if (c.fail) taskParts.push(`${c.fail} failed`);
  if (c.error) taskParts.push(`${c.error} not verified`);
  const head = `${o.paint(COLOR[spec.outcome], LABEL[spec.outcome])} ${plainLine(spec.name)} (${plainLine(spec.file)}:${spec.where.line})  ${spec.tasks.length} task${spec.tasks.length === 1 ? "" : "s"}: ${taskParts.join(", ")}  [${formatDuration(spec.durationMs)}]`;
  const lines = [head];
  for (const r of spec.fleet) {
    if (r.outcome === "pass" && !o.verbose) continue;
    lines.push(`  ${mark(r.outcome, o)} ${plainLine(resultLine(r))}`);
  }
  let listed = 0;
  const unlisted = new Map<Outcome, number>();
  for (const task of spec.tasks) {
    // A task that did not pass shows what it captured too: the value beside the failure.
    const shown = task.results.filter(
      (r) =>
        r.outcome !== "pass" || o.verbose || (r.check === "capture" && task.outcome !== "pass"),
    );
    if (shown.length === 0) continue;
    if (!o.verbose && listed >= TASKS_LISTED) {
      unlisted.set(task.outcome, (unlisted.get(task.outcome) ?? 0) + 1);
      continue;
    }
    listed++;
    for (const r of shown) {
      // The same line JUnit and GitHub show, so a failure reads alike everywhere.
      lines.push(`  ${mark(r.outcome, o)} ${plainLine(resultLine(r, task.instanceId))}`);
      if (r.excerpt && r.outcome !== "pass") {
        // Task output is untrusted: every line it has is printed behind a prefix, never bare.
        for (const l of plain(r.excerpt).split("\n")) lines.push(o.paint("90", `      | ${l}`));
      }
    }
  }
  if (unlisted.size > 0) {
    const n = [...unlisted.values()].reduce((a, b) => a + b, 0);
    const parts = (["fail", "error", "skip", "pass"] as const)
      .filter((k) => unlisted.has(k))
      .map((k) => `${groupDigits(unlisted.get(k) ?? 0)} ${UNLISTED_WORD[k]}`);
    lines.push(
      `  … ${groupDigits(n)} more task${n === 1 ? "" : "s"} not listed here (${parts.join(", ")}): every task is in the JSON and JUnit reports, and --verbose lists them all`,
    );
  }
  return lines;
}

/** Tasks whose findings the summary lists per spec; past them, one line counts the rest. A fleet
 * that failed as one would otherwise print a line or more per task (20,000 for 10,000 tasks with
 * two checks each), burying the totals and the failures worth reading under copies of the same
 * line. Nothing is lost: the JSON and JUnit reports hold every task, and --verbose lists them. */
export const TASKS_LISTED = 50;

const UNLISTED_WORD: Record<Outcome, string> = {
  fail: "failed",
  error: "not verified",
  skip: "skipped",
  pass: "passed",
};

function mark(outcome: Outcome, o: RenderOptions): string {
  const m: Record<Outcome, string> = { pass: "✓", fail: "✗", error: "!", skip: "-" };
  return o.paint(COLOR[outcome], m[outcome]);
}
