// expect.output.json at load time: every mistake is a located issue with a fix where one is
// obvious, and what loads is normalised with its defaults and lines.
import { describe, expect, test } from "@jest/globals";
import { formatIssue } from "../../src/errors.js";
import { parseSpecs } from "../../src/spec/load.js";
import { needsOutput } from "../../src/spec/needs.js";

const HEAD = "version: 1\ntarget: { invocationId: inv-abcd1234 }\n";

function issues(body: string): string[] {
  return parseSpecs(HEAD + body, "s.yml", { env: {} }).issues.map(formatIssue);
}

const asserting = (...entries: string[]) =>
  `expect:\n  output:\n    json:\n      assert:\n${entries.map((e) => `        - ${e}\n`).join("")}`;

describe("expect.output.json at load", () => {
  test("a valid block normalises with defaults, locations, and makes output be fetched", () => {
    const r = parseSpecs(
      HEAD + asserting("{ path: $.status, equals: ok }", "{ path: '$.c[*]', any: { min: 1 } }"),
      "s.yml",
      { env: {} },
    );
    expect(r.issues).toEqual([]);
    const spec = r.specs[0];
    if (!spec) throw new Error("no spec");
    expect(spec.expect.output?.json).toEqual({
      from: "last",
      lines: "all",
      where: expect.objectContaining({ line: 5 }),
      assert: [
        {
          path: "$.status",
          over: "one",
          condition: { equals: "ok" },
          where: expect.objectContaining({ line: 7 }),
        },
        {
          path: "$.c[*]",
          over: "any",
          condition: { min: 1 },
          where: expect.objectContaining({ line: 8 }),
        },
      ],
    });
    expect(needsOutput(spec)).toBe(true);
  });

  test.each([
    [
      "{ path: '$.a[', equals: 1 }",
      "s.yml:7:19: expect.output.json.assert[0].path: invalid JSONPath `$.a[`: unclosed bracketed selection (at character 5)",
    ],
    ["{ path: status, equals: 1 }", "(paths start at the document root: $.status)"],
    [
      "{ path: '$.c[*].ok', equals: true }",
      "can select several values: say which must hold (put the conditions under all: { … } (every value) or any: { … } (at least one))",
    ],
    [
      "{ path: $.a, min: 5, max: 2 }",
      "expect.output.json.assert[0].min: no number is min 5 and max 2: the range is empty",
    ],
    ["{ path: $.a, above: 2, below: 2 }", "the range is empty"],
    ["{ path: $.a, equal: 2 }", "unknown key `equal` (did you mean `equals`?)"],
    ["{ path: $.a, all: { equls: 2 } }", "unknown key `equls` (did you mean `equals`?)"],
    [
      "{ path: $.a, absent: true, equals: 3 }",
      "a value that must be absent cannot also be checked",
    ],
    [
      "{ path: $.a, equals: 1, all: { equals: 1 } }",
      "`equals` next to `all`: conditions go inside all: { … }",
    ],
    ["{ path: $.a, all: { equals: 1 }, any: { equals: 1 } }", "give all or any, not both"],
    ["{ path: $.a, matches: '/(?=x)/' }", "lookaround"],
    [
      "{ path: $.a, type: text }",
      "expected one of string, number, integer, boolean, null, array, object",
    ],
    ["{ path: $.a }", "expect.output.json.assert[0]"],
  ])("%s", (entry, fragment) => {
    const found = issues(asserting(entry));
    expect(found).toEqual(expect.arrayContaining([expect.stringContaining(fragment)]));
  });

  test("lines without from: lines, an unknown from, no assert", () => {
    expect(
      issues(
        "expect:\n  output:\n    json: { lines: any, assert: [{ path: $.a, exists: true }] }\n",
      ),
    ).toEqual([expect.stringContaining("`lines` applies only to `from: lines`")]);
    expect(
      issues(
        "expect:\n  output:\n    json: { from: end, assert: [{ path: $.a, exists: true }] }\n",
      ),
    ).toEqual([expect.stringContaining("expected last, whole or lines")]);
    expect(issues("expect:\n  output:\n    json: { from: last }\n")).toEqual([
      expect.stringContaining("assert"),
    ]);
  });

  test("an unquoted path with brackets in a flow mapping: the YAML error says to quote it", () => {
    expect(issues(asserting("{ path: $.checks[*].ok, all: { equals: true } }"))).toEqual([
      "s.yml:7:27: YAML: Unexpected flow-seq-start at node end (quote a JSONPath holding [ ] inside `{ }`: path: '$.checks[*].ok')",
    ]);
  });

  test("a variable in equals: quoted it is text, unquoted in block style it is read as YAML reads it", () => {
    const r = parseSpecs(
      `${HEAD}expect:\n  output:\n    json:\n      assert:\n        - path: $.n\n          equals: \${COUNT}\n        - { path: $.v, equals: '\${V}' }\n`,
      "s.yml",
      { env: { COUNT: "3", V: "1.4" } },
    );
    expect(r.specs[0]?.expect.output?.json?.assert.map((a) => a.condition)).toEqual([
      { equals: 3 },
      { equals: "1.4" },
    ]);
  });

  test("in an override too", () => {
    const found = issues(
      "expect: { exitCode: 0 }\noverrides:\n  ins-canary01:\n    output:\n      json: { assert: [{ path: '$..x', equals: 1 }] }\n",
    );
    expect(found).toEqual([
      expect.stringContaining("overrides.ins-canary01.output.json.assert[0].path"),
    ]);
  });
});
