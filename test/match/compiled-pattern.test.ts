// The fast paths must find exactly what the regex finds. V8's RegExp (with the u flag, whose case
// folding is Unicode simple folding like RE2's) is the reference on patterns where both engines
// agree by definition: no lookaround, no backreferences, `.` only ever meets \n as a line break.
import { describe, expect, test } from "@jest/globals";
import { RE2JS } from "re2js";
import { compilePattern, TAIL_WINDOW } from "../../src/match/compiled-pattern.js";
import { lineOf } from "../../src/match/excerpt.js";
import { literalFinder } from "../../src/match/literal-search.js";
import { regexShape } from "../../src/match/regex-shape.js";
import { compileRegex } from "../../src/spec/pattern.js";
import { prng as rng } from "../helpers/prng.js";

const TEXT_CHARS = ["a", "b", "E", "e", " ", "\n", "\n", "1", ".", "K", "\u212a", "\u017f", "s"];
const ATOMS = [
  "a",
  "b",
  "e",
  "E",
  "s",
  "k",
  "\\.",
  ".",
  "\\d",
  "[ab]",
  "[^a]",
  "\\s",
  "\\w",
  "1",
  " ",
];
const QUANTS = ["", "", "", "?", "*", "+", "{1,2}", "+?"];
const ZERO_WIDTH = ["^", "$", "\\b"];

function randomPattern(r: () => number, depth = 0): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T;
  const parts: string[] = [];
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const roll = r();
    if (roll < 0.1) parts.push(pick(ZERO_WIDTH));
    else if (roll < 0.2 && depth < 2) {
      const inner = `${randomPattern(r, depth + 1)}|${randomPattern(r, depth + 1)}`;
      // A group takes at most `?`: V8 backtracks exponentially on nested repeats.
      parts.push(`${r() < 0.5 ? "(" : "(?:"}${inner})${r() < 0.3 ? "?" : ""}`);
    } else parts.push(pick(ATOMS) + pick(QUANTS));
  }
  const body = parts.join("");
  return depth === 0 && r() < 0.2 ? `${body}|${randomPattern(r, 1)}` : body;
}

function randomText(r: () => number): string {
  const n = Math.floor(r() * 30);
  let s = "";
  for (let i = 0; i < n; i++) s += TEXT_CHARS[Math.floor(r() * TEXT_CHARS.length)];
  return s;
}

const FLAG_SETS = ["", "i", "m", "s", "im", "ms", "ims"];

function check(source: string, flags: string, text: string): void {
  // V8 counts U+212A and U+017F as word characters under /iu; RE2's \w and \b are ASCII.
  if (/\\[wWbB]/.test(source) && /[\u212a\u017f]/.test(text)) return;
  let v8: RegExp;
  try {
    v8 = new RegExp(source, `${flags}u`);
  } catch {
    return; // not a pattern both engines read the same way
  }
  const compiled = compilePattern({ kind: "regex", source, flags });
  if ("problem" in compiled) return;
  const expected = v8.exec(text);
  const context = { source, flags, text };
  expect({ ...context, found: compiled.test(text) }).toEqual({ ...context, found: !!expected });
  // locate() is asked only about a text test() found a match in.
  const line = expected ? lineOf(text, compiled.locate(text)) : -1;
  const expectedLine = expected ? lineOf(text, expected.index) : -1;
  expect({ ...context, line }).toEqual({ ...context, line: expectedLine });
}

describe("compiled patterns agree with V8 RegExp", () => {
  test("on 3,000 random safe patterns and texts", () => {
    const r = rng(20261130);
    for (let i = 0; i < 600; i++) {
      const source = randomPattern(r);
      const flags = FLAG_SETS[Math.floor(r() * FLAG_SETS.length)] as string;
      for (let j = 0; j < 5; j++) check(source, flags, randomText(r));
    }
  });

  test("end-anchored patterns on long last lines (decided backwards from the end first)", () => {
    // The reference is re2js's own find() (V8 backtracks for too long on these lengths).
    const r = rng(20261201);
    const lineChars = TEXT_CHARS.filter((c) => c !== "\n");
    const line = (n: number) =>
      Array.from({ length: n }, () => lineChars[Math.floor(r() * lineChars.length)]).join("");
    let tailDecided = 0;
    for (let i = 0; i < 300; i++) {
      const source = `(?:${randomPattern(r)})$`;
      const flags = FLAG_SETS[Math.floor(r() * FLAG_SETS.length)] as string;
      const re = compileRegex(source, flags);
      const compiled = compilePattern({ kind: "regex", source, flags });
      if (!(re instanceof RE2JS) || "problem" in compiled) continue;
      for (let j = 0; j < 3; j++) {
        // Longer than TAIL_WINDOW, so the backwards window is tried before the line.
        const text = `${randomText(r)}\n${line(TAIL_WINDOW + Math.floor(r() * 300))}${line(Math.floor(r() * 8))}`;
        const m = re.matcher(text);
        const expected = m.find() ? lineOf(text, m.start()) : -1;
        const found = compiled.test(text);
        const context = { source, flags, tail: text.slice(-12) };
        expect({ ...context, line: found ? lineOf(text, compiled.locate(text)) : -1 }).toEqual({
          ...context,
          line: expected,
        });
        const shape = regexShape(source, flags);
        if (found && shape.contextFree && shape.lineConfined) tailDecided++;
      }
    }
    // The backwards path was really taken, not only the forward one.
    expect(tailDecided).toBeGreaterThan(50);
  });

  test("a match cut by the window's start is still found; a surrogate pair is never split", () => {
    const long = "a".repeat(TAIL_WINDOW * 2);
    const cases: [string, string, boolean][] = [
      // What comes before a match is outside the window: such patterns read the whole line.
      ["^a+$", `b\n${long}`, false],
      ["\\ba+$", `b${long}`, false],
      ["\\ba+$", ` ${long}`, true],
      ["xa+$", `x${long}`, true],
      ["xa+$", `y${long}`, false],
      ["\\x{1F600}a+$", `\u{1F600}${"a".repeat(TAIL_WINDOW - 1)}`, true],
      [".a+$", `${"b".repeat(TAIL_WINDOW)}\u{1F600}${"a".repeat(TAIL_WINDOW - 2)}`, true],
      ["\\x{DE00}a+$", `${"b".repeat(TAIL_WINDOW)}\u{1F600}${"a".repeat(TAIL_WINDOW - 2)}`, false],
    ];
    for (const [source, text, found] of cases) {
      const p = compilePattern({ kind: "regex", source, flags: "" });
      if ("problem" in p) throw new Error(p.problem);
      expect({ source, found: p.test(text) }).toEqual({ source, found });
    }
  });

  test("reversed patterns match exactly the reversed texts", () => {
    const r = rng(20261202);
    const reverse = (t: string) => [...t].reverse().join("");
    let compared = 0;
    for (let i = 0; i < 600; i++) {
      const source = randomPattern(r);
      const flags = FLAG_SETS[Math.floor(r() * FLAG_SETS.length)] as string;
      const { reversed } = regexShape(source, flags);
      if (reversed === undefined) continue;
      for (let j = 0; j < 5; j++) {
        const text = randomText(r);
        if (/\\[wWbB]/.test(source) && /[\u212a\u017f]/.test(text)) continue;
        const forward = new RegExp(source, `${flags}u`).test(text);
        const backward = new RegExp(reversed, `${flags}u`).test(reverse(text));
        expect({ source, reversed, flags, text, backward }).toEqual({
          source,
          reversed,
          flags,
          text,
          backward: forward,
        });
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(2_000);
  });

  test.each([
    ["ERROR", "", "ok\nERROR: x\n", 1],
    ["ERROR|FATAL|Traceback", "", "a\nb FATAL\nERROR\n", 1],
    ["health(check)?:\\s+(ok|passed)", "i", "x\nHEALTHCHECK:\n  Passed\n", 1],
    ["^done in \\d+ms$", "m", "done in 5 ms\ndone in 12ms\n", 1],
    ["(a+)+$", "", `${"a".repeat(60)}\n${"a".repeat(60)}!`, -1],
    ["(a+)+$", "", `${"a".repeat(60)}!\n${"a".repeat(60)}`, 1],
    ["(a+)+$", "", "a".repeat(60), 0],
    ["(a+)+$", "", `${"a".repeat(60)}\n${"a".repeat(60)}`, 1],
    ["a+$|b", "", "xb\naa", 0],
    ["a*$", "", "b\nb", 1],
    ["^b", "", "b\nb", 0],
    ["^b", "", "a\nb", -1],
    ["a$", "", "a\na\nb", -1],
    ["\\bk", "i", "xk \u212a k", 0],
    ["stra\u00dfe", "i", "STRASSE Stra\u00dfe", 0],
  ])("/%s/%s on %j: first match on line index %d", (source, flags, text, line) => {
    // Checked against the written line, not V8: V8 backtracks for ever on some of these.
    const p = compilePattern({ kind: "regex", source, flags });
    if ("problem" in p) throw new Error(p.problem);
    const found = p.test(text);
    expect(found).toBe(line >= 0);
    expect(found ? lineOf(text, p.locate(text)) - 1 : -1).toBe(line);
  });

  test("substrings are found where indexOf finds them", () => {
    const p = compilePattern({ kind: "substring", source: "/var/log", flags: "" });
    if ("problem" in p) throw new Error(p.problem);
    expect(p.test("x /var/log/y")).toBe(true);
    expect(p.locate("x /var/log/y")).toBe(2);
    expect(p.test("/var/lo")).toBe(false);
  });
});

describe("regexShape", () => {
  test.each([
    ["ERROR", "", { literals: ["ERROR"], prefixes: ["ERROR"], lineConfined: true }],
    ["ERROR|FATAL", "", { literals: ["ERROR", "FATAL"], lineConfined: true }],
    ["a\\.b", "", { literals: ["a.b"] }],
    ["deploy ok version=\\d+", "", { literals: undefined, prefixes: ["deploy ok version="] }],
    ["ab?c", "", { prefixes: ["a"] }],
    ["ab+c", "", { prefixes: ["ab"] }],
    ["^done$", "m", { prefixes: ["done"], endAnchor: false, lineConfined: true }],
    ["ok$", "", { endAnchor: true, endsAtEnd: true }],
    ["(ok$)", "", { endAnchor: true, endsAtEnd: undefined }],
    ["a$|b", "", { endAnchor: true, endsAtEnd: undefined }],
    ["a\\s+b", "", { lineConfined: false }],
    ["a.b", "s", { lineConfined: false }],
    ["a.b", "", { lineConfined: true }],
    ["[^x]", "", { lineConfined: false }],
    ["[\\t-\\r]", "", { lineConfined: false }],
    ["(?i)abc", "", { literals: undefined, prefixes: undefined, lineConfined: false }],
    ["a|b*", "", { prefixes: undefined }],
    ["(ERROR|FATAL|panic):", "", { prefixes: ["ERROR", "FATAL", "panic"], literals: undefined }],
    ["\\b(?:ab|cd)+x|((e|f)g|h)", "", { prefixes: ["ab", "cd", "e", "f", "h"] }],
    ["(a|b?)c", "", { prefixes: undefined }],
    ["(a|b)?c", "", { prefixes: undefined }],
    ["(|a)c", "", { prefixes: undefined }],
  ])("/%s/%s", (source, flags, expected: Record<string, unknown>) => {
    const shape: Record<string, unknown> = { ...regexShape(source, flags) };
    const picked = Object.fromEntries(Object.keys(expected).map((k) => [k, shape[k]]));
    expect(picked).toEqual(expected);
  });
});

describe("case-insensitive literal search", () => {
  test("folds ASCII letters and the two non-ASCII characters that fold to them", () => {
    const at = (text: string, needle: string) => literalFinder([needle], true)(text);
    expect(at("xx HeAlTh", "health")).toBe(3);
    expect(at("\u212aey", "key")).toBe(0);
    expect(at("ye\u017f", "YES")).toBe(0);
    expect(at("heal", "health")).toBe(-1);
    expect(at("h h he hea heal health", "health")).toBe(16);
  });
});

describe("state kept between searches", () => {
  // A finder keeps its needles' next occurrences between calls, and a pattern keeps the engine's
  // input for the text it read last: neither may carry anything from one text to the next.
  test("a literal finder searches each text afresh", () => {
    const find = literalFinder(["health", "ok"], true);
    expect(find("xx OK health")).toBe(3);
    expect(find("HEALTH")).toBe(0);
    expect(find("he he hea ")).toBe(-1);
    expect(find("x ok health ok")).toBe(2);
    const exact = literalFinder(["ERROR:", "FATAL:"], false);
    expect(exact("FATAL: x ERROR:")).toBe(0);
    expect(exact("x ERROR: FATAL:")).toBe(2);
    expect(exact("error: fatal:")).toBe(-1);
  });

  test("a regex decides each text on its own, texts of the same length alternating", () => {
    const p = compilePattern({ kind: "regex", source: "version=\\d+\\.\\d+\\.\\d+", flags: "" });
    if ("problem" in p) throw new Error(p.problem);
    const good = "step done, version=2.4.1\n";
    const bad = "step done, version=2.4.x\n";
    expect([good, bad, good, bad, bad, good].map((t) => p.test(t))).toEqual([
      true,
      false,
      true,
      false,
      false,
      true,
    ]);
  });
});
