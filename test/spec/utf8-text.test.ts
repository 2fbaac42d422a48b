// A spec file that is not UTF-8 is a located error: decoded leniently, its bad bytes became U+FFFD
// and a pattern holding one could never match, so `notMatches` passed over the very error it names.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, test } from "@jest/globals";
import { loadGateSpecs } from "../../src/load-specs.js";
import { loadSpecFiles } from "../../src/spec/load.js";
import { specText } from "../../src/spec/utf8-text.js";

const HEAD = "version: 1\nname: x\ntarget: { invocationId: inv-aaaaaaaa }\nexpect:\n  output:\n";
/** `notMatches: ["Fehler: ungültig"]` saved as Latin-1: ü is the single byte 0xFC. */
const LATIN1 = Buffer.concat([
  Buffer.from(`${HEAD}    notMatches: ["Fehler: ung`),
  Buffer.from([0xfc]),
  Buffer.from('ltig"]\n'),
]);

describe("specText", () => {
  test("UTF-8 text comes back as it is, a leading BOM included", () => {
    const text = "\uFEFFversion: 1\nname: größe ✓\n";
    expect(specText(Buffer.from(text), "s.yml")).toBe(text);
  });

  test("a byte that is not UTF-8 is an issue at its line and column, naming the byte", () => {
    const issue = specText(LATIN1, "s.yml");
    expect(issue).toEqual({
      where: { file: "s.yml", line: 6, col: 30 },
      path: "",
      message: "the file is not UTF-8: byte 0xFC here is not part of a UTF-8 character",
      fix: expect.stringContaining("save the file as UTF-8"),
    });
  });

  test("the column counts the characters before the bad byte, multi-byte ones as one", () => {
    const bytes = Buffer.concat([Buffer.from("a: ✓é "), Buffer.from([0xe9, 0x22])]);
    expect(specText(bytes, "s.yml")).toMatchObject({ where: { line: 1, col: 7 } });
  });

  test("a character cut short at the end of the file is found too", () => {
    const bytes = Buffer.concat([Buffer.from("a: b\nc: d"), Buffer.from([0xe2, 0x9c])]);
    expect(specText(bytes, "s.yml")).toMatchObject({ where: { line: 2, col: 5 } });
  });
});

describe("loading specs that are not UTF-8", () => {
  test("a file: its spec is not loaded, the problem is located, other files still load", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tat-assert-utf8-"));
    writeFileSync(join(dir, "latin1.yml"), LATIN1);
    writeFileSync(
      join(dir, "ok.yml"),
      `${HEAD}    notMatches: [Fehler]\n`.replace("name: x", "name: ok"),
    );
    const r = await loadSpecFiles(["latin1.yml", "ok.yml"], { cwd: dir, env: {} });
    expect(r.specs.map((s) => s.name)).toEqual(["ok"]);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]?.where).toEqual({ file: "latin1.yml", line: 6, col: 30 });
    expect(r.invalid.unnamed).toBe(true);
  });

  test("standard input: the same error, at <stdin>", async () => {
    const run = loadGateSpecs(["-"], { cwd: tmpdir(), env: {}, stdin: Readable.from([LATIN1]) });
    await expect(run).rejects.toMatchObject({
      issues: [
        expect.objectContaining({
          where: { file: "<stdin>", line: 6, col: 30 },
          message: expect.stringContaining("not UTF-8"),
        }),
      ],
    });
  });
});
