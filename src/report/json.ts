// The machine-readable report: the RunReport as is (its field names are the contract, versioned by
// `reportVersion` and described by schema/report-v1.json), plus a few derived conveniences.
import type { RunReport, SpecReport, TaskReport } from "../model.js";
import { writeReport } from "./atomic-write.js";
import type { Reporter } from "./reporter.js";
import { jsonSafe } from "./sanitize.js";
import { verdictText } from "./verdict-text.js";

export const REPORT_SCHEMA_ID = "urn:tat-assert:report:v1";
export const DEFAULT_JSON_PATH = "tat-assert-report.json";

export interface JsonTaskReport extends TaskReport {
  /** From the start of the wait to the poll that first saw a terminal status; absent if never terminal. */
  timeToTerminalMs?: number;
}

export interface JsonSpecReport extends Omit<SpecReport, "tasks"> {
  tasks: JsonTaskReport[];
}

export interface JsonReport extends Omit<RunReport, "specs"> {
  $schema: string;
  /** The exit code in words, as the console ends: "nothing was checked: …" when every spec was skipped. */
  verdict: string;
  specs: JsonSpecReport[];
}

function since(startIso: string, endIso: string | undefined): number | undefined {
  if (!endIso) return undefined;
  const ms = Date.parse(endIso) - Date.parse(startIso);
  return Number.isFinite(ms) ? Math.max(0, ms) : undefined;
}

export function toJsonReport(report: RunReport): JsonReport {
  return {
    $schema: REPORT_SCHEMA_ID,
    ...report,
    verdict: verdictText(report),
    specs: report.specs.map((spec) => ({
      ...spec,
      tasks: spec.tasks.map((task) => {
        const timeToTerminalMs = since(spec.observation.startedAt, task.observed.terminalAt);
        return timeToTerminalMs === undefined ? task : { ...task, timeToTerminalMs };
      }),
    })),
  };
}

/** Lone surrogates (from output cut mid-character) become U+FFFD so strict JSON parsers accept the file. */
function wellFormed(_key: string, value: unknown): unknown {
  return typeof value === "string" ? value.replace(/[\uD800-\uDFFF]/gu, "\uFFFD") : value;
}

/** One value as JSON.stringify(…, wellFormed, 2) writes it `depth` levels deep ("null" where an
 * array holds undefined). JSON text has line feeds only between tokens, so indenting is a replace. */
function valueText(value: unknown, depth: number): string | undefined {
  const text = JSON.stringify(value, wellFormed, 2);
  if (text === undefined || depth === 0 || !text.includes("\n")) return text;
  return text.replace(/\n/g, `\n${"  ".repeat(depth)}`);
}

/** An object's members as JSON.stringify writes them, with `lazy` members written by their own
 * generator (an array of pieces) instead of as one string. */
function* objectText(
  object: Record<string, unknown>,
  depth: number,
  lazy: Record<string, (depth: number) => Iterable<string>>,
): Generator<string> {
  const inner = "  ".repeat(depth + 1);
  let first = true;
  for (const [key, value] of Object.entries(object)) {
    const make = Object.hasOwn(lazy, key) ? lazy[key] : undefined;
    const text = make ? undefined : valueText(value, depth + 1);
    if (!make && text === undefined) continue;
    yield `${first ? "{\n" : ",\n"}${inner}${JSON.stringify(key)}: `;
    first = false;
    if (make) yield* make(depth + 1);
    else yield text as string;
  }
  yield first ? "{}" : `\n${"  ".repeat(depth)}}`;
}

function* arrayText<T>(
  items: readonly T[],
  depth: number,
  item: (x: T, depth: number) => Iterable<string>,
): Generator<string> {
  if (items.length === 0) {
    yield "[]";
    return;
  }
  const inner = "  ".repeat(depth + 1);
  for (const [i, x] of items.entries()) {
    yield `${i === 0 ? "[\n" : ",\n"}${inner}`;
    yield* item(x, depth + 1);
  }
  yield `\n${"  ".repeat(depth)}]`;
}

/**
 * The JSON report as pieces of text, about one task each, whose concatenation is exactly
 * renderJson's text: a file reporter writes them as they come, so a 10,000-task report (about
 * 40 MB) is never one string in memory, nor its UTF-8 copy (issue 11's peak RSS).
 */
export function* jsonChunks(report: RunReport): Generator<string> {
  const head: Record<string, unknown> = {
    $schema: REPORT_SCHEMA_ID,
    ...report,
    verdict: verdictText(report),
    specs: report.specs,
  };
  const task = (spec: SpecReport) => (t: TaskReport, depth: number) => {
    const timeToTerminalMs = since(spec.observation.startedAt, t.observed.terminalAt);
    const json: JsonTaskReport = timeToTerminalMs === undefined ? t : { ...t, timeToTerminalMs };
    return [valueText(json, depth) ?? "null"];
  };
  const spec = (s: SpecReport, depth: number) =>
    objectText({ ...s } as unknown as Record<string, unknown>, depth, {
      tasks: (d) => arrayText(s.tasks, d, task(s)),
    });
  for (const piece of objectText(head, 0, { specs: (d) => arrayText(report.specs, d, spec) })) {
    yield jsonSafe(piece);
  }
  yield "\n";
}

/** The whole JSON report as one string (small reports, tests); files are written from jsonChunks. */
export function renderJson(report: RunReport): string {
  let out = "";
  for (const piece of jsonChunks(report)) out += piece;
  return out;
}

export function jsonReporter(path: string): Reporter {
  return {
    name: "json",
    file: path,
    async end(report) {
      await writeReport(path, jsonChunks(report), process.stdout);
    },
  };
}
