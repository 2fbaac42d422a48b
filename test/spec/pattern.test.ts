import { describe, expect, test } from "@jest/globals";
import { isPatternProblem, parsePattern } from "../../src/spec/pattern.js";

describe("parsePattern", () => {
  test.each([
    ["deploy ok", { kind: "substring", source: "deploy ok", flags: "" }],
    ["/version=\\d+/", { kind: "regex", source: "version=\\d+", flags: "" }],
    ["/^ok$/im", { kind: "regex", source: "^ok$", flags: "im" }],
    ["/a.b/s", { kind: "regex", source: "a.b", flags: "s" }],
    ["/var/log/app.log", { kind: "substring", source: "/var/log/app.log", flags: "" }],
    ["/(?P<v>\\d+)/", { kind: "regex", source: "(?P<v>\\d+)", flags: "" }],
    ["/\\/var\\/log\\//", { kind: "regex", source: "\\/var\\/log\\/", flags: "" }],
    ["a/b", { kind: "substring", source: "a/b", flags: "" }],
  ])("%s", (text, parsed) => {
    expect(parsePattern(text)).toEqual(parsed);
  });

  test.each([
    ["/x(?=y)/", /lookaround .* not supported/],
    ["/(?<!x)y/", /lookaround .* not supported/],
    ["/(a)\\1/", /backreferences .* not supported/],
    ["/[a/", /invalid regex: missing closing \]/],
    ["/a**/", /invalid regex/],
    ["/x/g", /only flags are i, m and s/],
    ["/x/ii", /repeat a flag/],
    ["//", /empty regex/],
  ])("%s is rejected", (text, message) => {
    const parsed = parsePattern(text);
    expect(isPatternProblem(parsed) && parsed.problem).toMatch(message);
  });
});
