// --shard i/n: n CI jobs over the same checkout take disjoint shares that together are every
// spec file, whatever order the files were found in.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { parseCommandLine } from "../src/cli/args.js";
import { UsageError } from "../src/errors.js";
import { loadGateSpecs } from "../src/gate.js";
import { parseShard, shardFiles } from "../src/shard.js";

const files = Array.from({ length: 11 }, (_, i) => `specs/svc-${String(i).padStart(2, "0")}.yml`);

describe("--shard", () => {
  test.each([
    ["1/1", { index: 1, count: 1 }],
    ["2/4", { index: 2, count: 4 }],
    [" 4/4 ", { index: 4, count: 4 }],
  ])("%s parses", (text, shard) => expect(parseShard(text)).toEqual(shard));

  test.each(["0/4", "5/4", "1/0", "2", "a/b", "1/2/3", "-1/2", ""])("%j is refused", (text) => {
    expect(() => parseShard(text)).toThrow(UsageError);
    expect(() => parseShard(text)).toThrow("use i/n with 1 ≤ i ≤ n");
  });

  test("the shares are disjoint, cover every file, and differ by at most one file", () => {
    for (const count of [1, 2, 3, 4, 11]) {
      const shares = Array.from({ length: count }, (_, i) =>
        shardFiles(files, { index: i + 1, count }),
      );
      expect(shares.flat().sort()).toEqual([...files].sort());
      const sizes = shares.map((s) => s.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  test("the split does not depend on the order the files were found in", () => {
    const reversed = [...files].reverse();
    for (let i = 1; i <= 3; i++) {
      expect(shardFiles(reversed, { index: i, count: 3 })).toEqual(
        shardFiles(files, { index: i, count: 3 }),
      );
    }
    // Code-unit order, not the locale's: the same on every runner.
    expect(shardFiles(["b.yml", "B.yml", "a.yml"], { index: 1, count: 3 })).toEqual(["B.yml"]);
  });

  test("more shards than files is a usage error, not a job that checks nothing", () => {
    expect(() => shardFiles(files.slice(0, 3), { index: 4, count: 4 })).toThrow(
      "shard 4/4: only 3 spec files to split; use at most 3 shards",
    );
  });

  test("standard input alone is not split: a shard of it is refused with why", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "tat-assert-shard-"));
    await expect(
      loadGateSpecs(["-"], { cwd, env: {} }, false, { index: 2, count: 3 }),
    ).rejects.toThrow(
      "a shard splits spec files, and only standard input was given: it is not split (every job checks all of it); leave the shard out",
    );
  });

  test("the command line takes --shard and refuses a bad one", () => {
    expect(parseCommandLine(["--shard", "2/3", "specs/"])).toMatchObject({
      command: "run",
      shard: { index: 2, count: 3 },
    });
    expect(() => parseCommandLine(["--shard", "3/2", "specs/"])).toThrow(UsageError);
  });

  test("the gate loads only its share of the expanded files", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "tat-assert-shard-"));
    for (let i = 0; i < 5; i++) {
      writeFileSync(
        join(cwd, `s${i}.yml`),
        `version: 1\nname: s${i}\nregion: ap-guangzhou\ntarget: { invocationId: inv-0000000${i} }\n`,
      );
    }
    const names = async (index: number) =>
      (await loadGateSpecs(["*.yml"], { cwd, env: {} }, false, { index, count: 2 })).map(
        (s) => s.name,
      );
    expect(await names(1)).toEqual(["s0", "s2", "s4"]);
    expect(await names(2)).toEqual(["s1", "s3"]);
  });

  test("a need in another job's share is named as such, not as a spec missing from the run", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "tat-assert-shard-"));
    const head = (name: string) =>
      `version: 1\nname: ${name}\nregion: ap-guangzhou\ntarget: { invocationId: inv-0000000a }\n`;
    writeFileSync(join(cwd, "a.yml"), `${head("a")}expect: { capture: { v: '/v=(\\S+)/' } }\n`);
    writeFileSync(
      join(cwd, "b.yml"),
      `${head("b")}needs: a\nexpect: { output: { matches: 'v \${capture.v}' } }\n`,
    );
    writeFileSync(join(cwd, "c.yml"), head("c"));
    const share2 = loadGateSpecs(["*.yml"], { cwd, env: {} }, false, { index: 2, count: 2 });
    await expect(share2).rejects.toMatchObject({
      issues: [
        {
          where: { file: "b.yml", line: 5, col: 1 },
          message: "needs `a`, which is not a spec of this run",
          fix: "with shard 2/2 this job reads only its share of the spec files: put a spec and the specs it needs in one file",
        },
      ],
    });
  });
});
