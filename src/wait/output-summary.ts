// What is kept of a task's output after it has been judged: sizes and the last lines. The bound
// per task is fixed here (TAIL_CHARS), whatever the output's size: this is one of the two places
// (with the tally's excerpts) that make memory at fleet size O(tasks), not O(output).
// A whole log read from COS (expect.output.source) is no exception: it is summarised like TAT's
// copy as soon as it is judged. While being read, at most 4 such objects of at most 64 MiB each are
// held (cos/complete-truncated.ts, cos/fetch-output.ts), besides one batch of 100 task records.
import { detach } from "../detach.js";
import type { OutputSummary } from "../model.js";

export const TAIL_LINES = 20;
export const TAIL_CHARS = 2_000;

export function summarizeOutput(output: string, keepTail = true): OutputSummary {
  let lines = 0;
  for (let i = output.indexOf("\n"); i !== -1; i = output.indexOf("\n", i + 1)) lines++;
  if (output.length > 0 && !output.endsWith("\n")) lines++;
  const summary: OutputSummary = { chars: output.length, lines };
  if (keepTail) summary.tail = detach(tailOf(output));
  return summary;
}

/** The last TAIL_LINES lines, cut to the last TAIL_CHARS characters; found from the end, so the
 * cost does not depend on the output's size. */
function tailOf(output: string): string {
  let start = 0;
  // A final newline ends the last line; it does not start an empty one.
  let from = output.endsWith("\n") ? output.length - 2 : output.length - 1;
  for (let n = 0; n < TAIL_LINES && from >= 0; n++) {
    const nl = output.lastIndexOf("\n", from);
    start = nl + 1;
    if (nl === -1) break;
    from = nl - 1;
  }
  if (output.length - start > TAIL_CHARS) {
    start = output.length - TAIL_CHARS;
    // Never start on the low half of a surrogate pair.
    const code = output.charCodeAt(start);
    if (code >= 0xdc00 && code <= 0xdfff) start++;
  }
  return output.slice(start);
}
