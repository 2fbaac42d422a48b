// A text read backwards, for matching a reversed pattern from the end of an output: each code
// point stays whole (a surrogate pair keeps its order), so the reversed pattern sees the same
// characters in the opposite order. One pass into a UTF-16 buffer, decoded once: linear, and
// about as fast as copying the text.

/** text[from, text.length) backwards, then `after` (context the reversed pattern may look at). */
export function reversedText(text: string, from: number, after = ""): string {
  const n = text.length - from;
  const bytes = Buffer.allocUnsafe(2 * n);
  const units = new Uint16Array(bytes.buffer, bytes.byteOffset, n);
  let o = 0;
  for (let i = text.length - 1; i >= from; i--) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > from) {
      const high = text.charCodeAt(i - 1);
      if (high >= 0xd800 && high <= 0xdbff) {
        units[o++] = high;
        i--;
      }
    }
    units[o++] = c;
  }
  // Uint16Array is in the platform's byte order; Node runs on little-endian machines only.
  return bytes.toString("utf16le") + after;
}
