// The lines of output a reader needs next to a failed check: the tail when something was not
// found (success lines usually come last), the neighbourhood when something forbidden was found.
// Capped, numbered, one output line per excerpt line.

const MAX_LINE = 200;
const TAIL_LINES = 10;
const CONTEXT = 2;

function lines(output: string): string[] {
  const all = output.split(/\r?\n/);
  if (all.length > 1 && all[all.length - 1] === "") all.pop();
  return all;
}

function render(all: string[], from: number, to: number, mark?: number): string {
  const width = String(to).length;
  const out: string[] = [];
  for (let i = from; i < to; i++) {
    const text = all[i] ?? "";
    const cut = text.length > MAX_LINE ? `${text.slice(0, MAX_LINE - 3)}...` : text;
    out.push(`${i === mark ? ">" : " "}${String(i + 1).padStart(width)} | ${cut}`);
  }
  return out.join("\n");
}

/** The last lines of the output. */
export function tailExcerpt(output: string): string {
  if (output === "") return "(no output)";
  const all = lines(output);
  return render(all, Math.max(0, all.length - TAIL_LINES), all.length);
}

/** The line holding `index` (0-based offset) and a few around it, that line marked with ">". */
export function excerptAround(output: string, index: number): string {
  const all = lines(output);
  const line = lineOf(output, index) - 1;
  return render(all, Math.max(0, line - CONTEXT), Math.min(all.length, line + CONTEXT + 1), line);
}

/** 1-based line of a 0-based offset. */
export function lineOf(output: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < output.length; i++) if (output.charCodeAt(i) === 10) line++;
  return line;
}
