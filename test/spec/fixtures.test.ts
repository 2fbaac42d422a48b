// Message quality is pinned by fixtures: each invalid spec has a sibling .issues.txt with the exact
// lines a user sees; each valid spec a sibling .spec.json with the normalised Spec it becomes.
// Regenerate with: UPDATE_FIXTURES=1 npm test -- test/spec/fixtures.test.ts (then read the diff).
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "@jest/globals";
import { formatIssue, formatWarning } from "../../src/errors.js";
import { loadSpecFiles } from "../../src/spec/load.js";

const dir = resolve(dirname(fileURLToPath(import.meta.url)), "../fixtures/specs");
const update = process.env.UPDATE_FIXTURES === "1";

/** The environment every fixture is read with. */
const FIXTURE_ENV = {
  DEPLOY_INVOCATION_ID: "inv-abcd1234",
  RELEASE: "1.2.3",
  SPEC_NAME: "named by env",
  MAX_FAILURES: "2",
  EMPTY: "",
  PIPELINE_STARTED_AT: "2026-11-30T06:00:00Z",
};

const names = (sub: string) =>
  readdirSync(join(dir, sub))
    .filter((f) => f.endsWith(".yml"))
    .map((f) => f.slice(0, -4));

function pinned(file: string, actual: string): string {
  if (update || !existsSync(file)) writeFileSync(file, actual);
  return readFileSync(file, "utf8");
}

describe("invalid specs report exactly the pinned issues", () => {
  test.each(names("invalid"))("%s", async (name) => {
    const { specs, issues } = await loadSpecFiles([`invalid/${name}.yml`], {
      cwd: dir,
      env: FIXTURE_ENV,
    });
    const text = `${issues.map(formatIssue).join("\n")}\n`;
    expect(issues.length).toBeGreaterThan(0);
    expect(text).toBe(pinned(join(dir, "invalid", `${name}.issues.txt`), text));
    // Nothing in an invalid file may leak through as a spec, except documents that are valid.
    for (const s of specs) expect(issues.some((i) => i.where.line >= s.where.line)).toBe(true);
  });
});

describe("specs that may judge a stale run load, with exactly the pinned warnings", () => {
  test.each(names("warnings"))("%s", async (name) => {
    const { specs, issues, warnings } = await loadSpecFiles([`warnings/${name}.yml`], {
      cwd: dir,
      env: FIXTURE_ENV,
    });
    expect(issues.map(formatIssue)).toEqual([]);
    expect(specs.length).toBeGreaterThan(0);
    const text = `${warnings.map(formatWarning).join("\n")}\n`;
    expect(warnings.length).toBeGreaterThan(0);
    expect(text).toBe(pinned(join(dir, "warnings", `${name}.warnings.txt`), text));
  });
});

describe("valid specs load without issues into the pinned normalised form", () => {
  test.each(names("valid"))("%s", async (name) => {
    const { specs, issues } = await loadSpecFiles([`valid/${name}.yml`], {
      cwd: dir,
      env: FIXTURE_ENV,
    });
    expect(issues.map(formatIssue)).toEqual([]);
    const json = `${JSON.stringify(specs, null, 2)}\n`;
    expect(json).toBe(pinned(join(dir, "valid", `${name}.spec.json`), json));
  });
});
