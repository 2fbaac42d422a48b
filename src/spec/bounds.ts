// Bounds on what the schema lets through as well-formed: a duration too long to hold, or too
// short or too long for the poller to honour. Each used to become a silent default or a timer that
// fires at once; now each is an error at its own value. Runs next to the rules (rules.ts), with the
// same reporting, on documents the schema may have rejected elsewhere.
import { formatDuration, looksLikeDuration, parseDuration } from "./duration.js";
import { LIMITS } from "./limits.js";
import type { RuleContext } from "./rules.js";

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Every place a duration is written, with its path. */
function durations(spec: Record<string, unknown>): { path: string[]; text: string }[] {
  const found: { path: string[]; text: string }[] = [];
  const add = (path: string[], value: unknown) => {
    if (typeof value === "string") found.push({ path, text: value });
  };
  if (isRecord(spec.wait)) {
    for (const [key, value] of Object.entries(spec.wait)) add(["wait", key], value);
  }
  const blocks: [string[], unknown][] = [[["expect"], spec.expect]];
  if (isRecord(spec.overrides)) {
    for (const [id, block] of Object.entries(spec.overrides))
      blocks.push([["overrides", id], block]);
  }
  for (const [path, block] of blocks) {
    if (!isRecord(block) || !isRecord(block.duration)) continue;
    for (const key of ["min", "max"]) add([...path, "duration", key], block.duration[key]);
  }
  return found;
}

/** The poll intervals: a delay is a timer, and the API's rate limit is shared. */
const INTERVALS = new Set(["minInterval", "maxInterval"]);

export function checkBounds({ spec, report }: RuleContext): void {
  for (const { path, text } of durations(spec)) {
    if (!looksLikeDuration(text)) continue; // the schema says what a duration looks like
    const ms = parseDuration(text);
    if (ms === undefined) {
      report(
        path,
        `\`${shorten(text)}\` is longer than a duration can hold`,
        "write at most a few days, e.g. 72h",
      );
      continue;
    }
    const key = path[path.length - 1] ?? "";
    if (path[0] !== "wait" || !INTERVALS.has(key)) continue;
    // 0 is reported by rules.ts ("must be more than 0").
    if (ms > 0 && ms < LIMITS.minIntervalMs) {
      report(
        path,
        `${key} ${text} is below ${formatDuration(LIMITS.minIntervalMs)}: polling faster only spends the API's rate limit`,
        `use ${formatDuration(LIMITS.minIntervalMs)} or more`,
      );
    } else if (ms > LIMITS.timerMs) {
      report(
        path,
        `${key} ${text} is longer than a timer can wait (at most ${formatDuration(Math.floor(LIMITS.timerMs / 1000) * 1000)})`,
        "poll at least every few hours, e.g. 1h",
      );
    }
  }
}

const shorten = (text: string) => (text.length > 40 ? `${text.slice(0, 37)}...` : text);
