// The heap policy (src/heap-policy.ts: set by the Action at start, by the bin for the commands that
// wait on tasks) is four V8 flags set at run time. A Node release that renamed or stopped reading
// one would silently bring back the 200 MB+ peaks, so this runs on each Node the project supports
// (CI runs test/cli under Node 24 too), in a fresh process, with the built module as the bin
// loads it.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, test } from "@jest/globals";
import { ROOT } from "../helpers/cli.js";

const MODULE = pathToFileURL(join(ROOT, "dist", "heap-policy.js")).href;

/** Allocates short-lived strings with some surviving a while (as a batch of task records does),
 * and reports the largest the young generation was while it ran: sampled, because it can grow
 * for the length of a full collection's marking and be back to its size by the end. */
function youngGeneration(withPolicy: boolean): { mb: number; stderr: string } {
  const script = `
    import { getHeapSpaceStatistics } from "node:v8";
    import { boundGarbage } from ${JSON.stringify(MODULE)};
    if (${withPolicy}) boundGarbage();
    const young = () => getHeapSpaceStatistics().find((s) => s.space_name === "new_space");
    let batch = [];
    let largest = 0;
    for (let i = 0; i < 300000; i++) {
      batch.push("line " + i + " ".repeat(100));
      if (batch.length === 20000) batch = [];
      if (i % 1000 === 0) largest = Math.max(largest, young().space_size);
    }
    console.log(largest);
  `;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`child failed: ${run.stderr}`);
  return { mb: Number(run.stdout.trim()) / 1024 / 1024, stderr: run.stderr };
}

describe("heap policy", () => {
  test("the young generation stays at its starting size throughout; without the policy it grows", () => {
    const bounded = youngGeneration(true);
    const defaults = youngGeneration(false);
    expect(bounded.stderr).toBe("");
    expect(bounded.mb).toBeLessThanOrEqual(4);
    expect(defaults.mb).toBeGreaterThan(8);
  });

  test("every flag is one this Node knows (an unknown one is only a line on stderr)", async () => {
    const { HEAP_POLICY_FLAGS } = await import("../../src/heap-policy.js");
    const known = spawnSync(process.execPath, ["--v8-options"], { encoding: "utf8" }).stdout;
    for (const flag of HEAP_POLICY_FLAGS) {
      const name = flag.replace(/=.*$/, "").replace(/^--no-/, "--");
      expect(known).toContain(`  ${name} (`);
    }
  });
});

/** Whether fetch's HTTP parser (WebAssembly) got optimised while a few answers of 3 MB were read,
 * as V8 prints each function it compiles with `--trace-wasm-compilation-times`. */
function parserOptimised(withPolicy: boolean): boolean {
  const script = `
    import { createServer } from "node:http";
    import { boundGarbage } from ${JSON.stringify(MODULE)};
    if (${withPolicy}) boundGarbage();
    const body = "x".repeat(3_000_000);
    const server = createServer((req, res) => res.end(body));
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = "http://127.0.0.1:" + server.address().port + "/";
    for (let i = 0; i < 5; i++) await (await fetch(url)).text();
    server.close();
  `;
  const run = spawnSync(
    process.execPath,
    ["--trace-wasm-compilation-times", "--input-type=module", "-e", script],
    { encoding: "utf8" },
  );
  if (run.status !== 0) throw new Error(`child failed: ${run.stderr}`);
  const out = `${run.stdout}${run.stderr}`;
  // Baseline compilation is printed too: the trace must be there for "not optimised" to mean it.
  if (!out.includes("using Liftoff")) throw new Error(`no wasm compilation traced:\n${out}`);
  return out.includes("using TurboFan");
}

describe("fetch's HTTP parser stays in baseline code", () => {
  test("never optimised under the policy; without it, optimised within five answers", () => {
    expect(parserOptimised(false)).toBe(true);
    expect(parserOptimised(true)).toBe(false);
  });
});

describe("memory saver switch", () => {
  test("switches on once, the first time the heap in use is past the threshold", async () => {
    const { memorySaverSwitch } = await import("../../src/heap-policy.js");
    const readings = [10, 31, 33, 20, 50];
    let enabled = 0;
    const check = memorySaverSwitch({
      heapUsed: () => (readings.shift() ?? 0) * 1024 * 1024,
      enable: () => enabled++,
      aboveBytes: 32 * 1024 * 1024,
    });
    expect([check(), check(), check(), check(), check()]).toEqual([false, false, true, true, true]);
    expect(enabled).toBe(1);
  });

  test("is used on exactly the Nodes whose V8 knows the flag", async () => {
    const { hasMemorySaver, MEMORY_SAVER_FLAG } = await import("../../src/heap-policy.js");
    const known = spawnSync(process.execPath, ["--v8-options"], { encoding: "utf8" }).stdout;
    expect(known.includes(`  ${MEMORY_SAVER_FLAG} (`)).toBe(hasMemorySaver());
    expect(hasMemorySaver("13.6.233.17-node.63")).toBe(true);
    expect(hasMemorySaver("14.0.1")).toBe(true);
    expect(hasMemorySaver("13.5.0")).toBe(false);
    expect(hasMemorySaver("12.4.254.21-node.57")).toBe(false);
  });
});
