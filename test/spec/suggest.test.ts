import { describe, expect, test } from "@jest/globals";
import { parseSpecs } from "../../src/spec/load.js";
import { closestMatch } from "../../src/spec/suggest.js";

const keys = ["status", "exitCode", "output", "duration", "truncated"];

describe("closestMatch", () => {
  test.each([
    ["exit_code", "exitCode"],
    ["EXITCODE", "exitCode"],
    ["exit-code", "exitCode"],
    ["statuss", "status"],
    ["outptu", "output"],
    ["trunc", "truncated"],
  ])("%s → %s", (word, guess) => {
    expect(closestMatch(word, keys)).toBe(guess);
  });

  test.each(["stdout", "name", "x", "retries"])("%s has no plausible match", (word) => {
    expect(closestMatch(word, keys)).toBeUndefined();
  });

  test("two neighbouring letters swapped in a short word", () => {
    expect(closestMatch("form", ["json", "from"])).toBe("from");
    expect(closestMatch("jsno", ["json", "from"])).toBe("json");
    // Not a swap: two letters changed, or letters swapped apart.
    expect(closestMatch("fxym", ["json", "from"])).toBeUndefined();
    expect(closestMatch("mrof", ["json", "from"])).toBeUndefined();
  });
});

describe("TAT API names in a spec", () => {
  test.each([
    ["invocationTaskIds", "target", "taskIds", "is the TAT API's name"],
    ["InvocationTaskIds", "target", "taskIds", "is the TAT API's name"],
    ["InvocationId", "target", "invocationId", "did you mean `invocationId`?"],
    ["TaskStatus", "expect", "status", "is the TAT API's name"],
  ])("%s under %s suggests %s", (key, parent, fixKey, words) => {
    const value =
      key.toLowerCase().includes("task") && parent === "target"
        ? "[invt-abcd1234]"
        : key === "InvocationId"
          ? "inv-abcd1234"
          : "SUCCESS";
    const body =
      parent === "target"
        ? `target: { ${key}: ${value} }\nexpect: { exitCode: 0 }`
        : `target: { invocationId: inv-abcd1234 }\nexpect: { ${key}: ${value} }`;
    const { issues } = parseSpecs(`version: 1\n${body}\n`, "api.yml");
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toBe(`unknown key \`${key}\``);
    expect(issues[0]?.fix).toContain(`did you mean \`${fixKey}\`?`);
    expect(issues[0]?.fix).toContain(words);
  });
});
