// Task output as the agent reports it: bytes (text is UTF-8; `outputBase64` gives any bytes, such
// as GBK or invalid UTF-8), at most 24 KiB kept, the rest counted in `Dropped`, and a growing
// prefix while the task runs (the agent streams output about once a second).
//
// The cap keeps exactly MAX_OUTPUT_BYTES bytes, even when that splits a character (tat-agent cuts
// bytes, not characters; tat-api.md §7). Dropped counts from the moment the cap is crossed, while
// the task still runs: the agent stops streaming then, so what it shows stays the kept bytes.
import { MAX_OUTPUT_BYTES } from "../tat/types.js";

export interface VisibleOutput {
  /** Base64 of the kept bytes. */
  base64: string;
  dropped: number;
}

/** A task's output as bytes: `text` as UTF-8, or the raw bytes. */
export function outputBytes(output: string | Uint8Array): Uint8Array {
  return typeof output === "string" ? Buffer.from(output, "utf8") : output;
}

/** The first `n` bytes of `bytes` repeated, without building the whole repetition. */
function repeatedPrefix(bytes: Uint8Array, n: number): Buffer {
  if (n <= 0 || bytes.length === 0) return Buffer.alloc(0);
  return Buffer.alloc(n, bytes);
}

/**
 * @param output what the command prints, once (text as UTF-8, or bytes)
 * @param repeat how many times it prints it
 * @param fraction how much of the output has been produced so far (1 once the task ended);
 *   partial output under the cap stops at the last complete line.
 * @param final whether the task has ended.
 * @param dropped bytes printed after all of `output` that TAT did not keep (scenario `dropped`:
 *   a recording holds only the kept part). They come last, so `Dropped` grows only once the
 *   whole of `output` is shown, and ends at exactly this.
 */
export function visibleOutput(
  output: string | Uint8Array,
  repeat: number,
  fraction: number,
  final: boolean,
  dropped = 0,
): VisibleOutput {
  const bytes = outputBytes(output);
  const whole = bytes.length * repeat;
  const total = whole + dropped;
  const produced = final ? total : Math.floor(total * Math.min(1, Math.max(0, fraction)));
  const keptMax = Math.min(whole, MAX_OUTPUT_BYTES);
  const window = repeatedPrefix(bytes, Math.min(produced, keptMax));
  let kept = window.length;
  if (produced > keptMax) {
    return { base64: window.toString("base64"), dropped: produced - keptMax };
  }
  if (!final && produced < total) kept = kept > 0 ? window.lastIndexOf(0x0a, kept - 1) + 1 : 0;
  return { base64: window.subarray(0, kept).toString("base64"), dropped: 0 };
}

/**
 * Scenario `outputChunks` while the task runs: the chunks landed by scenario time `t`, as sent
 * (a chunk may end mid-line or mid-character), under the same 24 KiB cap.
 */
export function chunkedOutput(
  chunks: readonly { atMs: number; bytes: Uint8Array }[],
  t: number,
): VisibleOutput {
  const landed = chunks.filter((c) => c.atMs <= t).map((c) => c.bytes);
  const bytes = Buffer.concat(landed);
  const kept = bytes.subarray(0, MAX_OUTPUT_BYTES);
  return { base64: kept.toString("base64"), dropped: bytes.length - kept.length };
}
