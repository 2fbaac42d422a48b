// Golden files pin each reporter's output. Regenerate deliberately with
//   UPDATE_GOLDEN=1 npm test -- test/report
// and review the diff like any other change.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "@jest/globals";

const ROOT = fileURLToPath(new URL("../golden/", import.meta.url));

/** Replaces what differs between machines and runs; fixtures fix everything else. */
export function scrub(text: string): string {
  return text.replace(/octokit-core\.js\/[\d.]+ Node\.js\/[\d.]+/g, "octokit-core.js/X Node.js/X");
}

export function expectGolden(name: string, actual: string): void {
  const path = ROOT + name;
  const text = scrub(actual);
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return;
  }
  if (!existsSync(path)) {
    throw new Error(
      `missing golden file test/golden/${name}: create it with UPDATE_GOLDEN=1 npm test -- test/report`,
    );
  }
  expect(text).toBe(readFileSync(path, "utf8"));
}
