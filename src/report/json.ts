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

export function renderJson(report: RunReport): string {
  return `${jsonSafe(JSON.stringify(toJsonReport(report), wellFormed, 2))}\n`;
}

export function jsonReporter(path: string): Reporter {
  return {
    name: "json",
    file: path,
    async end(report) {
      await writeReport(path, renderJson(report), process.stdout);
    },
  };
}
