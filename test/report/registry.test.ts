import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { UsageError } from "../../src/errors.js";
import {
  automaticReporters,
  createReporters,
  parseReporterSpec,
  type ReporterContext,
} from "../../src/report/registry.js";
import type { Reporter } from "../../src/report/reporter.js";
import { summarizeOutput } from "../../src/wait/output-summary.js";
import { failuresReport, passReport } from "./fixtures.js";
import { Capture } from "./stream.js";

async function context(extra: Partial<ReporterContext> = {}): Promise<ReporterContext> {
  return {
    env: {},
    cwd: await mkdtemp(join(tmpdir(), "tat-reg-")),
    stderr: new Capture(),
    hostname: "runner-1",
    ...extra,
  };
}

describe("reporter specs", () => {
  test("split at the first colon only, so Windows paths survive", () => {
    expect(parseReporterSpec("junit")).toEqual({ name: "junit", arg: undefined });
    expect(parseReporterSpec("junit:C:\\out\\j.xml")).toEqual({
      name: "junit",
      arg: "C:\\out\\j.xml",
    });
    expect(parseReporterSpec("json:")).toEqual({ name: "json", arg: undefined });
  });

  test("unknown names are a usage error with a suggestion and the known list", async () => {
    const ctx = await context();
    expect(() => createReporters(["junti"], ctx)).toThrow(UsageError);
    expect(() => createReporters(["junti"], ctx)).toThrow(
      'unknown reporter "junti" (did you mean "junit"?); known reporters: github-check, html, json, junit, junit-strict',
    );
  });

  test("two reporters writing one file are refused", async () => {
    const ctx = await context();
    expect(() => createReporters(["junit", "junit-strict"], ctx)).toThrow(
      /reporters "junit" and "junit-strict" would both write .*tat-assert-junit\.xml/,
    );
    expect(() => createReporters(["junit:a.xml", "junit-strict:b.xml", "json"], ctx)).not.toThrow();
  });

  test("github-check without token, repository or commit is a usage error naming what is missing", async () => {
    const ctx = await context({ env: { GITHUB_REPOSITORY: "acme/deploys" } });
    expect(() => createReporters(["github-check"], ctx)).toThrow(
      "the github-check reporter needs a token (GITHUB_TOKEN or the github token option), the commit (GITHUB_SHA or the head SHA option)",
    );
  });
});

describe("file reporters through the registry", () => {
  test("default paths are tat-assert-junit.xml and tat-assert-report.json in the working directory", async () => {
    const ctx = await context();
    for (const r of createReporters(["junit", "json"], ctx)) await r.end(passReport());
    expect((await readdir(ctx.cwd)).sort()).toEqual([
      "tat-assert-junit.xml",
      "tat-assert-report.json",
    ]);
  });

  test("paths are relative to cwd and parent folders are created; junit-strict omits file/line", async () => {
    const ctx = await context();
    const reporters = createReporters(
      ["junit:out/broad.xml", "junit-strict:out/strict/j.xml", "json:out/r.json"],
      ctx,
    );
    expect(reporters.map((r) => r.name)).toEqual(["junit", "junit-strict", "json"]);
    for (const r of reporters) await r.end(failuresReport());
    expect(await readFile(join(ctx.cwd, "out/broad.xml"), "utf8")).toContain(
      ' file="specs/api.yml" line="14"',
    );
    expect(await readFile(join(ctx.cwd, "out/strict/j.xml"), "utf8")).not.toContain(" file=");
    expect(JSON.parse(await readFile(join(ctx.cwd, "out/r.json"), "utf8")).exitCode).toBe(1);
  });

  test("secrets in the context are masked in every file written", async () => {
    const secret = "very-secret-key-123456";
    const ctx = await context({ secrets: [secret] });
    const report = failuresReport();
    const task = report.specs[0]?.tasks[0];
    if (task) task.observed.outputSummary = summarizeOutput(`key=${secret}\n`);
    for (const r of createReporters(["junit", "json"], ctx)) await r.end(report);
    for (const file of ["tat-assert-junit.xml", "tat-assert-report.json"]) {
      const text = await readFile(join(ctx.cwd, file), "utf8");
      expect(text).toContain("key=***");
      expect(text).not.toContain(secret);
    }
  });

  test("extra factories (the console reporter) are registered by name", async () => {
    const seen: string[] = [];
    const ctx = await context({
      extra: {
        console: (arg): Reporter => ({ name: "console", end: () => void seen.push(`end ${arg}`) }),
      },
    });
    const [reporter] = createReporters(["console:verbose"], ctx);
    await reporter?.end(passReport());
    expect(seen).toEqual(["end verbose"]);
  });
});

describe("automatic reporters", () => {
  test("none outside GitHub Actions; job summary and annotations under it", async () => {
    expect(automaticReporters(await context())).toEqual([]);
    const stdout = new Capture();
    const ctx = await context({ env: { GITHUB_ACTIONS: "true" }, stdout });
    const reporters = automaticReporters(ctx);
    expect(reporters.map((r) => r.name)).toEqual(["github-actions"]);
    await reporters[0]?.end(failuresReport());
    expect(stdout.lines()).toHaveLength(9);
  });
});
