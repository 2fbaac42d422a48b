// The output so far of a task that is still running, as text that can be judged without a false
// hit. TAT returns what the agent has sent (chunks of up to 4 KiB, about once a second), which can
// end in the middle of a line or, at the 24 KiB cut, of a character. Only complete lines are
// decoded: the bytes up to and including the last line feed (a line feed byte never occurs inside
// a character of UTF-8, GB18030 or the other ASCII-compatible encodings; for UTF-16 it is the
// aligned code unit, also when `auto` reads the output as UTF-16 by its BOM or NUL bytes). The
// rest waits for the next read.
//
// Decoding goes through decodeTaskOutput, strictly, as for the final output. One ambiguity is
// left: UTF-8 is tried first, and when the final output turns out not to be UTF-8 it is decoded
// with the fallback (the spec's encoding, or GB18030 for BAT/POWERSHELL with `auto`), which reads
// the same bytes differently. So when a fallback applies and the prefix has non-ASCII bytes, both
// readings are returned and a hit must be in each.
import { AUTO_ENCODING, type DecodeOptions, decoderLabel, decodeTaskOutput } from "./decode.js";
import { sniffUtf16 } from "./sniff-utf16.js";

export type PartialText =
  /** Every way the complete lines may read once the output is final (one, or two). */
  | { texts: string[] }
  /** Nothing can be judged yet (no complete line), or the bytes cannot be decoded. */
  | { undecided: string };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const WINDOWS_COMMAND_TYPES: ReadonlySet<string> = new Set(["BAT", "POWERSHELL"]);

/** Length of the complete lines: up to and including the last line feed (0: none yet). */
export function completeLinesLength(bytes: Uint8Array, label: string): number {
  if (label === "utf-16le" || label === "utf-16be") {
    const le = label === "utf-16le";
    for (let i = (bytes.length & ~1) - 2; i >= 0; i -= 2) {
      const [lo, hi] = le ? [bytes[i], bytes[i + 1]] : [bytes[i + 1], bytes[i]];
      if (lo === 0x0a && hi === 0x00) return i + 2;
    }
    return 0;
  }
  return bytes.lastIndexOf(0x0a) + 1;
}

export function decodePartialOutput(base64: string, options: DecodeOptions = {}): PartialText {
  if (base64.length % 4 !== 0 || !BASE64.test(base64)) {
    return { undecided: "output is not valid base64" };
  }
  const bytes = Buffer.from(base64, "base64");
  const encoding = (options.encoding ?? AUTO_ENCODING).toLowerCase();
  // Output still growing may end inside a code unit, hence "cut". The lines are sniffed again
  // when decoded, as the final output will be.
  const sniffed = encoding === AUTO_ENCODING ? sniffUtf16(bytes, true) : undefined;
  const label = sniffed && "label" in sniffed ? sniffed.label : decoderLabel(encoding);
  const n = completeLinesLength(bytes, label);
  if (n === 0) return { undecided: "no complete line yet" };
  const lines = bytes.subarray(0, n);
  const decoded = decodeTaskOutput(lines.toString("base64"), { ...options, dropped: 0 });
  if ("undecodable" in decoded) return { undecided: decoded.undecodable };
  const texts = [decoded.text];
  const fallback =
    encoding === AUTO_ENCODING
      ? WINDOWS_COMMAND_TYPES.has(options.commandType ?? "")
        ? "gb18030"
        : undefined
      : label;
  if (decoded.encoding === "utf-8" && fallback && fallback !== "utf-8" && !isAscii(lines)) {
    try {
      const other = new TextDecoder(fallback, { fatal: true }).decode(lines);
      if (other !== decoded.text) texts.push(other);
    } catch {
      // Not valid in the fallback: if the final output is not UTF-8 it is undecodable (an
      // error, never a pass), so UTF-8 is the only reading that can pass or fail.
    }
  }
  return { texts };
}

function isAscii(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b >= 0x80) return false;
  return true;
}
