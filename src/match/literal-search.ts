// Searching for literal text without a regex engine. Case-insensitive search follows RE2's simple
// case folding for ASCII needles: a letter matches its other case, and `k`/`s` also match the
// KELVIN SIGN (U+212A) and LONG S (U+017F) that fold to them. Needles with other non-ASCII
// characters are not handled here (the caller gives those to the regex engine).
//
// A finder is made once per pattern and allocates nothing per search: a fleet runs it on every
// task, most of them before V8's optimising compiler has seen enough calls to remove allocations
// by itself, and every byte allocated per task is garbage collected while tasks are judged.

/** ASCII needle characters only. */
export function isAsciiFoldable(needle: string): boolean {
  for (let i = 0; i < needle.length; i++) if (needle.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** The ASCII lower-case form of a text character, or -1 when it cannot equal an ASCII needle one. */
function foldCode(c: number): number {
  if (c < 0x80) return c >= 0x41 && c <= 0x5a ? c + 32 : c;
  if (c === 0x212a) return 0x6b; // KELVIN SIGN → k
  if (c === 0x17f) return 0x73; // LATIN SMALL LETTER LONG S → s
  return -1;
}

/** The index in `text` of the first occurrence of any needle, or -1. */
export type LiteralFinder = (text: string) => number;

/**
 * A finder for one ASCII needle ignoring case. The candidates come from native indexOf on each
 * text character that folds to the needle's first one (both cases, and U+212A/U+017F for k/s).
 */
function ignoreCaseFinder(needle: string): LiteralFinder {
  const lower = needle.toLowerCase();
  if (lower.length === 0) return () => 0;
  const first = lower.charCodeAt(0);
  const variants = [String.fromCharCode(first)];
  const upper = String.fromCharCode(first).toUpperCase();
  if (upper !== variants[0]) variants.push(upper);
  if (first === 0x6b) variants.push("\u212a");
  if (first === 0x73) variants.push("\u017f");
  // The next occurrence of each variant; reused by every search (a search never re-enters).
  const next = new Array<number>(variants.length).fill(-1);
  return (text) => {
    for (let k = 0; k < variants.length; k++) next[k] = text.indexOf(variants[k] as string);
    const last = text.length - lower.length;
    for (;;) {
      let at = -1;
      let which = -1;
      for (let k = 0; k < next.length; k++) {
        const n = next[k] as number;
        if (n >= 0 && (at < 0 || n < at)) {
          at = n;
          which = k;
        }
      }
      if (at < 0 || at > last) return -1;
      let ok = true;
      for (let j = 1; j < lower.length; j++) {
        if (foldCode(text.charCodeAt(at + j)) !== lower.charCodeAt(j)) {
          ok = false;
          break;
        }
      }
      if (ok) return at;
      next[which] = text.indexOf(variants[which] as string, at + 1);
    }
  };
}

/** A finder for the first occurrence of any of `needles` (ASCII when `ignoreCase`). */
export function literalFinder(needles: readonly string[], ignoreCase: boolean): LiteralFinder {
  if (!ignoreCase && needles.length === 1) {
    const needle = needles[0] as string;
    return (text) => text.indexOf(needle);
  }
  const finders: LiteralFinder[] = ignoreCase
    ? needles.map(ignoreCaseFinder)
    : needles.map((needle) => (text) => text.indexOf(needle));
  return (text) => {
    let best = -1;
    for (let k = 0; k < finders.length; k++) {
      const at = (finders[k] as LiteralFinder)(text);
      if (at >= 0 && (best < 0 || at < best)) best = at;
    }
    return best;
  };
}
