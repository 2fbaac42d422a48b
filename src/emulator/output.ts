// Task output as the agent reports it: at most 24 KiB kept, the rest counted in `Dropped`, and a
// growing prefix while the task runs (the agent streams output about once a second).
import { MAX_OUTPUT_BYTES } from "../tat/types.js";

export interface VisibleOutput {
  /** Base64 of the kept bytes. */
  base64: string;
  dropped: number;
}

export function totalOutputBytes(text: string, repeat: number): number {
  return Buffer.byteLength(text, "utf8") * repeat;
}

/** The first `n` bytes of `text` repeated, without building the whole repetition. */
function repeatedPrefix(text: string, n: number): Buffer {
  if (n <= 0 || text.length === 0) return Buffer.alloc(0);
  return Buffer.alloc(n, Buffer.from(text, "utf8"));
}

/** Largest cut ≤ n that does not split a UTF-8 sequence (the agent never splits one either). */
function utf8Boundary(buf: Buffer, n: number): number {
  let cut = Math.min(n, buf.length);
  // biome-ignore lint/style/noNonNullAssertion: cut < buf.length inside the loop
  while (cut > 0 && cut < buf.length && (buf[cut]! & 0xc0) === 0x80) cut--;
  return cut;
}

/**
 * @param fraction how much of the output has been produced so far (1 once the task ended);
 *   partial output stops at the last complete line.
 * @param final whether the task has ended, which is when `Dropped` is reported.
 */
export function visibleOutput(
  text: string,
  repeat: number,
  fraction: number,
  final: boolean,
): VisibleOutput {
  const total = totalOutputBytes(text, repeat);
  const produced = final ? total : Math.floor(total * Math.min(1, Math.max(0, fraction)));
  const window = repeatedPrefix(text, Math.min(produced, MAX_OUTPUT_BYTES + 4));
  let kept = utf8Boundary(window, Math.min(produced, MAX_OUTPUT_BYTES));
  if (!final && produced < total) {
    kept = kept > 0 ? window.lastIndexOf(0x0a, kept - 1) + 1 : 0;
  }
  return {
    base64: window.subarray(0, kept).toString("base64"),
    dropped: final ? total - kept : 0,
  };
}
