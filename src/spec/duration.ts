// Durations as people write them in CI files: 90s, 10m, 1h30m, 500ms. Units go from largest to
// smallest, each at most once, so "1m30s" is unambiguous and "30s1m" is a typo worth reporting.

const DURATION = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** "90s", "10m", "1h30m", "500ms" → milliseconds; anything else → undefined. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m) return undefined;
  const [, h, min, s, ms] = m;
  if (h === undefined && min === undefined && s === undefined && ms === undefined) return undefined;
  const total = num(h) * 3_600_000 + num(min) * 60_000 + num(s) * 1_000 + num(ms);
  return Number.isSafeInteger(total) ? total : undefined;
}

const num = (digits: string | undefined) => (digits === undefined ? 0 : Number(digits));

/** Whether the text has the shape of a duration (whatever its size). */
export function looksLikeDuration(text: string): boolean {
  const m = DURATION.exec(text.trim());
  return m?.slice(1).some((g) => g !== undefined) ?? false;
}

/** Milliseconds → the same notation, largest units first: 5400000 → "1h30m", 1500 → "1.5s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return `${ms}ms`;
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) {
    const s = Math.round(ms / 100) / 10;
    return `${s}s`;
  }
  const totalSeconds = Math.round(ms / 1_000);
  const h = Math.floor(totalSeconds / 3_600);
  const m = Math.floor((totalSeconds % 3_600) / 60);
  const s = totalSeconds % 60;
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${s ? `${s}s` : ""}`;
}
