// captureJson: the text a JSONPath names in output, or why there is none.
import { describe, expect, test } from "@jest/globals";
import { captureJson } from "../../../src/match/json/capture.js";

describe("captureJson", () => {
  test("scalars as text: strings as they are, others as JSON writes them", () => {
    const out =
      'deploying\n{"version":"1.4.2","build":1042,"canary":false,"note":null,"ratio":0.5}\n';
    expect(captureJson(out, "last", "$.version")).toEqual({ value: "1.4.2" });
    expect(captureJson(out, "last", "$.build")).toEqual({ value: "1042" });
    expect(captureJson(out, "last", "$.canary")).toEqual({ value: "false" });
    expect(captureJson(out, "last", "$.note")).toEqual({ value: "null" });
    expect(captureJson(out, "last", "$.ratio")).toEqual({ value: "0.5" });
  });

  test("objects and arrays as compact JSON in the order printed", () => {
    expect(captureJson('{"a":{"y":1, "x":[1, 2]}}', "whole", "$.a")).toEqual({
      value: '{"y":1,"x":[1,2]}',
    });
  });

  test("from lines: the last line that has the value", () => {
    const out = '{"step":1,"version":"1.4.1"}\n{"step":2,"version":"1.4.2"}\n{"step":3}\n';
    expect(captureJson(out, "lines", "$.version")).toEqual({ value: "1.4.2" });
  });

  test("nothing at the path, several values, a bad path, not JSON: missing, with why", () => {
    expect(captureJson('{"a":1}', "whole", "$.b")).toEqual({
      missing: "no value at $.b in the JSON from line 1",
    });
    expect(captureJson('{"a":[1,2]}', "whole", "$.a[*]")).toEqual({
      missing: "$.a[*] selects 2 values at line 1; a capture needs one",
    });
    expect(captureJson('{"a":1}', "whole", "a")).toMatchObject({
      missing: expect.stringContaining("invalid JSONPath"),
    });
    expect(captureJson("log\ndone\n", "last", "$.a")).toMatchObject({
      missing: expect.stringContaining("(line 2)"),
    });
  });

  test("truncated output captures nothing, whatever the form", () => {
    for (const from of ["whole", "last", "lines"] as const) {
      expect(captureJson('{"v":"1"}\n', from, "$.v", { droppedBytes: 10 })).toMatchObject({
        missing: expect.stringContaining("10 bytes dropped"),
      });
    }
  });
});

describe("numbers JSON.parse does not read as printed", () => {
  test("two build ids past 2^53 are never captured as one value", () => {
    expect(captureJson('{"build":9007199254740993}\n', "last", "$.build")).toEqual({
      unverifiable:
        "$.build (JSON from line 1) holds a number printed as 9007199254740993, which is read as 9007199254740992: not compared (print it as a string to compare it exactly)",
    });
    expect(captureJson('{"a":{"n":1e400}}\n', "last", "$.a")).toMatchObject({
      unverifiable: expect.stringContaining("read as Infinity"),
    });
    // Exact ones, and other members, are captured as before.
    const out = '{"build":9007199254740992,"id":12345678901234567890123,"v":"1.4.2"}\n';
    expect(captureJson(out, "last", "$.build")).toEqual({ value: "9007199254740992" });
    expect(captureJson(out, "last", "$.v")).toEqual({ value: "1.4.2" });
  });
});
