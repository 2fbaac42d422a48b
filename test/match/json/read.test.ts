// Reading JSON out of output: where each form finds its value, which line it names, and that a
// text that is not JSON is never read as some value.
import { describe, expect, test } from "@jest/globals";
import { MAX_JSON_DEPTH, readJson } from "../../../src/match/json/read.js";

const docs = (text: string, from: "whole" | "last" | "lines") => {
  const r = readJson(text, from);
  if ("problem" in r) throw new Error(r.problem);
  return r.documents;
};

describe("from: last", () => {
  test("a JSON line after a log, keys in any order", () => {
    expect(docs('starting\nwarming cache\n{"version":"1.4.2","status":"ok"}\n', "last")).toEqual([
      { value: { status: "ok", version: "1.4.2" }, line: 3 },
    ]);
  });

  test("a pretty-printed block after a log holding brackets and quotes", () => {
    const text = 'log } ] "unbalanced\n{\n  "a": "x } \\" {",\n  "b": [1, {"c": "]"}]\n}\n\n';
    expect(docs(text, "last")).toEqual([{ value: { a: 'x } " {', b: [1, { c: "]" }] }, line: 2 }]);
  });

  test("a string ending in an escaped backslash before the closing quote", () => {
    expect(docs('x\n{"p": "C:\\\\"}', "last")).toEqual([{ value: { p: "C:\\" }, line: 2 }]);
  });

  test("the last of two JSON values, and a value after a prefix on its line", () => {
    expect(docs('{"n":1}\n{"n":2}\n', "last")[0]?.value).toEqual({ n: 2 });
    expect(docs('result: {"n":3}', "last")).toEqual([{ value: { n: 3 }, line: 1 }]);
  });

  test("a scalar on the last line", () => {
    expect(docs("log\n42\n", "last")).toEqual([{ value: 42, line: 2 }]);
  });

  test("lines printed after the JSON (`smoke ok`) are passed over", () => {
    expect(docs('log\n{\n  "status": "ok"\n}\nsmoke ok\n\n', "last")).toEqual([
      { value: { status: "ok" }, line: 2 },
    ]);
  });

  test("no line ending with } or ] and a last line that is not JSON: fails naming the line", () => {
    expect(readJson('log\n{"a":1,\ndone\n', "last")).toEqual({
      problem: expect.stringMatching(/^no JSON value found: the last line is not valid JSON/),
      line: 3,
    });
  });

  test("the last line ending with } that is not JSON is the value, and fails", () => {
    expect(readJson('{"a":1}\ndone {took 3s}\n', "last")).toMatchObject({
      problem: expect.stringMatching(/^the last JSON value printed is not valid JSON/),
      line: 2,
    });
  });

  test("a closing bracket nothing opens, a mismatched bracket, no output", () => {
    expect(readJson("log\n}\n", "last")).toMatchObject({ line: 2 });
    expect(readJson('log\n[{"a":1]\n', "last")).toMatchObject({
      problem: expect.stringContaining("does not match"),
      line: 2,
    });
    expect(readJson(" \n", "last")).toMatchObject({ line: 0 });
  });

  test("a broken value found by its brackets fails with the parse error and its line", () => {
    const r = readJson('log\n{\n  "a": 1,\n  "b": tru\n}\n', "last");
    expect(r).toMatchObject({ problem: expect.stringContaining("not valid JSON") });
    expect((r as { line: number }).line).toBeGreaterThanOrEqual(2);
  });

  test("nesting deeper than the limit is refused, not parsed", () => {
    const deep = `${"[".repeat(MAX_JSON_DEPTH + 1)}${"]".repeat(MAX_JSON_DEPTH + 1)}`;
    expect(readJson(deep, "last")).toMatchObject({
      problem: expect.stringContaining("deeper"),
      overLimit: true,
    });
  });

  test("output text shown in a parse error is sanitised", () => {
    const r = readJson("\u001b[31mdone\u001b[0m\n", "last");
    expect(JSON.stringify(r)).not.toContain("\u001b");
  });
});

describe("from: last never falls back over a later value it cannot read", () => {
  test.each([
    ["cut short by a crash", '{"status":"ok"}\n{"status":"down"', 2],
    ["followed by text on its line", '{"status":"ok"}\n{"status":"down"}garbage\nsmoke ok\n', 2],
    ["an array of objects cut short", '{"status":"ok"}\nbye\n[{"status":"down"},\n', 3],
    [
      "after a prefix, cut short by a crash",
      'precheck: {"status":"ok"}\nhealth: {"status":\n"down", "reason": "db"\nTraceback: killed\n',
      2,
    ],
    [
      "after a prefix, pretty-printed and cut short",
      'precheck: {"status":"ok"}\nhealth: {\n  "status": "down",\nKilled\n',
      2,
    ],
    [
      "after a prefix, followed by text",
      'pre: {"status":"ok"}\npost: {"status":"down"} (cached)\n',
      2,
    ],
    ["an array after a log prefix", '{"status":"ok"}\n[INFO] checks: [{"status":"down"},\n', 2],
  ])("%s: a problem at the later value's line, not the earlier value", (_, text, line) => {
    const read = readJson(text, "last");
    expect(read).toMatchObject({ line });
    expect("problem" in read && read.problem).toMatch(
      /^the last JSON value printed is not valid JSON/,
    );
  });

  test.each([
    ["one line, its closing brace missing", '{"status":"down","db":{"status":"ok"}\n', 1, '":'],
    [
      "pretty-printed, cut short by a crash",
      'health: {\n  "status": "down",\n  "db": {\n    "status": "ok"\n  }\nKilled\n',
      3,
      '":',
    ],
    [
      "closed, but followed by text",
      'health: {"status":"down",\n  "db": {"status":"ok"}\n} (cached)\n',
      2,
      '":',
    ],
    [
      "an item of an array cut short",
      '[\n  {"status": "down"},\n  {"status": "ok"}\nKilled\n',
      3,
      ",",
    ],
    ["the first item of an array cut short", '[\n  {"status": "ok"}\nKilled\n', 2, "["],
  ])("a value inside a broken one is not judged: %s", (_, text, line, mark) => {
    expect(readJson(text, "last")).toEqual({
      problem: `the last JSON value printed is not valid JSON: the value at line ${line} is inside another (\`${mark}\` before it) that begins earlier and is cut short or followed by text`,
      line,
    });
  });

  test("a prefix that is not JSON before the value found is still read past", () => {
    expect(docs('result: {"status":"ok"}\n', "last")).toEqual([
      { value: { status: "ok" }, line: 1 },
    ]);
    expect(docs('Result:\n{"status":"ok"}\nsmoke ok\n', "last")).toEqual([
      { value: { status: "ok" }, line: 2 },
    ]);
    expect(docs('2026-11-30 10:00:00,123 [INFO] {"status":"ok"}\n', "last")).toEqual([
      { value: { status: "ok" }, line: 1 },
    ]);
  });

  test("log lines in brackets after the JSON are still skipped", () => {
    const text = '{"status":"ok"}\n[INFO] smoke ok\n[2026-11-30 10:00:00] done\n';
    expect(docs(text, "last")).toEqual([{ value: { status: "ok" }, line: 1 }]);
  });

  test("braces in a log line after the JSON that open no JSON value are skipped too", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable as a log prints it
    const text = 'result: {"status":"ok"}\ncopied to ${HOME}/{id} at [10:00] {2 files\nsmoke ok\n';
    expect(docs(text, "last")).toEqual([{ value: { status: "ok" }, line: 1 }]);
  });
});

describe("from: whole", () => {
  test("the output is one value, whitespace around it allowed", () => {
    expect(docs('\n  {"a": [1, 2]}\n\n', "whole")).toEqual([{ value: { a: [1, 2] }, line: 2 }]);
  });

  test("a log before the JSON is not JSON", () => {
    expect(readJson('ok\n{"a":1}', "whole")).toMatchObject({
      problem: expect.stringContaining("not valid JSON"),
      line: 1,
    });
  });
});

describe("from: lines", () => {
  test("every non-empty line is a value, with its line number", () => {
    expect(docs('{"n":1}\n\n  {"n":2}  \r\n', "lines")).toEqual([
      { value: { n: 1 }, line: 1 },
      { value: { n: 2 }, line: 3 },
    ]);
  });

  test("the first line that is not JSON fails, named", () => {
    expect(readJson('{"n":1}\nnot json\n{"n":3}\n', "lines")).toMatchObject({
      problem: expect.stringMatching(/^line 2 is not valid JSON/),
      line: 2,
    });
  });

  test("no line at all is no JSON", () => {
    expect(readJson("\n\n", "lines")).toMatchObject({ line: 0 });
  });
});
