// The fleet's timeline as plain data: one row per task, or bands of tasks when there are too many
// rows to read (and to draw quickly). Times are ms from the start of the earliest wait; the statuses
// come from the poll history, so a segment starts at the poll that first saw its status.

import { byCodeUnits } from "../locale-free.js";
import type { Outcome, RunReport, TaskReport } from "../model.js";

/** Beyond this many tasks, rows become bands: a person cannot read 10,000 rows, and a browser
 * should not have to lay them out. */
export const MAX_TIMELINE_ROWS = 300;

export interface Segment {
  status: string;
  fromMs: number;
  toMs: number;
}

export interface TimelineRow {
  spec: string;
  /** The instance id, or "ins-a … ins-z" for a band. */
  label: string;
  /** The worst outcome among the row's tasks. */
  outcome: Outcome;
  /** Final (or last seen) status; for a band the most severe one. */
  status: string;
  tasks: number;
  segments: Segment[];
  /** For a band: when its earliest and its latest task ended (stragglers). */
  whisker?: { fromMs: number; toMs: number };
  /** What a person reads on hover or focus. */
  detail: string;
  instanceId?: string;
}

export interface Timeline {
  /** ISO time that 0 stands for. */
  origin: string;
  spanMs: number;
  /** Per spec: where its deadline falls, when it falls on the drawn span. */
  deadlines: { spec: string; atMs: number }[];
  /** Deadlines past the drawn span, so the page can say so instead of squashing the run. */
  offScale: { spec: string; atMs: number }[];
  rows: TimelineRow[];
  banded: boolean;
  taskCount: number;
}

const SEVERITY: Record<Outcome, number> = { fail: 0, error: 1, pass: 2, skip: 3 };
/** Final statuses by how badly they went, worst first: a band shows its worst. */
const STATUS_SEVERITY = [
  "FAILED",
  "TIMEOUT",
  "TASK_TIMEOUT",
  "START_FAILED",
  "DELIVER_FAILED",
  "TERMINATED",
  "CANCELLED",
  "RUNNING",
  "DELIVERING",
  "PENDING",
  "SUCCESS",
];

const severityOfStatus = (s: string) => {
  const i = STATUS_SEVERITY.indexOf(s);
  return Math.max(i, 0);
};

export const byOutcome = (a: { outcome: Outcome }, b: { outcome: Outcome }) =>
  SEVERITY[a.outcome] - SEVERITY[b.outcome];

export function buildTimeline(report: RunReport, maxRows = MAX_TIMELINE_ROWS): Timeline {
  const specs = report.specs.filter((s) => s.outcome !== "skip" || s.tasks.length > 0);
  const starts = specs.map((s) => Date.parse(s.observation.startedAt)).filter(Number.isFinite);
  const origin = starts.length > 0 ? Math.min(...starts) : Date.parse(report.startedAt);
  const ends = specs.map((s) => Date.parse(s.observation.endedAt)).filter(Number.isFinite);
  const end = Math.max(origin + 1, ...ends);
  // A little room after the last poll, so the final status of the last task stays visible.
  const spanMs = Math.ceil((end - origin) * 1.03);
  const rel = (iso: string | undefined, fallback: number) => {
    const t = iso === undefined ? Number.NaN : Date.parse(iso);
    return Number.isFinite(t) ? Math.min(spanMs, Math.max(0, t - origin)) : fallback;
  };

  const deadlines: Timeline["deadlines"] = [];
  const offScale: Timeline["offScale"] = [];
  for (const s of specs) {
    const at = Date.parse(s.observation.startedAt) - origin + s.observation.deadlineMs;
    if (!Number.isFinite(at)) continue;
    (at <= spanMs ? deadlines : offScale).push({ spec: s.name, atMs: at });
  }

  const taskCount = specs.reduce((n, s) => n + s.tasks.length, 0);
  const banded = taskCount > maxRows;
  const rows: TimelineRow[] = [];
  for (const spec of specs) {
    const specEnd = rel(spec.observation.endedAt, spanMs);
    const ordered = [...spec.tasks].sort(
      (a, b) => byOutcome(a, b) || byCodeUnits(a.instanceId, b.instanceId),
    );
    if (!banded) {
      for (const t of ordered) rows.push(taskRow(spec.name, t, rel, specEnd, spanMs));
      continue;
    }
    // Each spec gets rows in proportion to its tasks, at least one.
    const share = Math.max(1, Math.floor((maxRows * spec.tasks.length) / taskCount));
    const size = Math.ceil(ordered.length / share);
    // Within an outcome, tasks ordered by when they ended, so a band of stragglers stands out.
    ordered.sort((a, b) => byOutcome(a, b) || endOf(a, rel, specEnd) - endOf(b, rel, specEnd));
    for (let i = 0; i < ordered.length; i += size) {
      rows.push(bandRow(spec.name, ordered.slice(i, i + size), rel, specEnd, spanMs));
    }
  }
  return {
    origin: new Date(origin).toISOString(),
    spanMs,
    deadlines,
    offScale,
    rows,
    banded,
    taskCount,
  };
}

type Rel = (iso: string | undefined, fallback: number) => number;

function endOf(t: TaskReport, rel: Rel, specEnd: number): number {
  return rel(t.observed.terminalAt, specEnd);
}

/** A final status is drawn as a short block so it stays visible at the end of a long row. */
function finalWidth(spanMs: number): number {
  return Math.max(1, spanMs / 100);
}

function segmentsOf(t: TaskReport, rel: Rel, specEnd: number, spanMs: number): Segment[] {
  const h = t.observed.history;
  const out: Segment[] = [];
  for (let i = 0; i < h.length; i++) {
    const cur = h[i];
    if (!cur) continue;
    const from = rel(cur.at, 0);
    const next = h[i + 1];
    const last = next === undefined;
    const to = last
      ? t.observed.terminal
        ? Math.min(spanMs, from + finalWidth(spanMs))
        : specEnd
      : rel(next.at, from);
    out.push({ status: cur.status, fromMs: from, toMs: Math.max(from, to) });
  }
  return out;
}

function taskRow(spec: string, t: TaskReport, rel: Rel, specEnd: number, spanMs: number) {
  const o = t.observed;
  const parts = [
    o.instanceId,
    `task ${o.taskId}`,
    `invocation ${o.invocationId}`,
    `status ${o.status}`,
    o.exitCode === undefined ? "no exit code" : `exit code ${o.exitCode}`,
    `outcome ${t.outcome}`,
  ];
  if (o.createdTime) parts.push(`created ${o.createdTime}`);
  if (o.execStartTime) parts.push(`started ${o.execStartTime}`);
  if (o.execEndTime) parts.push(`ended ${o.execEndTime}`);
  const row: TimelineRow = {
    spec,
    label: o.instanceId,
    outcome: t.outcome,
    status: o.status,
    tasks: 1,
    segments: segmentsOf(t, rel, specEnd, spanMs),
    detail: parts.join(" · "),
    instanceId: o.instanceId,
  };
  return row;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? 0;
};

/** A band draws its typical task (median phase times) and, as a whisker, when its first and last
 * task ended. */
function bandRow(spec: string, tasks: TaskReport[], rel: Rel, specEnd: number, spanMs: number) {
  const firstSeen = tasks.map((t) => rel(t.observed.history[0]?.at, 0));
  const running = tasks.map((t) => {
    const r = t.observed.history.find((h) => h.status === "RUNNING");
    return rel(r?.at, rel(t.observed.history[0]?.at, 0));
  });
  const ended = tasks.map((t) => endOf(t, rel, specEnd));
  // Loops, not Math.min(...ended): spread arguments overflow the call stack at about 100,000.
  const earliest = ended.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
  const latest = ended.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
  const statusCounts = new Map<string, number>();
  let worst: TaskReport = tasks[0] as TaskReport;
  for (const t of tasks) {
    statusCounts.set(t.observed.status, (statusCounts.get(t.observed.status) ?? 0) + 1);
    if (byOutcome(t, worst) < 0) worst = t;
  }
  const status = [...statusCounts.keys()].sort(
    (a, b) => severityOfStatus(a) - severityOfStatus(b),
  )[0] as string;
  const a = median(firstSeen);
  const b = Math.max(a, median(running));
  const c = Math.max(b, median(ended));
  const allTerminal = tasks.every((t) => t.observed.terminal);
  const segments: Segment[] = [];
  if (b > a) segments.push({ status: "PENDING", fromMs: a, toMs: b });
  segments.push({ status: "RUNNING", fromMs: b, toMs: c });
  segments.push({
    status: allTerminal ? status : "RUNNING",
    fromMs: c,
    toMs: Math.min(spanMs, c + finalWidth(spanMs)),
  });
  const first = tasks[0]?.instanceId ?? "";
  const last = tasks.at(-1)?.instanceId ?? "";
  const counts = [...statusCounts.entries()]
    .sort((x, y) => severityOfStatus(x[0]) - severityOfStatus(y[0]))
    .map(([s, n]) => `${n} ${s}`)
    .join(", ");
  return {
    spec,
    label: tasks.length === 1 ? first : `${first} … ${last}`,
    outcome: worst.outcome,
    status,
    tasks: tasks.length,
    segments,
    whisker: { fromMs: earliest, toMs: latest },
    detail: `${tasks.length} tasks (${first} … ${last}): ${counts}; ended between ${fmt(earliest)} and ${fmt(latest)} after the start`,
  } satisfies TimelineRow;
}

function fmt(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}
