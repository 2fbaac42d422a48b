import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { expandSpecPatterns } from "../../src/cli/expand.js";
import { UsageError } from "../../src/errors.js";

function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), "tat-assert-expand-"));
  mkdirSync(join(dir, "specs", "scenarios"), { recursive: true });
  for (const f of ["specs/b.yml", "specs/a.yaml", "specs/scenarios/demo.yml", "specs/notes.md"]) {
    writeFileSync(join(dir, f), "version: 1\n");
  }
  return dir;
}

describe("spec patterns", () => {
  test("a quoted glob is expanded, sorted, relative to the working folder", async () => {
    const cwd = tree();
    expect(await expandSpecPatterns(["specs/*.y*ml"], cwd)).toEqual([
      "specs/a.yaml",
      "specs/b.yml",
    ]);
  });

  test("a folder means the spec files directly in it, not its subfolders", async () => {
    const cwd = tree();
    expect(await expandSpecPatterns(["specs"], cwd)).toEqual(["specs/a.yaml", "specs/b.yml"]);
  });

  test("the same file named twice is read once", async () => {
    const cwd = tree();
    expect(await expandSpecPatterns(["specs/b.yml", "specs/*.yml"], cwd)).toEqual(["specs/b.yml"]);
  });

  test("a glob matching nothing and a missing file are usage errors naming them", async () => {
    const cwd = tree();
    await expect(expandSpecPatterns(["nope/*.yml"], cwd)).rejects.toThrow(
      new UsageError('no spec files match "nope/*.yml"'),
    );
    await expect(expandSpecPatterns(["specs/missing.yml"], cwd)).rejects.toThrow(
      /not found: specs\/missing.yml/,
    );
  });

  test("a symbolic link loop is named as one, not as a missing file", async () => {
    const cwd = tree();
    symlinkSync("loop-b.yml", join(cwd, "loop-a.yml"));
    symlinkSync("loop-a.yml", join(cwd, "loop-b.yml"));
    await expect(expandSpecPatterns(["loop-a.yml"], cwd)).rejects.toThrow(
      new UsageError("cannot read spec file (a symbolic link loop): loop-a.yml"),
    );
  });
});
