// A spec's bytes as text, strictly: a byte that is not UTF-8 was silently turned into U+FFFD, and
// a pattern holding it could then never match (`notMatches: ["Fehler: …"]` saved as Latin-1 passed
// over every output that printed the error). Such a file is a located error instead.
import { isUtf8 } from "node:buffer";
import type { SpecIssue } from "../errors.js";

/** The text, or the problem at the first byte that is not UTF-8. A leading BOM is kept, as
 * `Buffer#toString` keeps it (the YAML parser skips it). */
export function specText(bytes: Uint8Array, file: string): string | SpecIssue {
  if (isUtf8(bytes)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString();
  const at = firstInvalid(bytes);
  const hex = (bytes[at.offset] ?? 0).toString(16).toUpperCase().padStart(2, "0");
  return {
    where: { file, line: at.line, col: at.col },
    path: "",
    message: `the file is not UTF-8: byte 0x${hex} here is not part of a UTF-8 character`,
    fix: "save the file as UTF-8 (from Latin-1 or GBK: iconv -f GBK -t UTF-8)",
  };
}

/** Line and column (in characters, from 1) of the first byte that is not UTF-8. A newline byte is
 * never inside a UTF-8 character, so lines are checked one by one, then the bad line character by
 * character. */
function firstInvalid(bytes: Uint8Array): { offset: number; line: number; col: number } {
  let line = 1;
  let start = 0;
  for (;;) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    const lineBytes = bytes.subarray(start, end);
    if (!isUtf8(lineBytes)) {
      const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
      let col = 1;
      let charStart = 0;
      for (let i = 0; i < lineBytes.length; i++) {
        try {
          const out = decoder.decode(lineBytes.subarray(i, i + 1), { stream: true });
          if (out.length > 0) {
            col += out.length;
            charStart = i + 1;
          }
        } catch {
          return { offset: start + charStart, line, col };
        }
      }
      // Cut short at the end of the line: the last character never completed.
      return { offset: start + charStart, line, col };
    }
    if (end === bytes.length) return { offset: start, line, col: 1 };
    line++;
    start = end + 1;
  }
}
