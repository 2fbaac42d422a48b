// Timelines as written in scenarios: "PENDING@0s DELIVERING@0.5s RUNNING@1s SUCCESS@4s" (also
// separated by commas or arrows), or a list of {at, status}. A leading bare status means @0.
import { isTaskStatus, isTerminal, type TaskStatus } from "../tat/task-status.js";
import { type Duration, durationMs } from "./duration.js";

export type TimelineInput = string | readonly { at: Duration; status: string }[];

export interface RelativeEntry {
  offsetMs: number;
  status: TaskStatus;
}

export type TimelineResult = { entries: RelativeEntry[] } | { problem: string };

const SEPARATORS = /\s*(?:,|->|→|\s)\s*/;

function parseShorthand(text: string): TimelineResult {
  const tokens = text.split(SEPARATORS).filter((t) => t.length > 0);
  const entries: RelativeEntry[] = [];
  for (const [i, token] of tokens.entries()) {
    const [status, at, extra] = token.split("@");
    if (extra !== undefined || status === undefined) return { problem: `cannot read \`${token}\`` };
    if (!isTaskStatus(status)) return { problem: `\`${status}\` is not a task status` };
    if (at === undefined && i > 0) {
      return { problem: `\`${token}\` needs a time, e.g. \`${status}@2s\`` };
    }
    // A bare number is seconds, as everywhere else in scenarios.
    const offsetMs =
      at === undefined ? 0 : durationMs(/^\d+(?:\.\d+)?$/.test(at) ? Number(at) : at);
    if (offsetMs === undefined) return { problem: `\`${at}\` in \`${token}\` is not a duration` };
    entries.push({ offsetMs, status });
  }
  return { entries };
}

export function parseTimeline(input: TimelineInput): TimelineResult {
  let result: TimelineResult;
  if (typeof input === "string") result = parseShorthand(input);
  else {
    const entries: RelativeEntry[] = [];
    for (const e of input) {
      const offsetMs = durationMs(e.at);
      if (offsetMs === undefined) return { problem: `\`${e.at}\` is not a duration` };
      if (!isTaskStatus(e.status)) return { problem: `\`${e.status}\` is not a task status` };
      entries.push({ offsetMs, status: e.status });
    }
    result = { entries };
  }
  if ("problem" in result) return result;
  const { entries } = result;
  if (entries.length === 0) return { problem: "a timeline needs at least one status" };
  for (let i = 1; i < entries.length; i++) {
    if ((entries[i] as RelativeEntry).offsetMs <= (entries[i - 1] as RelativeEntry).offsetMs) {
      return { problem: "times must increase from one status to the next" };
    }
  }
  const terminal = entries.findIndex((e) => isTerminal(e.status));
  if (terminal !== -1 && terminal !== entries.length - 1) {
    return {
      problem: `\`${(entries[terminal] as RelativeEntry).status}\` is final; nothing can follow it`,
    };
  }
  return { entries };
}
