// The committed bundle: reproducible (the freshness check in .ci/run compares bytes, so a build must
// not depend on where it runs), self-contained (nothing but Node's own modules imported), and
// shipped with the licences of what it contains.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@jest/globals";
import { build } from "esbuild";
import { ROOT } from "../helpers/cli.js";
import { BUNDLE, installAction, nodeModulesAbove } from "./harness.js";

function bundleInto(cwd: string): { js: string; licenses: string } {
  const out = mkdtempSync(join(tmpdir(), "tat-assert-bundle-"));
  const r = spawnSync(process.execPath, [join(ROOT, "scripts", "bundle.mjs"), "--outdir", out], {
    cwd,
    encoding: "utf8",
  });
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
  return {
    js: readFileSync(join(out, "index.mjs"), "utf8"),
    licenses: readFileSync(join(out, "licenses.txt"), "utf8"),
  };
}

test("two builds from different working folders are byte for byte the same", () => {
  const a = bundleInto(ROOT);
  const b = bundleInto(tmpdir());
  expect(b.js === a.js).toBe(true);
  expect(b.licenses === a.licenses).toBe(true);
  // Nothing of this machine in it.
  expect(a.js).not.toContain(ROOT);
});

test("the committed bundle imports nothing but Node's own modules", async () => {
  // esbuild parses the bundle and lists what it imports (static, dynamic, require), ignoring
  // comments and strings, e.g. the require("ajv/…") in code ajv generates but never runs here.
  const result = await build({
    entryPoints: [BUNDLE],
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const imports = Object.values(result.metafile.inputs).flatMap((i) => i.imports);
  expect(imports.length).toBeGreaterThan(0);
  const builtins = new Set(builtinModules);
  const foreign = imports.filter((i) => !builtins.has(i.path.replace(/^node:/, "")));
  expect(foreign).toEqual([]);
});

test("copied alone where no node_modules is in reach, it starts and answers", () => {
  const main = installAction();
  expect(nodeModulesAbove(main)).toBe(false);
  const r = spawnSync(process.execPath, [main], {
    cwd: tmpdir(),
    env: { PATH: process.env.PATH ?? "" },
    encoding: "utf8",
  });
  expect(r.status).toBe(2);
  expect(r.stderr).toBe(
    "tat-assert: input specs: give at least one spec file or glob, one per line\n",
  );
});

test("the licences of the bundled packages travel with it", () => {
  const licenses = readFileSync(join(ROOT, "action-dist", "licenses.txt"), "utf8");
  for (const pkg of ["yaml", "ajv", "re2js", "@octokit/core", "tinyglobby", "p-retry"]) {
    const { version } = JSON.parse(
      readFileSync(join(ROOT, "node_modules", pkg, "package.json"), "utf8"),
    ) as { version: string };
    expect(licenses).toContain(`${pkg}@${version} (`);
  }
  expect(licenses).not.toContain("no licence file");
});
