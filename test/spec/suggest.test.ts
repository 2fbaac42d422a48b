import { describe, expect, test } from "@jest/globals";
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
});
