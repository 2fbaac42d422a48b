import { describe, expect, test } from "@jest/globals";
import { visibleOutput } from "../../src/emulator/output.js";

const bytes = (b64: string) => Buffer.from(b64, "base64");

describe("visible output", () => {
  test("keeps exactly 24,576 bytes, even when that splits a character (as the agent does)", () => {
    // "é" is 2 bytes; 24,575 bytes of "a" put the first é across the 24,576-byte boundary.
    const text = `${"a".repeat(24_575)}é${"b".repeat(100)}`;
    const out = visibleOutput(text, 1, 1, true);
    const kept = bytes(out.base64);
    expect(kept.length).toBe(24_576);
    expect(kept.at(-1)).toBe(0xc3); // the first byte of é
    expect(out.dropped).toBe(Buffer.byteLength(text) - 24_576);
  });

  test("under the cap everything is kept and nothing dropped", () => {
    const out = visibleOutput("héllo\n", 3, 1, true);
    expect(bytes(out.base64).toString()).toBe("héllo\nhéllo\nhéllo\n");
    expect(out.dropped).toBe(0);
  });

  test("while running under the cap, only complete lines of the produced share are shown", () => {
    const text = "first line\nsecond line\nthird\n";
    expect(bytes(visibleOutput(text, 1, 0.5, false).base64).toString()).toBe("first line\n");
    expect(visibleOutput(text, 1, 0.1, false).base64).toBe("");
    expect(visibleOutput(text, 1, 0.5, false).dropped).toBe(0);
  });

  test("Dropped counts from the moment the cap is crossed, while the task still runs", () => {
    const line = `${"x".repeat(99)}\n`; // 100 bytes
    const running = visibleOutput(line, 1000, 0.5, false); // 50,000 bytes produced so far
    expect(running.dropped).toBe(50_000 - 24_576);
    expect(bytes(running.base64).length).toBe(24_576);
    const done = visibleOutput(line, 1000, 1, true);
    expect(done.dropped).toBe(100_000 - 24_576);
  });

  test("raw bytes are served as they are: GBK, invalid UTF-8", () => {
    const gbk = Uint8Array.from([0xb4, 0xed, 0xce, 0xf3, 0x0a]);
    expect(bytes(visibleOutput(gbk, 1, 1, true).base64)).toEqual(Buffer.from(gbk));
    const invalid = Uint8Array.from([0x6f, 0x6b, 0xff, 0x0a]);
    expect(bytes(visibleOutput(invalid, 2, 1, true).base64)).toEqual(
      Buffer.from([...invalid, ...invalid]),
    );
  });
});
