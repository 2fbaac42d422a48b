// The lines of output a reader needs next to a failed check: the tail when something was not
// found (success lines usually come last), the neighbourhood when something forbidden was found.
// Capped, numbered, one output line per excerpt line. Only the lines shown are cut out of the
// output (native indexOf walks), never the whole output split: a failing check on every task of a
// fleet must not cost a full copy of every output.

const MAX_LINE = 200;
const TAIL_LINES = 10;
const CONTEXT = 2;

/** A line without its line end (LF, or CR LF). */
function clean(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}

/** Number of lines, without a phantom empty line after a final line end. */
function lineCount(output: string): number {
  let n = 1;
  for (let i = output.indexOf("\n"); i >= 0; i = output.indexOf("\n", i + 1)) n++;
  return output.endsWith("\n") ? n - 1 : n;
}

/** The line starting at offset `start`, and where the next one starts (-1: none). */
function lineAt(output: string, start: number): { text: string; next: number } {
  const nl = output.indexOf("\n", start);
  return nl < 0
    ? { text: clean(output.slice(start)), next: -1 }
    : { text: clean(output.slice(start, nl)), next: nl + 1 };
}

/** Offset where the line holding `index` starts. */
function lineStart(output: string, index: number): number {
  return index <= 0 ? 0 : output.lastIndexOf("\n", index - 1) + 1;
}

function render(lines: string[], firstNumber: number, mark?: number): string {
  const width = String(firstNumber + lines.length - 1).length;
  return lines
    .map((text, i) => {
      const n = firstNumber + i;
      const cut = text.length > MAX_LINE ? `${text.slice(0, MAX_LINE - 3)}...` : text;
      return `${n === mark ? ">" : " "}${String(n).padStart(width)} | ${cut}`;
    })
    .join("\n");
}

/** `count` lines from line number `first` (1-based) whose start is at offset `start`. */
function linesFrom(output: string, start: number, count: number, total: number, first: number) {
  const out: string[] = [];
  let at = start;
  for (let n = first; n < first + count && n <= total && at >= 0; n++) {
    const line = lineAt(output, at);
    out.push(line.text);
    at = line.next;
  }
  return out;
}

/** The last lines of the output. */
export function tailExcerpt(output: string): string {
  if (output === "") return "(no output)";
  const total = lineCount(output);
  const first = Math.max(1, total - TAIL_LINES + 1);
  // Walk back from the end to the start of line `first`.
  let start = lineStart(output, output.endsWith("\n") ? output.length - 1 : output.length);
  for (let n = total; n > first; n--) start = lineStart(output, start - 1);
  return render(linesFrom(output, start, TAIL_LINES, total, first), first);
}

/** The line holding `index` (0-based offset) and a few around it, that line marked with ">". */
export function excerptAround(output: string, index: number): string {
  const line = lineOf(output, index);
  const total = Math.max(line, lineCount(output));
  let start = lineStart(output, index);
  let first = line;
  while (first > 1 && first > line - CONTEXT) {
    start = lineStart(output, start - 1);
    first--;
  }
  const count = line - first + 1 + CONTEXT;
  return render(linesFrom(output, start, count, total, first), first, line);
}

/** The line holding `index` (0-based offset): its number and its text, cut like excerpt lines. */
export function lineFound(output: string, index: number): { line: number; text: string } {
  const { text } = lineAt(output, lineStart(output, index));
  const cut = text.length > MAX_LINE ? `${text.slice(0, MAX_LINE - 3)}...` : text;
  return { line: lineOf(output, index), text: cut };
}

/** 1-based line of a 0-based offset. */
export function lineOf(output: string, index: number): number {
  let line = 1;
  for (let i = output.indexOf("\n"); i >= 0 && i < index; i = output.indexOf("\n", i + 1)) line++;
  return line;
}
