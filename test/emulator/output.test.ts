import { describe, expect, test } from "@jest/globals";
import { visibleOutput } from "../../src/emulator/output.js";

const bytes = (b64: string) => Buffer.from(b64, "base64");

describe("visible output", () => {
  test("never splits a UTF-8 sequence at the 24 KiB cap", () => {
    // "é" is 2 bytes; 24,575 bytes of "a" put the first é across the 24,576-byte boundary.
    const text = `${"a".repeat(24_575)}é${"b".repeat(100)}`;
    const out = visibleOutput(text, 1, 1, true);
    const kept = bytes(out.base64);
    expect(kept.length).toBe(24_575);
    expect(out.dropped).toBe(Buffer.byteLength(text) - 24_575);
    expect(kept.toString("utf8")).not.toContain("\uFFFD");
  });

  test("under the cap everything is kept and nothing dropped", () => {
    const out = visibleOutput("héllo\n", 3, 1, true);
    expect(bytes(out.base64).toString()).toBe("héllo\nhéllo\nhéllo\n");
    expect(out.dropped).toBe(0);
  });

  test("while running, only complete lines of the produced share are shown and nothing is dropped", () => {
    const text = "first line\nsecond line\nthird\n";
    expect(bytes(visibleOutput(text, 1, 0.5, false).base64).toString()).toBe("first line\n");
    expect(visibleOutput(text, 1, 0.1, false).base64).toBe("");
    expect(visibleOutput(text, 1000, 1, false).dropped).toBe(0);
  });
});
