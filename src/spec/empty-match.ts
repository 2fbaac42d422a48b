// A regex that matches empty text wherever it looks holds in every output: as `matches` it checks
// nothing, as `notMatches` it fails every task, and as a capture its first match is always at the
// start of the output. Matching "" alone is not enough to say so: `/\A\z/` (the output is empty)
// and `/^$/m` (there is an empty line) match "" and still tell outputs apart. What an empty match
// at a position depends on is the assertions on the way (`^`, `$`, `\A`, `\z`, `\b`, `\B`, with
// or without m), and at the start of a non-empty output those see only the first character: a
// word character, a line feed, or anything else; at its end, only the last. So RE2 itself is
// asked, on "" and on each of the three, whether the regex matches empty text there.
import { RE2JS } from "re2js";
import { compileRegex } from "./pattern.js";
import { endsInQuote } from "./regex-quote.js";

/** One character of each kind the assertions tell apart. */
const NEIGHBOURS = ["a", "\n", " "];

export interface EmptyMatch {
  /** At the start of every output: the first match of the regex is always there. */
  atStart: boolean;
  /** At the end of every output. */
  atEnd: boolean;
}

/** Where the regex (already known to compile) matches empty text in every output, if anywhere. */
export function emptyMatch(source: string, flags: string): EmptyMatch | undefined {
  const re = compileRegex(source, flags);
  // Most regexes stop here: a match on "" is an empty match.
  if (!(re instanceof RE2JS) || !re.test("")) return undefined;
  // Grouped so that its alternatives and inline flags stay its own; a `\Q` left open would read
  // the rest as literal text, so it is closed first.
  const inner = `(?:${source}${endsInQuote(source) ? "\\E" : ""})`;
  // Anchored both ends around one character, the regex can only match empty beside it.
  const before = compileRegex(`\\A${inner}(?s:.)\\z`, flags);
  const after = compileRegex(`\\A(?s:.)${inner}\\z`, flags);
  const everywhere = (wrapped: RE2JS | object) =>
    wrapped instanceof RE2JS && NEIGHBOURS.every((c) => wrapped.test(c));
  const found = { atStart: everywhere(before), atEnd: everywhere(after) };
  return found.atStart || found.atEnd ? found : undefined;
}
