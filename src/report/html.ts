// The HTML report: one self-contained file (no network fetches, no external scripts, fonts or
// styles) that shows a run the way an SRE wants to see it after a fleet deploy: the verdict in
// words, failures first with their output, the fleet's timeline, and every task filterable.
//
// Every piece of text from the API, the spec or task output goes through html() (the shared
// sanitiser, then HTML escaping); the page's own script and style are allowed by hash in a strict
// Content-Security-Policy, so even a mistake in escaping could not run a script a runbook printed.
// Size is bounded by design: output appears as the excerpts the checks kept, and the last lines
// the run kept (outputSummary.tail) only for failing tasks, at most MAX_FULL_OUTPUTS of them.
import { createHash } from "node:crypto";
import { byCodeUnits } from "../locale-free.js";
import type { AssertionResult, Outcome, RunReport, SpecReport, TaskReport } from "../model.js";
import { formatDuration } from "../spec/duration.js";
import { SCRIPT, STYLE } from "./html-assets.js";
import { clean, html, scriptJson, token } from "./html-text.js";
import { buildTimeline, byOutcome, type Timeline, type TimelineRow } from "./html-timeline.js";
import { nothingChecked } from "./verdict-text.js";

export const DEFAULT_HTML_PATH = "tat-assert-report.html";
/** Failing tasks whose kept output lines are embedded (one click away); later ones show excerpts. */
export const MAX_FULL_OUTPUTS = 200;

const VERDICT: Record<number, [string, string]> = {
  0: ["Passed", "every expectation held"],
  1: ["Failed", "an expectation did not hold"],
  2: ["Invalid", "a spec or the command line is invalid"],
  3: ["Could not verify", "deadline reached, cancelled or target not found"],
  4: ["API error", "the TAT API refused or kept failing"],
  5: ["Report not written", "every expectation held, but a requested report could not be written"],
  70: ["Internal error", "a bug in tat-assert (please report it)"],
};

const OUTCOME_WORD: Record<Outcome, string> = {
  pass: "passed",
  fail: "failed",
  error: "not verified",
  skip: "skipped",
};
const MARK: Record<Outcome, string> = { pass: "✓", fail: "✗", error: "!", skip: "–" };

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("base64");

export function renderHtml(report: RunReport): string {
  const timeline = buildTimeline(report);
  const csp = [
    "default-src 'none'",
    `style-src 'sha256-${sha256(STYLE)}'`,
    `script-src 'sha256-${sha256(SCRIPT)}'`,
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  const [word] = verdictWords(report);
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>tat-assert: ${html(word)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    "<main>",
    renderVerdict(report),
    renderSpecs(report),
    renderFailures(report),
    renderTimeline(timeline),
    renderTasks(report),
    "</main>",
    `<script>${SCRIPT}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

function verdictWords(report: RunReport): [string, string] {
  if (report.exitCode === 0 && nothingChecked(report)) {
    return ["Nothing was checked", "every spec was skipped"];
  }
  return VERDICT[report.exitCode] ?? [`Exit ${report.exitCode}`, "see the README"];
}

function renderVerdict(report: RunReport): string {
  const [word, meaning] = verdictWords(report);
  const c = report.counts;
  const parts = [`${c.pass} passed`, `${c.fail} failed`];
  if (c.error) parts.push(`${c.error} could not be verified`);
  if (c.skip) parts.push(`${c.skip} skipped`);
  const errors = report.errors.map(
    (e) => `<li><strong>${html(e.kind)}</strong>: ${html(e.message)}</li>`,
  );
  return [
    `<section class="verdict o-${report.outcome}" aria-labelledby="verdict">`,
    `<h1 id="verdict">${MARK[report.outcome]} ${html(word)}: ${html(meaning)}</h1>`,
    `<p>Exit code <strong class="mono">${report.exitCode}</strong> · ${report.specs.length} spec${report.specs.length === 1 ? "" : "s"}: ${parts.join(", ")} · ${html(formatDuration(report.durationMs))} · started ${html(report.startedAt)} · ${html(report.tool.name)} ${html(report.tool.version)}</p>`,
    errors.length > 0 ? `<ul class="run-errors">${errors.join("")}</ul>` : "",
    "</section>",
  ].join("\n");
}

function countBy<T>(items: T[], key: (t: T) => string): [string, number][] {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1] || byCodeUnits(a[0], b[0]));
}

function renderSpecs(report: RunReport): string {
  const rows = report.specs.map((s) => {
    const outcomes = (["fail", "error", "pass", "skip"] as const)
      .filter((o) => s.counts[o] > 0)
      .map((o) => `${s.counts[o]} ${OUTCOME_WORD[o]}`)
      .join(", ");
    const statuses = countBy(s.tasks, (t) => t.observed.status)
      .map(([st, n]) => `${n} ${html(st)}`)
      .join(", ");
    return `<tr><td><span class="badge o-${s.outcome}">${MARK[s.outcome]} ${OUTCOME_WORD[s.outcome]}</span></td><td>${html(s.name)}</td><td class="mono">${html(s.file)}:${s.where.line}</td><td>${s.tasks.length}</td><td>${outcomes || "–"}</td><td>${statuses || "–"}</td><td>${html(formatDuration(s.durationMs))}</td></tr>`;
  });
  return [
    '<section aria-labelledby="specs-h">',
    '<h2 id="specs-h">Specs</h2>',
    "<table><thead><tr><th>Outcome</th><th>Spec</th><th>File</th><th>Tasks</th><th>By outcome</th><th>By status</th><th>Took</th></tr></thead>",
    `<tbody>${rows.join("\n")}</tbody></table>`,
    "</section>",
  ].join("\n");
}

function checkHtml(r: AssertionResult): string {
  const lines = [
    `<div class="check"><span class="badge o-${r.outcome}">${MARK[r.outcome]} ${OUTCOME_WORD[r.outcome]}</span> ${html(r.message)} <span class="where mono">${html(r.where.file)}:${r.where.line}</span>`,
    `<div>expected <code>${html(r.expected)}</code>, actual <code>${html(r.actual)}</code></div>`,
  ];
  if (r.excerpt)
    lines.push(`<pre class="excerpt" aria-label="output excerpt">${html(r.excerpt)}</pre>`);
  lines.push("</div>");
  return lines.join("\n");
}

/** Lines with their numbers in the output (the tail starts at `first`). */
function numberedOutput(text: string, first = 1): string {
  const lines = text.replace(/\r\n?/g, "\n").replace(/\n$/, "").split("\n");
  const width = String(first + lines.length - 1).length;
  const body = lines
    .map((l, i) => `<span><i class="ln">${String(first + i).padStart(width)}</i> ${html(l)}</span>`)
    .join("");
  return `<pre class="numbered">${body}</pre>`;
}

function renderFailures(report: RunReport): string {
  const cards: string[] = [];
  let full = 0;
  for (const spec of report.specs) {
    for (const r of spec.fleet.filter((x) => x.outcome === "fail" || x.outcome === "error")) {
      cards.push(
        `<article class="card o-${r.outcome}" data-outcome="${r.outcome}" data-status="" data-instance=""><h3>${html(spec.name)}: ${html(r.check)}</h3>${checkHtml(r)}</article>`,
      );
    }
    const bad = spec.tasks
      .filter((t) => t.outcome === "fail" || t.outcome === "error")
      .sort((a, b) => byOutcome(a, b) || byCodeUnits(a.instanceId, b.instanceId));
    for (const t of bad) {
      const o = t.observed;
      const checks = t.results
        .filter((r) => r.outcome === "fail" || r.outcome === "error")
        .map(checkHtml);
      let output = "";
      const kept = o.outputSummary;
      if (kept?.tail !== undefined && full < MAX_FULL_OUTPUTS) {
        full++;
        const tailLines = kept.tail.replace(/\n$/, "").split("\n").length;
        const whole = tailLines >= kept.lines;
        const what = whole
          ? `Output (${kept.lines} line${kept.lines === 1 ? "" : "s"})`
          : `Last ${tailLines} of ${kept.lines} output lines`;
        const cut = o.droppedBytes > 0 ? `, ${o.droppedBytes} bytes dropped by TAT` : "";
        const dropped = o.outputSource === "cos" ? `${cut}, read in full from COS` : cut;
        output = `<details><summary>${what}${dropped}</summary>${numberedOutput(kept.tail, Math.max(1, kept.lines - tailLines + 1))}</details>`;
      } else if (kept?.tail !== undefined) {
        output = `<p class="muted">Output not embedded (more than ${MAX_FULL_OUTPUTS} failing tasks); see the JSON report.</p>`;
      }
      // Values the task captured (expect.capture): the drifted value next to the failure.
      const captured = Object.entries(t.captures ?? {})
        .map(([k, v]) => ` · captured ${html(k)} = ${html(JSON.stringify(v))}`)
        .join("");
      cards.push(
        [
          `<article class="card o-${t.outcome}" data-outcome="${t.outcome}" data-status="${html(o.status)}" data-instance="${html(o.instanceId)}" aria-label="${html(`${o.instanceId} ${OUTCOME_WORD[t.outcome]}`)}">`,
          `<h3><span class="badge o-${t.outcome}">${MARK[t.outcome]} ${OUTCOME_WORD[t.outcome]}</span> <span class="mono">${html(o.instanceId)}</span> <span class="muted">${html(spec.name)}</span></h3>`,
          `<p class="muted mono">task ${html(o.taskId)} · invocation ${html(o.invocationId)} · status ${html(o.status)} · ${o.exitCode === undefined ? "no exit code" : `exit code ${o.exitCode}`}${o.errorInfo ? ` · ${html(o.errorInfo)}` : ""}${captured}</p>`,
          ...checks,
          output,
          "</article>",
        ].join("\n"),
      );
    }
  }
  const body =
    cards.length > 0 ? cards.join("\n") : '<p class="muted">No failing or unverified checks.</p>';
  return `<section aria-labelledby="failures-h"><h2 id="failures-h">Failures first</h2>\n${body}\n</section>`;
}

// ───────────── timeline ─────────────

const PLOT_X = 200;
const PLOT_W = 780;
const ROW_H = 16;
const ROW_GAP = 4;
const TOP = 24;

function niceStep(spanMs: number): number {
  const target = spanMs / 8;
  const steps = [100, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000];
  steps.push(600_000, 900_000, 1_800_000, 3_600_000, 7_200_000);
  return steps.find((s) => s >= target) ?? 3_600_000;
}

function renderTimeline(t: Timeline): string {
  const x = (ms: number) => PLOT_X + (ms / t.spanMs) * PLOT_W;
  // Each spec's rows start under a line with its name.
  const ys: number[] = [];
  const heads: { spec: string; y: number }[] = [];
  let y = TOP;
  t.rows.forEach((row, i) => {
    if (i === 0 || t.rows[i - 1]?.spec !== row.spec) {
      heads.push({ spec: row.spec, y: y + ROW_H - 4 });
      y += ROW_H + ROW_GAP;
    }
    ys.push(y);
    y += ROW_H + ROW_GAP;
  });
  const height = y + 10;
  const parts: string[] = [];
  parts.push(
    `<svg class="timeline" viewBox="0 0 1000 ${height}" role="group" aria-labelledby="timeline-h" xmlns="http://www.w3.org/2000/svg">`,
  );
  parts.push(patternDefs());
  const step = niceStep(t.spanMs);
  for (let ms = 0; ms <= t.spanMs; ms += step) {
    parts.push(
      `<line class="axis" x1="${x(ms).toFixed(1)}" x2="${x(ms).toFixed(1)}" y1="${TOP - 6}" y2="${height - 6}"/><text class="tick" x="${x(ms).toFixed(1)}" y="12" text-anchor="middle">+${html(formatDuration(ms))}</text>`,
    );
  }
  for (const h of heads) {
    parts.push(`<text class="spec-head" x="4" y="${h.y}" font-weight="600">${html(h.spec)}</text>`);
  }
  parts.push('<g role="list" aria-label="tasks over time">');
  t.rows.forEach((row, i) => {
    parts.push(rowSvg(row, ys[i] ?? TOP, x));
  });
  parts.push("</g>");
  for (const d of t.deadlines) {
    parts.push(
      `<line class="deadline" x1="${x(d.atMs).toFixed(1)}" x2="${x(d.atMs).toFixed(1)}" y1="${TOP - 8}" y2="${height - 4}"><title>deadline of ${html(d.spec)}</title></line>`,
    );
  }
  parts.push("</svg>");
  const off = t.offScale.map(
    (d) => `${html(d.spec)}: deadline at +${html(formatDuration(d.atMs))}, past the drawn span`,
  );
  const caption = t.banded
    ? `${t.taskCount} tasks in ${t.rows.length} bands (each band: its typical task, and a whisker from when its first to when its last task ended).`
    : `${t.taskCount} task${t.taskCount === 1 ? "" : "s"}, one row each.`;
  return [
    '<section aria-labelledby="timeline-h">',
    '<h2 id="timeline-h">Timeline</h2>',
    `<p class="muted">${caption} Time runs from ${html(t.origin)}. ${t.deadlines.length > 0 ? "The dashed red line is the deadline." : ""} ${off.join("; ")}</p>`,
    legend(),
    '<p id="detail" aria-live="polite">Hover or focus a row (Tab, then ↑ ↓) to see its task.</p>',
    parts.join("\n"),
    "</section>",
  ].join("\n");
}

function rowSvg(row: TimelineRow, y: number, x: (ms: number) => number): string {
  const instance = row.instanceId === undefined ? "" : ` data-instance="${html(row.instanceId)}"`;
  const filterable =
    row.instanceId === undefined
      ? ""
      : ` data-outcome="${row.outcome}" data-status="${html(row.status)}"`;
  const out = [
    `<g class="row o-${row.outcome}" tabindex="0" role="listitem" aria-label="${html(row.detail)}"${filterable}${instance}>`,
    `<title>${html(row.detail)}</title>`,
    `<rect class="hit" x="0" y="${y - 2}" width="1000" height="${ROW_H + ROW_GAP}"/>`,
    `<text x="4" y="${y + ROW_H - 4}">${MARK[row.outcome]} ${html(shorten(row.label, 30))}${row.tasks > 1 ? ` (${row.tasks})` : ""}</text>`,
  ];
  for (const s of row.segments) {
    const w = Math.max(1.5, x(s.toMs) - x(s.fromMs));
    out.push(
      `<rect class="s-${token(s.status)}" x="${x(s.fromMs).toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${ROW_H}"/>`,
    );
  }
  if (row.whisker) {
    const mid = y + ROW_H / 2;
    out.push(
      `<line class="whisker" x1="${x(row.whisker.fromMs).toFixed(1)}" x2="${x(row.whisker.toMs).toFixed(1)}" y1="${mid}" y2="${mid}"/>`,
    );
  }
  out.push("</g>");
  return out.join("");
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Final statuses that went wrong carry a pattern, so colour is never the only signal. */
function patternDefs(): string {
  const hatch = (id: string, body: string) =>
    `<pattern id="pat-${id}" width="6" height="6" patternUnits="userSpaceOnUse"><rect class="pat-bg-${id}" width="6" height="6"/>${body}</pattern>`;
  return [
    "<defs>",
    hatch("FAILED", '<path class="pat-fg" d="M0,6 L6,0"/>'),
    hatch("TIMEOUT", '<circle class="pat-dot" cx="3" cy="3" r="1.2"/>'),
    hatch("NEVER", '<path class="pat-fg" d="M0,0 L6,6 M0,6 L6,0"/>'),
    hatch("CANCEL", '<path class="pat-fg" d="M0,3 L6,3"/>'),
    "</defs>",
  ].join("");
}

function legend(): string {
  const items: [string, string][] = [
    ["PENDING", "waiting / delivering"],
    ["RUNNING", "running"],
    ["SUCCESS", "success"],
    ["FAILED", "failed (hatched)"],
    ["TIMEOUT", "timed out (dotted)"],
    ["DELIVER_FAILED", "never started (crossed)"],
    ["CANCELLED", "cancelled / terminated (striped)"],
  ];
  const li = items.map(
    ([s, label]) =>
      `<li><svg viewBox="0 0 28 12" aria-hidden="true">${patternDefs()}<rect class="s-${s}" width="28" height="12"/></svg>${html(label)}</li>`,
  );
  return `<ul class="legend" aria-label="legend">${li.join("")}</ul>`;
}

// ───────────── every task, filterable ─────────────

/** Rows in the table before "show more": the page must open fast with 10,000 tasks, so the rest
 * are rendered by the page's script from the embedded data, as filters ask. */
export const TABLE_PAGE_ROWS = 200;

type TaskRow = [
  outcome: Outcome,
  instance: string,
  status: string,
  exit: string,
  spec: string,
  task: string,
  finding: string,
];

function renderTasks(report: RunReport): string {
  const all: { spec: SpecReport; task: TaskReport }[] = [];
  for (const spec of report.specs) for (const task of spec.tasks) all.push({ spec, task });
  all.sort(
    (a, b) => byOutcome(a.task, b.task) || byCodeUnits(a.task.instanceId, b.task.instanceId),
  );
  const statuses = [...new Set(all.map((a) => a.task.observed.status))].sort();
  const data: TaskRow[] = all.map(({ spec, task }) => {
    const o = task.observed;
    const first = task.results.find((r) => r.outcome === "fail" || r.outcome === "error");
    return [
      task.outcome,
      clean(o.instanceId),
      clean(o.status),
      o.exitCode === undefined ? "–" : String(o.exitCode),
      clean(spec.name),
      clean(o.taskId),
      first ? clean(first.message) : "",
    ];
  });
  const rows = data
    .slice(0, TABLE_PAGE_ROWS)
    .map(
      ([outcome, instance, status, exit, spec, taskId, finding]) =>
        `<tr><td><span class="badge o-${outcome}">${MARK[outcome]} ${OUTCOME_WORD[outcome]}</span></td><td class="mono">${html(instance)}</td><td>${html(status)}</td><td>${html(exit)}</td><td>${html(spec)}</td><td class="mono">${html(taskId)}</td><td>${html(finding)}</td></tr>`,
    );
  const outcomeBoxes = (["fail", "error", "pass", "skip"] as const)
    .map(
      (o) =>
        `<label><input type="checkbox" name="outcome" value="${o}" checked> ${MARK[o]} ${OUTCOME_WORD[o]}</label>`,
    )
    .join(" ");
  const options = statuses.map((s) => `<option value="${html(s)}">${html(s)}</option>`).join("");
  return [
    '<section aria-labelledby="tasks-h">',
    '<h2 id="tasks-h">Tasks</h2>',
    '<form class="filters" role="search" aria-label="filter tasks">',
    `<fieldset><legend class="muted">Outcome</legend>${outcomeBoxes}</fieldset>`,
    `<label>Status <select id="f-status"><option value="">any</option>${options}</select></label>`,
    '<label>Instance <input id="f-instance" type="search" placeholder="ins-…" autocomplete="off"></label>',
    `<span id="f-count" class="muted" aria-live="polite">${Math.min(data.length, TABLE_PAGE_ROWS)} of ${data.length} tasks shown</span>`,
    "</form>",
    '<table id="tasks"><thead><tr><th>Outcome</th><th>Instance</th><th>Status</th><th>Exit</th><th>Spec</th><th>Task</th><th>First finding</th></tr></thead>',
    `<tbody>${rows.join("\n")}</tbody></table>`,
    `<p><button type="button" id="f-more"${data.length > TABLE_PAGE_ROWS ? "" : " hidden"}>Show ${TABLE_PAGE_ROWS} more</button></p>`,
    `<script type="application/json" id="tasks-data">${scriptJson({ page: TABLE_PAGE_ROWS, marks: MARK, words: OUTCOME_WORD, rows: data })}</script>`,
    "</section>",
  ].join("\n");
}
