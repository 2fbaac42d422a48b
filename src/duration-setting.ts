// A duration given as a setting (`--timeout 90s`, the Action's `timeout` input): one reading and
// one set of messages for the command line and the Action, so the same value is accepted or
// refused the same way in both.
import { UsageError } from "./errors.js";
import { formatDuration, parseDuration } from "./spec/duration.js";
import { LIMITS } from "./spec/limits.js";

export interface DurationSetting {
  /** How the user named it, as the message starts: `--timeout`, `input timeout:`. */
  label: string;
  /** Examples for the fix: `90s, 10m or 1h30m`. */
  examples: string;
  /** One timer holds it: a longer delay would fire at once, so it is refused. */
  timer?: boolean;
}

/** Milliseconds, positive; a UsageError naming the setting otherwise. */
export function durationSetting(text: string, setting: DurationSetting): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    throw new UsageError(
      `${setting.label} ${JSON.stringify(text)} is not a duration; use e.g. ${setting.examples}`,
    );
  }
  if (setting.timer && ms > LIMITS.timerMs) {
    throw new UsageError(
      `${setting.label} ${JSON.stringify(text)} is longer than a timer can wait (at most ${formatDuration(Math.floor(LIMITS.timerMs / 1000) * 1000)})`,
    );
  }
  return ms;
}

/** --timeout / input `timeout`: replaces every spec's wait timeout. */
export const TIMEOUT_EXAMPLES = "90s, 10m or 1h30m";
/** --reporter-timeout / input `reporter-timeout`: the time reporters get after the verdict. */
export const REPORTER_TIMEOUT_EXAMPLES = "30s or 2m";
