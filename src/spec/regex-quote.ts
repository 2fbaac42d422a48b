// RE2's `\Q…\E`: everything after `\Q` is literal text up to the first `\E` or the end of the
// regex, backslashes included (`\Qa\\E` is the text `a\`). A value put into a regex must be quoted
// differently inside such a span than outside it, so where the spans are is read here the way
// re2js's parser reads it: `\Q` starts one only outside a bracket class (inside, it is an invalid
// escape), and every other escape is a backslash and one character. For a regex that compiles,
// this finds exactly the spans RE2 does.
import { RE2JS } from "re2js";

/** [start, end) of each span's literal text: after `\Q`, up to its `\E` or the end. */
export function quoteSpans(source: string): [number, number][] {
  const spans: [number, number][] = [];
  if (!source.includes("\\Q")) return spans;
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === "\\" && source[i + 1] === "Q") {
      const start = i + 2;
      const close = source.indexOf("\\E", start);
      spans.push([start, close < 0 ? source.length : close]);
      i = close < 0 ? source.length : close + 2;
    } else if (c === "\\") i += 2;
    else if (c === "[") i = classEnd(source, i);
    else i++;
  }
  return spans;
}

/** Just past the bracket class opening at `open`: a `]` first (after any `^`) is literal, and
 * `[:name:]` is a unit, as in re2js's parseClass. */
function classEnd(source: string, open: number): number {
  let j = open + 1;
  if (source[j] === "^") j++;
  let first = true;
  while (j < source.length) {
    if (source[j] === "]" && !first) return j + 1;
    first = false;
    if (source.startsWith("[:", j)) {
      const close = source.indexOf(":]", j + 2);
      if (close >= 0) {
        j = close + 2;
        continue;
      }
    }
    j += source[j] === "\\" ? 2 : 1;
  }
  return source.length;
}

/** Whether the regex ends inside a `\Q` span with no `\E`: text appended to it would be quoted. */
export function endsInQuote(source: string): boolean {
  return quoteSpans(source).at(-1)?.[1] === source.length;
}

/**
 * How to write a value into `source` at an offset so that it matches exactly itself. Outside a
 * `\Q…\E` span: RE2's quoting. Inside one, quoting would be read literally (`\Q1\.4\.2\E`
 * matches `1\.4\.2`, never `1.4.2`) and the raw value could end the span early (`\E` in it) or
 * run into the span's own `\E` (a trailing `\`): so the span is closed around the quoted value
 * and reopened, `\E1\.4\.2\Q`, which means the same whatever the value holds.
 */
export function regexValueWriter(source: string): (value: string, index: number) => string {
  const spans = quoteSpans(source);
  return (value, index) => {
    const quoted = RE2JS.quote(value);
    const inside = spans.some(([start, end]) => index >= start && index < end);
    return inside ? `\\E${quoted}\\Q` : quoted;
  };
}
