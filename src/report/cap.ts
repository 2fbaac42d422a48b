// Size limits everywhere (JUnit readers hold files in memory, GitHub rejects long fields), always
// saying what was cut so a shortened text is never mistaken for the whole.
import { groupDigits } from "../locale-free.js";

/** Moves an index off the low half of a surrogate pair so a cut never leaves a lone surrogate. */
function boundary(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff && index > 0 ? index - 1 : index;
}

/** At most `maxChars` UTF-16 units, the last one "…" when cut; never half of a surrogate pair. */
export function capChars(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, boundary(text, maxChars - 1))}…`;
}

/** Keeps the head and the tail of a long text (the end of a log is usually what matters). */
export function capMiddle(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const headEnd = boundary(text, Math.floor(maxChars / 2));
  const tailStart = boundary(text, text.length - Math.floor(maxChars / 2));
  const cut = tailStart - headEnd;
  return `${text.slice(0, headEnd)}\n… [${groupDigits(cut)} of ${groupDigits(text.length)} characters cut here; head and tail kept] …\n${text.slice(tailStart)}`;
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/**
 * Shortens `text` to at most `maxBytes` UTF-8 bytes, preferring a line boundary, and appends
 * `note(cutChars)`. Bytes rather than characters: GitHub's limits are stated in characters, but
 * counting bytes can only err on the safe side.
 */
export function capBytes(
  text: string,
  maxBytes: number,
  note: (cutChars: number) => string,
): string {
  if (utf8Length(text) <= maxBytes) return text;
  // Reserve room for the note; its digits can only shrink as the cut does not exceed the text.
  const budget = maxBytes - utf8Length(note(text.length));
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (utf8Length(text.slice(0, mid)) <= budget) lo = mid;
    else hi = mid - 1;
  }
  let end = boundary(text, lo);
  const newline = text.lastIndexOf("\n", end);
  if (newline > end * 0.8) end = newline + 1;
  return text.slice(0, end) + note(text.length - end);
}
