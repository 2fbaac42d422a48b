// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are the ${capture.NAME} syntax under test
// A captured value put into a regex must match exactly itself, inside a `\Q…\E` span or not, and
// whatever it holds. RE2 is the judge: the substituted regex must match the text with the value
// in place, and not the text with the value written as regex (what quoting twice used to match).
import { describe, expect, test } from "@jest/globals";
import { RE2JS } from "re2js";
import { compilePattern } from "../../src/match/compiled-pattern.js";
import { substituteCaptures } from "../../src/spec/capture-ref.js";
import { endsInQuote, quoteSpans, regexValueWriter } from "../../src/spec/regex-quote.js";

const VALUES = [
  "1.4.2",
  "a\\Eb", // ends a span early if put in raw
  "trailing\\", // with the span's own \E after it, reads as \\E
  "\\E",
  "\\Q",
  "\\",
  "E",
  "[x](y)*+?{1}|^$.",
  "é😀",
];

/** A regex around `${capture.v}`, and the text it must match for a value. */
const TEMPLATES: [string, (v: string) => string][] = [
  ["\\Q${capture.v}\\E", (v) => v],
  ["rollback of \\Q${capture.v}\\E failed", (v) => `rollback of ${v} failed`],
  ["\\Qv=${capture.v}!\\E$", (v) => `v=${v}!`],
  ["\\Qv=(${capture.v})", (v) => `v=(${v})`], // a span the regex never closes
  ["\\Q[${capture.v}]\\E", (v) => `[${v}]`],
  ["${capture.v} \\Q.\\E", (v) => `${v} .`],
  ["\\\\Q${capture.v}", (v) => `\\Q${v}`], // an escaped backslash: no span
  ["[\\\\Q]${capture.v}", (v) => `Q${v}`], // a class: no span
  ["[[:digit:]]\\Q${capture.v}\\E", (v) => `7${v}`],
  ["[][]\\Q${capture.v}\\E", (v) => `[${v}`], // `]` first in a class is literal
  ["(?i)\\Q${capture.v}\\E", (v) => v],
  ["\\Qa\\E\\Q${capture.v}\\E\\Qb", (v) => `a${v}b`],
];

const substituted = (template: string, v: string) =>
  substituteCaptures(template, () => v, regexValueWriter(template));

describe("a captured value in a regex matches exactly itself", () => {
  test.each(TEMPLATES)("%s", (template, text) => {
    for (const v of VALUES) {
      const source = substituted(template, v);
      const re = RE2JS.compile(source);
      expect({ v, source, matches: re.matches(text(v)) }).toEqual({ v, source, matches: true });
      const asRegex = RE2JS.quote(v);
      if (asRegex !== v) {
        expect({ v, source, quotedText: re.matches(text(asRegex)) }).toEqual({
          v,
          source,
          quotedText: false,
        });
      }
    }
  });

  test("a quantifier after the span takes the value's last character, as with the value written in", () => {
    const template = "\\Q${capture.v}\\E+";
    for (const v of ["1.4.2", "a\\Eb", "é😀"]) {
      const re = RE2JS.compile(substituted(template, v));
      const last = Array.from(v).at(-1);
      expect(re.matches(`${v}${last}${last}`)).toBe(true);
      expect(re.matches(`${v}${v}`)).toBe(false);
    }
  });

  test("two values, one inside a span and one outside", () => {
    const template = "\\Q${capture.a} (\\E${capture.b}\\Q)\\E";
    const source = substituteCaptures(
      template,
      (n) => (n === "a" ? "1.4.2" : "x\\Ey"),
      regexValueWriter(template),
    );
    expect(RE2JS.compile(source).matches("1.4.2 (x\\Ey)")).toBe(true);
    expect(RE2JS.compile(source).matches("1\\.4\\.2 (x\\Ey)")).toBe(false);
  });

  // The matcher skips the engine for literal patterns and starts at required prefixes: on these
  // regexes it must find exactly what RE2 finds.
  test.each(TEMPLATES)("the matcher agrees with RE2 on %s", (template, text) => {
    for (const v of VALUES) {
      const source = substituted(template, v);
      const re = RE2JS.compile(source);
      const compiled = compilePattern({ kind: "regex", source, flags: "" });
      if ("problem" in compiled) throw new Error(compiled.problem);
      const texts = [text(v), `before\n${text(v)}\nafter`, text(RE2JS.quote(v)), "", v];
      for (const t of texts) {
        expect({ source, t, found: compiled.test(t) }).toEqual({ source, t, found: re.test(t) });
      }
    }
  });
});

describe("quoteSpans reads spans as RE2 does", () => {
  test.each([
    ["a\\Qb.c\\Ed", [[3, 6]]],
    ["\\Qopen", [[2, 6]]],
    ["\\\\Qno", []],
    ["[\\\\Q]x", []],
    ["[[:alpha:]]\\Qy\\E", [[13, 14]]],
    ["\\Qa\\\\E", [[2, 4]]], // the span is `a\`: a backslash does not escape \E
    [
      "\\Q\\E\\Qx",
      [
        [2, 2],
        [6, 7],
      ],
    ],
  ])("%s", (source, spans) => {
    expect(quoteSpans(source)).toEqual(spans);
  });

  test("endsInQuote: only a span left open", () => {
    expect(endsInQuote("x\\Qy")).toBe(true);
    expect(endsInQuote("x\\Q")).toBe(true);
    expect(endsInQuote("x\\Qy\\E")).toBe(false);
    expect(endsInQuote("x\\\\Qy")).toBe(false);
  });
});
