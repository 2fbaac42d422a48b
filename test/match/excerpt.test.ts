import { describe, expect, test } from "@jest/globals";
import { excerptAround, lineOf, tailExcerpt } from "../../src/match/excerpt.js";

describe("excerpts", () => {
  test("empty output says so", () => {
    expect(tailExcerpt("")).toBe("(no output)");
  });

  test("short output is shown whole, without a phantom last line", () => {
    expect(tailExcerpt("a\nb\n")).toBe(" 1 | a\n 2 | b");
  });

  test("Windows line endings count as one break", () => {
    expect(tailExcerpt("a\r\nb\r\n")).toBe(" 1 | a\n 2 | b");
    expect(lineOf("a\r\nb\r\nc", 6)).toBe(3);
  });

  test("long lines are cut so one line of output never floods a report", () => {
    const out = tailExcerpt(`${"x".repeat(500)}\n`);
    expect(out).toHaveLength(" 1 | ".length + 200);
    expect(out.endsWith("...")).toBe(true);
  });

  test("a match on the first line shows what follows", () => {
    expect(excerptAround("ERROR\nb\nc\nd\n", 0)).toBe(">1 | ERROR\n 2 | b\n 3 | c");
  });
});
