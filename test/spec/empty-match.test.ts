// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are the ${VAR} and ${capture.NAME} syntax under test
// A regex that matches empty text in every output tells no output from another: refused when the
// spec is loaded, at its line. One that matches "" only in some outputs (`/\A\z/`: the output is
// empty) still says something and is kept.
import { describe, expect, test } from "@jest/globals";
import { RE2JS } from "re2js";
import { formatIssue } from "../../src/errors.js";
import { emptyMatch } from "../../src/spec/empty-match.js";
import { parseSpecs } from "../../src/spec/load.js";

const HEAD = "version: 1\ntarget: { invocationId: inv-abcd1234 }\n";
const problems = (body: string, env: Record<string, string> = {}) =>
  parseSpecs(`${HEAD}${body}`, "s.yml", { env }).issues.map(formatIssue);
const matches = (pattern: string) => `expect:\n  output:\n    matches: '${pattern}'\n`;

const OUTPUTS = ["", "deploy ok\n", "\n", " x", "ERROR: rollback failed", "a\nb\n\nc"];

describe("emptyMatch asks RE2 where a regex matches empty text", () => {
  test.each([
    ["x*", ""],
    ["(a|)", ""],
    ["(?:)", ""],
    ["^", "m"],
    ["$", ""],
    ["(?m)$", ""],
    ["\\b|\\B", ""],
    ["X?", "i"],
    ["\\Q", ""],
    ["(deploy ok|)", ""],
  ])("/%s/%s matches every output", (source, flags) => {
    expect(emptyMatch(source, flags)).toBeDefined();
    // What the rule claims, checked on outputs of every kind.
    const re = RE2JS.compile(`(?${flags || "s"})${source}`);
    for (const output of OUTPUTS)
      expect({ output, found: re.test(output) }).toEqual({ output, found: true });
  });

  test.each([
    ["\\A\\z", ""], // the output is empty
    ["^$", "m"], // there is an empty line
    ["^\\s*$", ""], // the output is blank
    ["^(ok)?$", ""],
    ["\\b", ""],
    ["\\B", ""],
    ["deploy ok", ""],
    ["x*y", ""],
  ])("/%s/%s tells outputs apart", (source, flags) => {
    expect(emptyMatch(source, flags)).toBeUndefined();
  });

  test("at the start or at the end: a capture cares which", () => {
    expect(emptyMatch("(\\S*)", "")).toEqual({ atStart: true, atEnd: true });
    expect(emptyMatch("(version=\\S+)?", "")).toEqual({ atStart: true, atEnd: true });
    // The last word: its first match is not at the start.
    expect(emptyMatch("(\\S*)$", "")).toEqual({ atStart: false, atEnd: true });
    expect(emptyMatch("^(\\S*)", "m")).toEqual({ atStart: true, atEnd: false });
  });
});

describe("output patterns that match empty text are refused at their line", () => {
  test("matches: every problem at once, each at its line with a fix", () => {
    const found = problems(
      "expect:\n  output:\n    matches:\n      - '/x*/'\n      - '/(a|)/'\n      - '/(?:)/'\n      - '/^/m'\n      - 'deploy ok'\n",
    );
    expect(found).toEqual([
      expect.stringMatching(
        /^s\.yml:6:9: expect\.output\.matches\[0\]: \/x\*\/ matches empty text, so every output matches it: it checks nothing \(make part of it required/,
      ),
      expect.stringMatching(
        /^s\.yml:7:9: expect\.output\.matches\[1\]: \/\(a\|\)\/ matches empty text/,
      ),
      expect.stringMatching(
        /^s\.yml:8:9: expect\.output\.matches\[2\]: \/\(\?:\)\/ matches empty text/,
      ),
      expect.stringMatching(
        /^s\.yml:9:9: expect\.output\.matches\[3\]: \/\^\/m matches empty text/,
      ),
    ]);
  });

  test("an alternative emptied by a variable's empty default", () => {
    const body = matches("/(deploy ok|${EXTRA_OK:-})/");
    expect(problems(body)).toEqual([
      expect.stringMatching(
        /^s\.yml:5:14: expect\.output\.matches: \/\(deploy ok\|\)\/ matches empty text.*empty variable default/,
      ),
    ]);
    expect(problems(body, { EXTRA_OK: "deploy skipped" })).toEqual([]);
  });

  test("notMatches: it would fail every task", () => {
    expect(problems("expect:\n  output:\n    notMatches: ['/(ERROR|)/']\n")).toEqual([
      expect.stringMatching(
        /^s\.yml:5:18: expect\.output\.notMatches\[0\]: .*so every output matches it: it fails every task/,
      ),
    ]);
  });

  test("in an override too", () => {
    expect(problems("overrides:\n  ins-abcd1234:\n    output:\n      matches: '/x?/'\n")).toEqual([
      expect.stringMatching(/^s\.yml:6:16: overrides\.ins-abcd1234\.output\.matches: /),
    ]);
  });

  test("patterns that match empty text only in some outputs are kept", () => {
    for (const p of ["/\\A\\z/", "/^$/m", "/^\\s*$/", "/\\bok\\b|^$/m", "/x*y/"]) {
      expect({ p, problems: problems(matches(p)) }).toEqual({ p, problems: [] });
    }
  });

  test("${capture.…}: read with a value in, which is never empty", () => {
    const cap = "expect:\n  capture:\n    v: '/v=(\\S+)/'\n  output:\n    matches: ";
    expect(problems(`${cap}'/running ${"${capture.v}"}$/m'\n`)).toEqual([]);
    expect(problems(`${cap}'/running \\Q${"${capture.v}"}\\E/'\n`)).toEqual([]);
    expect(problems(`${cap}'/(${"${capture.v}"})?/'\n`)).toEqual([
      expect.stringMatching(
        /^s\.yml:7:14: expect\.output\.matches: .* matches empty text, so every/,
      ),
    ]);
    // The quantifier takes the value's last character: empty only for a one-character value.
    expect(problems(`${cap}'/${"${capture.v}"}*/'\n`)).toEqual([
      expect.stringMatching(/matches empty text when a captured value is one character, so every/),
    ]);
  });
});

describe("captures that match empty text at the start of the output are refused", () => {
  const capture = (pattern: string) => `expect:\n  capture:\n    version: '${pattern}'\n`;

  test.each(["/(version=\\S+)?/", "/(\\S*)/", "/(?:version=)?(\\S*)/"])("%s", (pattern) => {
    expect(problems(capture(pattern))).toEqual([
      expect.stringMatching(
        /^s\.yml:5:14: expect\.capture\.version: .* matches empty text at the start of any output, so its first match is always there.*\(make the text before the value required/,
      ),
    ]);
  });

  test.each(["/version=(\\S*)/", "/(\\S+)$/", "/(\\S*)$/", "/^v=(\\d*)$/m"])(
    "%s is kept: its first match is not always at the start",
    (pattern) => {
      expect(problems(capture(pattern))).toEqual([]);
    },
  );
});

describe("a JSON value's matches that holds for any string is refused too", () => {
  test("at its line, saying what it reduces to", () => {
    const body =
      "expect:\n  output:\n    json:\n      assert:\n        - { path: $.version, matches: '/v?/' }\n        - { path: $.name, matches: '/^web-/' }\n";
    expect(problems(body)).toEqual([
      expect.stringMatching(
        /^s\.yml:\d+:\d+: expect\.output\.json\.assert\[0\]\.matches: \/v\?\/ matches empty text, so every string matches it: it checks only that the value is a string/,
      ),
    ]);
  });
});
