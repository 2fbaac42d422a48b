import { describe, expect, test } from "@jest/globals";
import {
  decoderLabel,
  decodeTaskOutput,
  firstInvalidUtf8,
  OUTPUT_ENCODINGS,
} from "../../src/tat/decode.js";
import { MAX_OUTPUT_BYTES } from "../../src/tat/types.js";

const b64 = (bytes: Uint8Array | string | number[]) =>
  (typeof bytes === "string" ? Buffer.from(bytes) : Buffer.from(bytes)).toString("base64");
/** 错误 ("error") in GBK / GB18030. */
const GBK_ERROR = Buffer.from([0xb4, 0xed, 0xce, 0xf3]);
const gbkLine = Buffer.concat([Buffer.from("step 3: "), GBK_ERROR, Buffer.from("\r\n")]);

describe("decodeTaskOutput", () => {
  test("valid UTF-8 is decoded as UTF-8, whatever the command type", () => {
    expect(decodeTaskOutput(b64("部署完成 ✓\n"), { commandType: "BAT" })).toEqual({
      text: "部署完成 ✓\n",
      encoding: "utf-8",
    });
    expect(decodeTaskOutput("")).toEqual({ text: "", encoding: "utf-8" });
  });

  test("auto: GBK output of a Windows command is decoded as GB18030", () => {
    for (const commandType of ["BAT", "POWERSHELL"]) {
      expect(decodeTaskOutput(b64(gbkLine), { commandType })).toEqual({
        text: "step 3: 错误\r\n",
        encoding: "gb18030",
      });
    }
  });

  test("auto: the same bytes from a SHELL command are undecodable, with where and what to do", () => {
    const r = decodeTaskOutput(b64(gbkLine), { commandType: "SHELL" });
    expect(r).toEqual({
      undecodable:
        "output is not valid UTF-8 (byte 0xB4 at offset 8); set expect.output.encoding to its encoding (e.g. gbk, latin1)",
    });
  });

  test("a named encoding decodes what is not UTF-8", () => {
    // GBK is decoded as GB18030, as WHATWG says (Node's own "gbk" accepts 0xFF as junk).
    expect(decodeTaskOutput(b64(gbkLine), { encoding: "gbk" })).toEqual({
      text: "step 3: 错误\r\n",
      encoding: "gb18030",
    });
    expect(decodeTaskOutput(b64(gbkLine), { encoding: "cp936" })).toMatchObject({
      text: "step 3: 错误\r\n",
    });
    expect(decodeTaskOutput(b64([0x63, 0x61, 0x66, 0xe9]), { encoding: "latin1" })).toEqual({
      text: "café",
      encoding: "windows-1252",
    });
  });

  test("bytes invalid in every encoding tried are undecodable, never junk text", () => {
    const bad = b64([0x6f, 0x6b, 0xff, 0x0a]);
    expect(decodeTaskOutput(bad, { commandType: "BAT" })).toEqual({
      undecodable:
        "output is not valid UTF-8 (byte 0xFF at offset 2), nor valid GB18030 (the usual code page of BAT output); set expect.output.encoding to its encoding",
    });
    expect(decodeTaskOutput(bad, { encoding: "gbk" })).toEqual({
      undecodable:
        "output is not valid UTF-8 (byte 0xFF at offset 2), nor valid gb18030 (expect.output.encoding)",
    });
  });

  test("utf-16le is used as named (its ASCII is valid UTF-8 with NULs, so UTF-8 is not tried first)", () => {
    const bytes = Buffer.from("ERROR\r\n", "utf16le");
    expect(decodeTaskOutput(b64(bytes), { encoding: "utf-16le" })).toEqual({
      text: "ERROR\r\n",
      encoding: "utf-16le",
    });
  });

  test("a byte order mark is not part of the text", () => {
    expect(decodeTaskOutput(b64("\uFEFFhi"))).toEqual({ text: "hi", encoding: "utf-8" });
  });

  test("a string that is not base64 is undecodable, not decoded leniently", () => {
    expect(decodeTaskOutput("not base64!")).toEqual({ undecodable: "output is not valid base64" });
    expect(decodeTaskOutput("abc")).toEqual({ undecodable: "output is not valid base64" });
  });

  describe("the 24 KiB cut", () => {
    const cutUtf8 = Buffer.from("ok 完", "utf8").subarray(0, 5); // 完 is 3 bytes: 2 kept
    test("a UTF-8 character split by the cut is left out when bytes were dropped", () => {
      expect(decodeTaskOutput(b64(cutUtf8), { dropped: 10 })).toEqual({
        text: "ok ",
        encoding: "utf-8",
      });
    });

    test("the same incomplete character without a cut is invalid", () => {
      expect(decodeTaskOutput(b64(cutUtf8), { dropped: 0 })).toHaveProperty("undecodable");
    });

    test("exactly 24,576 bytes counts as cut even before Dropped is reported", () => {
      const full = Buffer.concat([Buffer.alloc(MAX_OUTPUT_BYTES - 2, 0x61), cutUtf8.subarray(3)]);
      expect(full.length).toBe(MAX_OUTPUT_BYTES);
      const r = decodeTaskOutput(b64(full));
      expect(r).toEqual({ text: "a".repeat(MAX_OUTPUT_BYTES - 2), encoding: "utf-8" });
    });

    test("a GBK character split by the cut is left out too", () => {
      const cut = Buffer.concat([gbkLine.subarray(0, 8), GBK_ERROR.subarray(0, 3)]);
      expect(decodeTaskOutput(b64(cut), { commandType: "BAT", dropped: 1 })).toEqual({
        text: "step 3: 错",
        encoding: "gb18030",
      });
    });

    test("a whole log from COS (over 24 KiB, Dropped 0) was not cut: its incomplete last character is invalid", () => {
      const log = Buffer.concat([Buffer.alloc(MAX_OUTPUT_BYTES, 0x61), cutUtf8]);
      expect(decodeTaskOutput(b64(log), { dropped: 0 })).toEqual({
        undecodable: `output is not valid UTF-8 (byte 0xE5 at offset ${MAX_OUTPUT_BYTES + 3}); set expect.output.encoding to its encoding (e.g. gbk, latin1)`,
      });
      // UTF-16 after an odd number of bytes is not UTF-16, not a code unit cut in half.
      const utf16 = Buffer.concat([
        Buffer.from("ok\r\n".repeat(4000), "utf16le"),
        Buffer.from([0x41]),
      ]);
      expect(decodeTaskOutput(b64(utf16), { dropped: 0 })).toEqual({
        undecodable: expect.stringContaining("an odd number of bytes"),
      });
    });

    test("an invalid byte before the cut is still invalid", () => {
      const r = decodeTaskOutput(b64([0x61, 0xff, 0x61]), { dropped: 5 });
      expect(r).toHaveProperty("undecodable");
    });
  });
});

describe("auto: UTF-16 by its byte order mark or its NUL bytes", () => {
  const le = (text: string) => Buffer.from(text, "utf16le");
  const be = (text: string) => Buffer.from(text, "utf16le").swap16();
  const bom = (mark: number[], bytes: Buffer) => Buffer.concat([Buffer.from(mark), bytes]);

  test("UTF-16LE without a BOM (wmic, cmd /u) is read as UTF-16LE, not as UTF-8 with NULs", () => {
    for (const commandType of ["POWERSHELL", "BAT", "SHELL", undefined]) {
      expect(decodeTaskOutput(b64(le("ERROR: disk full\r\n")), { commandType })).toEqual({
        text: "ERROR: disk full\r\n",
        encoding: "utf-16le",
      });
    }
  });

  test("UTF-16BE without a BOM is read as UTF-16BE", () => {
    expect(decodeTaskOutput(b64(be("ERROR\r\n")))).toEqual({
      text: "ERROR\r\n",
      encoding: "utf-16be",
    });
  });

  test("a UTF-16 BOM says which, and is not part of the text", () => {
    expect(decodeTaskOutput(b64(bom([0xff, 0xfe], le("错误 ok\r\n"))))).toEqual({
      text: "错误 ok\r\n",
      encoding: "utf-16le",
    });
    expect(decodeTaskOutput(b64(bom([0xfe, 0xff], be("错误 ok\r\n"))))).toEqual({
      text: "错误 ok\r\n",
      encoding: "utf-16be",
    });
    // With a BOM, no NUL byte is needed: all-CJK text is UTF-16 all the same.
    expect(decodeTaskOutput(b64(bom([0xff, 0xfe], le("磁盘已满"))))).toEqual({
      text: "磁盘已满",
      encoding: "utf-16le",
    });
  });

  test("Chinese UTF-16LE with enough Latin letters, digits and line ends is read as UTF-16LE, not GB18030", () => {
    const bytes = le("错误: 磁盘 C: 已满\r\n");
    expect(decodeTaskOutput(b64(bytes), { commandType: "BAT" })).toEqual({
      text: "错误: 磁盘 C: 已满\r\n",
      encoding: "utf-16le",
    });
  });

  test("NUL bytes laid out any other way are undecodable, never UTF-8 with NULs in it", () => {
    // "ERR", NUL, "OR": a notMatches [ERROR] would pass over it read as UTF-8.
    const split = decodeTaskOutput(b64("app\0--port\0ERR\0OR\n"));
    expect(split).toEqual({
      undecodable: expect.stringMatching(/^output has NUL bytes \(the first at offset 3\)/),
    });
    expect(JSON.stringify(split)).toContain("set expect.output.encoding");
    // Mostly CJK: too few NULs (only in the line end) to be sure it is UTF-16.
    const cjk = decodeTaskOutput(b64(le("所在位置找不到路径因为该路径不存在\r\n")), {
      commandType: "POWERSHELL",
    });
    expect(cjk).toHaveProperty("undecodable", expect.stringContaining("utf-16le"));
    // Even length and every NUL in odd bytes, but as many in even ones: UTF-32LE, not UTF-16.
    expect(decodeTaskOutput(b64([0x41, 0, 0, 0, 0x42, 0, 0, 0]))).toHaveProperty("undecodable");
  });

  test("an odd number of bytes is not UTF-16, unless TAT cut the output there", () => {
    const odd = Buffer.concat([le("ERROR: disk full\r\n"), Buffer.from([0x41])]);
    expect(decodeTaskOutput(b64(odd))).toEqual({
      undecodable: expect.stringContaining("an odd number of bytes"),
    });
    // Cut: the half code unit at the end is left out, as a half character is in UTF-8.
    expect(decodeTaskOutput(b64(odd), { dropped: 9 })).toEqual({
      text: "ERROR: disk full\r\n",
      encoding: "utf-16le",
    });
  });

  test("UTF-16 cut at 24 KiB in the middle of a surrogate pair leaves the pair out", () => {
    // 24,576 bytes: 12,287 code units of x, then the high surrogate of 😀 (its low one dropped).
    const x = "x".repeat(MAX_OUTPUT_BYTES / 2 - 1);
    const cut = le(`${x}😀`).subarray(0, MAX_OUTPUT_BYTES);
    expect(decodeTaskOutput(b64(cut))).toEqual({
      text: x,
      encoding: "utf-16le",
    });
  });

  test("read as UTF-16 but invalid, or with a NUL character in it: undecodable", () => {
    // A lone low surrogate (DC00) after the BOM.
    expect(decodeTaskOutput(b64([0xff, 0xfe, 0x00, 0xdc, 0x41, 0x00]))).toEqual({
      undecodable: expect.stringMatching(
        /^output begins with a UTF-16LE byte order mark but is not valid UTF-16LE/,
      ),
    });
    // The UTF-32LE BOM begins with the UTF-16LE one: its NUL characters would hide text as NUL
    // bytes do.
    expect(decodeTaskOutput(b64([0xff, 0xfe, 0, 0, 0x41, 0, 0, 0]))).toEqual({
      undecodable: expect.stringContaining("it has a NUL character (at character 0)"),
    });
  });

  test("a named encoding is used as named: no UTF-16 is looked for", () => {
    const bytes = le("OK");
    expect(decodeTaskOutput(b64(bytes), { encoding: "utf-8" })).toEqual({
      text: "O\0K\0",
      encoding: "utf-8",
    });
    expect(decodeTaskOutput(b64(bytes), { encoding: "utf-16be" })).toEqual({
      text: "伀䬀",
      encoding: "utf-16be",
    });
  });

  test("output without NUL bytes or a BOM is decoded as before", () => {
    expect(decodeTaskOutput(b64("deploy ok\n"))).toEqual({
      text: "deploy ok\n",
      encoding: "utf-8",
    });
    expect(decodeTaskOutput(b64(gbkLine), { commandType: "BAT" })).toEqual({
      text: "step 3: 错误\r\n",
      encoding: "gb18030",
    });
  });

  test("a whole UTF-16LE log from COS (over 24 KiB, Dropped 0) is read to its end", () => {
    const log = `${"step ok\r\n".repeat(3000)}ERROR: migration 42\r\n`;
    expect(decodeTaskOutput(b64(le(log)))).toEqual({ text: log, encoding: "utf-16le" });
  });
});

describe("encodings a spec may name", () => {
  test("every one is a label TextDecoder accepts (code pages through their alias)", () => {
    for (const name of OUTPUT_ENCODINGS) {
      if (name === "auto") continue;
      expect(() => new TextDecoder(decoderLabel(name))).not.toThrow();
    }
  });
});

describe("firstInvalidUtf8", () => {
  test.each([
    ["ASCII", [0x61, 0x62], -1],
    ["2-byte", [0xc3, 0xa9], -1],
    ["overlong", [0xc0, 0xaf], 0],
    ["surrogate", [0x61, 0xed, 0xa0, 0x80], 1],
    ["4-byte", [0xf0, 0x9f, 0x98, 0x80], -1],
    ["truncated", [0x61, 0xe6, 0x97], 1],
    ["above U+10FFFF", [0xf4, 0x90, 0x80, 0x80], 0],
  ])("%s", (_name, bytes, at) => {
    expect(firstInvalidUtf8(Uint8Array.from(bytes))).toBe(at);
  });
});

describe("decodeTaskOutput, one after another (the bytes of each are decoded in a shared buffer)", () => {
  test("each text stays its own after the next output is decoded, longer or shorter", () => {
    const long = `${"a".repeat(MAX_OUTPUT_BYTES - 3)}end`;
    const first = decodeTaskOutput(b64(long));
    const second = decodeTaskOutput(b64("short\n"));
    const third = decodeTaskOutput(b64("错误 at line 2\n"));
    expect(first).toEqual({ text: long, encoding: "utf-8" });
    expect(second).toEqual({ text: "short\n", encoding: "utf-8" });
    expect(third).toEqual({ text: "错误 at line 2\n", encoding: "utf-8" });
  });

  test("an answer with more than 24 KiB of output (TAT never sends one) is decoded whole", () => {
    const big = `${"x".repeat(3 * MAX_OUTPUT_BYTES)}tail ERROR\n`;
    expect(decodeTaskOutput(b64(big))).toEqual({ text: big, encoding: "utf-8" });
    expect(decodeTaskOutput(b64("after\n"))).toEqual({ text: "after\n", encoding: "utf-8" });
  });

  test("bytes that are not UTF-8 are reported at their offset, not at a stale byte of an earlier output", () => {
    decodeTaskOutput(b64("ok ".repeat(1000)));
    const decoded = decodeTaskOutput(b64([0x6f, 0x6b, 0xff, 0x0a]));
    expect(decoded).toEqual({
      undecodable:
        "output is not valid UTF-8 (byte 0xFF at offset 2); set expect.output.encoding to its encoding (e.g. gbk, latin1)",
    });
  });
});
