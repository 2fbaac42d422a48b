// An output pattern ready to run, compiled once per run. Deciding (is it there?) and locating (on
// which line?) are separate: a `matches` that holds and a `notMatches` that holds never need a
// location, and locating is where re2js spends its time. Every path keeps RE2's guarantee of time
// linear in the output:
// - literal text (a substring, or a regex that is only literal alternatives) never reaches the
//   regex engine: native indexOf, or an ASCII case-folding scan for the `i` flag;
// - otherwise the search starts at the first occurrence of the literal every match begins with
//   (when there is one), and is decided by re2js's DFA (test(), no capture tracking);
// - a location is found line by line with the DFA when no match can span a line break, else with
//   one find() from the first possible start;
// - a pattern whose every match ends at the end of the text on its last line (`(a+)+$`) is first
//   tried backwards on the line's last characters (the reversed pattern, anchored at the end), so
//   a match there is decided without reading the whole line; otherwise the DFA reads the line.
import { MatcherInput, RE2JS } from "re2js";
import type { OutputPattern } from "../model.js";
import { compileRegex } from "../spec/pattern.js";
import { isAsciiFoldable, literalFinder } from "./literal-search.js";
import { type RegexShape, regexShape } from "./regex-shape.js";
import { reversedText } from "./reverse-text.js";

export interface CompiledPattern {
  /** Whether the text holds a match. */
  test(text: string): boolean;
  /**
   * For a text test() found a match in: an offset on the line where the first match starts (the
   * match's own offset when it is known for free). Offsets are only good for lineOf/excerptAround.
   */
  locate(text: string): number;
}

const UNANCHORED = 0;
const ANCHOR_START = 1;

/** Characters at the end of a long last line read backwards first: an end-anchored match is
 * usually short, and reading them costs next to nothing next to the line. */
export const TAIL_WINDOW = 1_024;

function literalPattern(needles: string[], ignoreCase: boolean): CompiledPattern {
  const find = literalFinder(needles, ignoreCase);
  return {
    test: (text) => find(text) >= 0,
    locate: (text) => find(text),
  };
}

/** Where a match may start first: the first occurrence of a required prefix (or 0). */
function startFinder(shape: RegexShape, ignoreCase: boolean): (text: string) => number {
  let prefixes = shape.prefixes;
  if (prefixes && ignoreCase) {
    // Only the ASCII head of each prefix can be searched without the engine; an empty head
    // means no cheap start.
    prefixes = prefixes.map((p) => {
      let n = 0;
      while (n < p.length && p.charCodeAt(n) <= 0x7f) n++;
      return p.slice(0, n);
    });
    if (prefixes.some((p) => p === "")) prefixes = undefined;
  }
  if (!prefixes) return () => 0;
  const find = literalFinder(prefixes, ignoreCase);
  return (text) => find(text);
}

/** The reversed pattern, when a match found backwards in a tail of the text counts (see above). */
function tailEngine(shape: RegexShape, flags: string): ReturnType<RE2JS["re2"]> | undefined {
  if (!shape.lineConfined || shape.endsAtEnd !== true || !shape.contextFree) return undefined;
  if (shape.reversed === undefined) return undefined;
  const reversed = compileRegex(shape.reversed, flags);
  return reversed instanceof RE2JS ? reversed.re2() : undefined;
}

// The engine's input for the text last judged: the patterns of a task read the same text one after
// another, and given a string re2js wraps it and checks its type anew on every call, a fixed cost
// that was a fifth of deciding a 2 KB output.
type EngineInput = ReturnType<typeof MatcherInput.utf16>;
let inputText: string | undefined;
let input: EngineInput | undefined;

function engineInput(text: string): EngineInput {
  if (input === undefined || inputText !== text) {
    inputText = text;
    input = MatcherInput.utf16(text);
  }
  return input;
}

function regexPattern(
  re: RE2JS,
  shape: RegexShape,
  ignoreCase: boolean,
  flags: string,
): CompiledPattern {
  const engine = re.re2();
  const tail = tailEngine(shape, flags);
  const firstStart = startFinder(shape, ignoreCase);
  /** DFA over text[from, to): left context is the real text; `to` reads as the end of text. */
  const within = (text: string, from: number, to: number): boolean =>
    engine.matchWithGroup(engineInput(text), from, to, UNANCHORED, 0)[0] === true;
  /** A match confined to a line that ends at the end of the text is on the last line. */
  const lastLineOnly = shape.lineConfined && shape.endsAtEnd === true;
  const locate = (text: string): number => {
    const from = Math.max(0, firstStart(text));
    if (lastLineOnly) return Math.max(from, text.lastIndexOf("\n") + 1);
    if (shape.lineConfined) {
      // The first line that holds a match holds the first match: test line by line. A line tested
      // alone ends at its end of text, so `$`/`\z` may hold there falsely (never the reverse):
      // with such an anchor a hit before the last line is confirmed by find() from that line.
      // (lastIndexOf reads a negative position as 0, where a line feed would be found.)
      let start = from === 0 ? 0 : text.lastIndexOf("\n", from - 1) + 1;
      for (;;) {
        const nl = text.indexOf("\n", start);
        // No earlier line holds it, so the last one does: no need to test it.
        if (nl < 0) return start;
        // With an end anchor the line is tested with its line feed, so `$` cannot hold at its
        // end unless the match is empty there; such a hit is confirmed by find().
        if (within(text, start, shape.endAnchor ? nl + 1 : nl)) {
          if (!shape.endAnchor) return start;
          const m = re.matcher(text);
          return m.find(start) ? m.start() : -1;
        }
        start = nl + 1;
      }
    }
    const m = re.matcher(text);
    return m.find(from) ? m.start() : -1;
  };
  return {
    test(text) {
      const from = firstStart(text);
      if (from < 0) return false;
      // Only the last line can hold a match: decide on it alone (its left context is real).
      if (lastLineOnly) {
        const line = Math.max(from, text.lastIndexOf("\n") + 1);
        if (tail && text.length - line > TAIL_WINDOW) {
          // The window never starts inside a surrogate pair (a lone half is not the text).
          let start = text.length - TAIL_WINDOW;
          const c = text.charCodeAt(start);
          if (c >= 0xdc00 && c <= 0xdfff) start--;
          const back = reversedText(text, start);
          if (tail.matchWithGroup(back, 0, back.length, ANCHOR_START, 0)[0] === true) return true;
        }
        return within(text, line, text.length);
      }
      return within(text, from, text.length);
    },
    locate,
  };
}

/** The pattern ready to run, or the reason it cannot be (the loader rejects those first). */
export function compilePattern(
  pattern: Pick<OutputPattern, "kind" | "source" | "flags">,
): CompiledPattern | { problem: string } {
  if (pattern.kind === "substring") return literalPattern([pattern.source], false);
  const ignoreCase = pattern.flags.includes("i");
  const shape = regexShape(pattern.source, pattern.flags);
  if (shape.literals && (!ignoreCase || shape.literals.every(isAsciiFoldable))) {
    return literalPattern(shape.literals, ignoreCase);
  }
  const re = compileRegex(pattern.source, pattern.flags);
  if (!(re instanceof RE2JS)) return { problem: re.problem };
  return regexPattern(re, shape, ignoreCase, pattern.flags);
}

const cache = new Map<string, CompiledPattern | { problem: string }>();

/** compilePattern, once per distinct pattern for the life of the process (a run). */
export function compiledPattern(
  pattern: Pick<OutputPattern, "kind" | "source" | "flags">,
): CompiledPattern | { problem: string } {
  const key = `${pattern.kind}/${pattern.flags}/${pattern.source}`;
  let compiled = cache.get(key);
  if (!compiled) {
    compiled = compilePattern(pattern);
    cache.set(key, compiled);
  }
  return compiled;
}
