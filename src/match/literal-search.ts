// Searching for literal text without a regex engine. Case-insensitive search follows RE2's simple
// case folding for ASCII needles: a letter matches its other case, and `k`/`s` also match the
// KELVIN SIGN (U+212A) and LONG S (U+017F) that fold to them. Needles with other non-ASCII
// characters are not handled here (the caller gives those to the regex engine).

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

/**
 * First index ≥ `from` where `needle` (ASCII) occurs ignoring case, or -1. The candidates come
 * from native indexOf on each case of the needle's first character.
 */
export function indexOfIgnoreCase(text: string, needle: string, from = 0): number {
  if (needle.length === 0) return from <= text.length ? from : -1;
  const lower = needle.toLowerCase();
  const first = lower.charCodeAt(0);
  const variants = [String.fromCharCode(first)];
  const upper = String.fromCharCode(first).toUpperCase();
  if (upper !== variants[0]) variants.push(upper);
  if (first === 0x6b) variants.push("\u212a");
  if (first === 0x73) variants.push("\u017f");
  const next = variants.map((v) => text.indexOf(v, from));
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
}

/** First index ≥ `from` of any of `needles`, or -1. */
export function indexOfAny(
  text: string,
  needles: readonly string[],
  ignoreCase: boolean,
  from = 0,
): number {
  let best = -1;
  for (const n of needles) {
    const at = ignoreCase ? indexOfIgnoreCase(text, n, from) : text.indexOf(n, from);
    if (at >= 0 && (best < 0 || at < best)) best = at;
  }
  return best;
}
