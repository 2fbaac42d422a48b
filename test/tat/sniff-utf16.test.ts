// When `auto` reads output as UTF-16: by a BOM, or by NUL bytes laid out as UTF-16 text has them.
// A wrong "yes" would judge junk (a false green as bad as the NULs it replaces); a wrong "no" only
// makes the output undecodable (could not verify), so the cases near the line are here.
import { describe, expect, test } from "@jest/globals";
import { sniffUtf16 } from "../../src/tat/sniff-utf16.js";

const le = (text: string) => Buffer.from(text, "utf16le");
const be = (text: string) => Buffer.from(text, "utf16le").swap16();
const bytes = (text: string) => Buffer.from(text, "latin1");

describe("sniffUtf16", () => {
  test("no NUL byte and no BOM: nothing to say (UTF-8 and code pages are decoded as before)", () => {
    expect(sniffUtf16(Buffer.from("部署完成 ✓\r\n"), false)).toBeUndefined();
    expect(sniffUtf16(Buffer.from([0xb4, 0xed, 0xce, 0xf3]), false)).toBeUndefined();
  });

  test("a BOM decides, whatever follows", () => {
    expect(sniffUtf16(Buffer.from([0xff, 0xfe, 0x41]), false)).toEqual({
      label: "utf-16le",
      by: "bom",
    });
    expect(sniffUtf16(Buffer.from([0xfe, 0xff]), false)).toEqual({ label: "utf-16be", by: "bom" });
  });

  test("a NUL in the high byte of the units: little- or big-endian by where it falls", () => {
    expect(sniffUtf16(le("Caption  FreeSpace\r\r\n"), false)).toEqual({
      label: "utf-16le",
      by: "nul",
    });
    expect(sniffUtf16(be("Caption  FreeSpace\r\r\n"), false)).toEqual({
      label: "utf-16be",
      by: "nul",
    });
  });

  test("a quarter of the units with a NUL is enough; fewer is not", () => {
    // 2 ASCII (\r\n) of 8 units, then 2 of 9.
    expect(sniffUtf16(le("错误磁盘已满\r\n"), false)).toHaveProperty("label", "utf-16le");
    expect(sniffUtf16(le("错误磁盘已满了\r\n"), false)).toHaveProperty("notText");
  });

  test("a character U+xx00 (NUL in the low byte) is tolerated, NULs in both bytes alike are not", () => {
    // 一 is 00 4E: one stray NUL against 9 aligned.
    expect(sniffUtf16(le("一 ERROR: x\r\n"), false)).toHaveProperty("label", "utf-16le");
    // NUL-separated strings (find -print0): as many NULs at odd offsets as at even ones.
    expect(sniffUtf16(bytes("a\0bb\0c\0dd\0"), false)).toHaveProperty("notText");
  });

  test("a CR or LF in a high byte is a line end of 8-bit text: not UTF-16", () => {
    // Even length, both NULs at odd offsets, a quarter of the units: only the LF at offset 3
    // (a high byte) tells this UTF-8 "ERR\0OR" apart; read as UTF-16LE, ERROR would be junk.
    const split = bytes("a\0b\nERR\0OR\n\n");
    expect(split.length % 2).toBe(0);
    expect(sniffUtf16(split, false)).toHaveProperty("notText");
    // A script's own UTF-8 line, then a tool's UTF-16LE output.
    const mixed = Buffer.concat([
      bytes("ERROR: backup failed\r\n"),
      le("Name  Size\r\nC:  100\r\n"),
    ]);
    expect(sniffUtf16(mixed, false)).toEqual({
      notText:
        "output has NUL bytes (the first at offset 23) as UTF-16LE text has them, but also a line end of 8-bit text (byte 0x0A at offset 21, a high byte in UTF-16LE): it looks partly UTF-8, partly UTF-16",
    });
    expect(sniffUtf16(le("Name  Size\r\nC:  100\r\n"), false)).toHaveProperty("label");
  });

  test("an odd length is not UTF-16, unless the output was cut", () => {
    const odd = le("ERROR\r\n").subarray(0, 13);
    expect(sniffUtf16(odd, false)).toEqual({
      notText:
        "output has NUL bytes (the first at offset 1) but an odd number of bytes, so it is not UTF-16 either",
    });
    expect(sniffUtf16(odd, true)).toEqual({ label: "utf-16le", by: "nul" });
  });
});
