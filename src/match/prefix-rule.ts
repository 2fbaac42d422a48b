// Which `notMatches` patterns can be decided on the output of a task that is still running.
// The output so far is judged up to its last line feed (partial-output.ts): whole lines, whole
// characters. A match found there is a match in every longer output with that beginning, unless
// the pattern asks about what follows the text: `$` and `\z` hold at the end of the text (and `$`
// with the m flag before any line end), `\B` holds at the end after a line feed; later output can
// make each of them false. `\b` cannot hold at the end of text that ends with a line feed, and
// `^`, `\A` only look left, so they are safe. A pattern that uses one of the three waits for the
// final record (it is never judged early, only later). decidableOnAnyPrefix is the stricter rule
// for a prefix whose last line may be cut short (TAT's copy of an output it cut): `\b` too.
import type { OutputPattern } from "../model.js";
import { quoteSpans } from "../spec/regex-quote.js";

/** True when a hit on the complete lines of a prefix is a hit on the whole output. */
export function decidableOnPrefix(pattern: Pick<OutputPattern, "kind" | "source">): boolean {
  return pattern.kind === "substring" || !usesAssertion(pattern.source, "$zB");
}

/** True when a hit anywhere in a prefix, its last line cut short too, is a hit on the whole output:
 * the pattern never asks what follows a position (`$`, `\z`, `\b`, `\B`), so a match in the
 * prefix is the same match in any longer text. TAT's copy of an output it cut (`Dropped` > 0) is
 * such a prefix: at its end `$` and `\b` hold where the full output goes on (`/^deploy ok$/m` on
 * a kept part ending in the middle of `deploy okay`). */
export function decidableOnAnyPrefix(pattern: Pick<OutputPattern, "kind" | "source">): boolean {
  return pattern.kind === "substring" || !usesAssertion(pattern.source, "$zbB");
}

/** Whether the regex source uses, outside a class, `$` (when listed) or `\X` for a listed X. */
function usesAssertion(source: string, which: string): boolean {
  const src = withoutQuotes(source);
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === "\\") {
      const next = src[i + 1];
      if (!inClass && next !== undefined && next !== "$" && which.includes(next)) return true;
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "$" && which.includes("$")) return true;
    if (c === "[") {
      inClass = true;
      // `[]…]` and `[^]…]`: a `]` first in a class is a literal, not its end.
      if (src[i + 1] === "^") i++;
      if (src[i + 1] === "]") i++;
    }
  }
  return false;
}

/** The source with each `\Q…\E` span (literal text: no assertion, no class) as one plain
 * character: a `[` or `$` quoted there would otherwise read as a class or an anchor. */
function withoutQuotes(source: string): string {
  const spans = quoteSpans(source);
  if (spans.length === 0) return source;
  let out = "";
  let from = 0;
  for (const [start, end] of spans) {
    out += `${source.slice(from, start - 2)}x`;
    from = source.startsWith("\\E", end) ? end + 2 : end;
  }
  return out + source.slice(from);
}
