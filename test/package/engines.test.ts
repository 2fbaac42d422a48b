// Every package a user installs with tat-assert runs on every Node version tat-assert says it
// supports: a dependency that needs more (as content-type@3.1.1 needs Node 22) breaks
// `npm install --engine-strict` for users on the oldest one.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@jest/globals";
import semver from "semver";
import { ROOT } from "../helpers/cli.js";

interface Tree {
  path?: string;
  dependencies?: Record<string, Tree>;
}

function productionPackages(): string[] {
  const out = execFileSync("npm", ["ls", "--omit=dev", "--all", "--json", "--long"], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const paths = new Set<string>();
  const walk = (tree: Tree) => {
    for (const dep of Object.values(tree.dependencies ?? {})) {
      if (dep.path) paths.add(dep.path);
      walk(dep);
    }
  };
  walk(JSON.parse(out) as Tree);
  return [...paths].sort();
}

test("every production dependency accepts the whole supported Node range", () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  const supported: string = pkg.engines.node;
  expect(semver.minVersion(supported)?.major).toBeGreaterThanOrEqual(22);
  const packages = productionPackages();
  expect(packages.length).toBeGreaterThan(10);
  const disagree: string[] = [];
  for (const dir of packages) {
    const dep = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const range: string | undefined = dep.engines?.node;
    if (range && !semver.subset(supported, range, { includePrerelease: false }))
      disagree.push(`${dep.name}@${dep.version} needs node ${range}`);
  }
  expect(disagree).toEqual([]);
});

test("the check would catch a dependency that needs more than the range allows", () => {
  expect(semver.subset(">=20.19", ">=22")).toBe(false);
  expect(semver.subset(">=22.12", ">=22")).toBe(true);
});
