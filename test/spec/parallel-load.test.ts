// Reading spec files on worker threads as well as this one must give exactly what reading them
// all on this thread gives: same specs, issues, warnings, in the same order. And wherever a worker
// cannot start or fails, every file is still loaded, here.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { LIMITS } from "../../src/spec/limits.js";
import { type FileLoad, judgeSource, loadSpecFiles } from "../../src/spec/load.js";
import {
  defaultWorkers,
  type FileTask,
  loadInChunks,
  PARALLEL_FROM,
  type WorkerEntry,
  workerEntry,
} from "../../src/spec/parallel-load.js";
import { readSource } from "../../src/spec/read-source.js";

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), "../fixtures/specs");
const ENV = {
  DEPLOY_INVOCATION_ID: "inv-abcd1234",
  RELEASE: "1.2.3",
  SPEC_NAME: "named by env",
  MAX_FAILURES: "2",
  EMPTY: "",
  PIPELINE_STARTED_AT: "2026-11-30T06:00:00Z",
};

/** What loadSpecFiles does with one file, all on this thread. */
const loadFile = (t: FileTask): FileLoad => judgeSource(readSource(t, ENV), t.file);
const read = (t: FileTask) => readSource(t, ENV);

let dir: string;
let files: string[];
let tasks: FileTask[];

/** Valid, invalid and warning fixtures, each twice (the copies' written names collide across
 * files), plain valid specs, a directory, a missing file and one over the size limit. */
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tat-assert-parallel-"));
  files = [];
  for (const round of [1, 2]) {
    for (const kind of ["valid", "invalid", "warnings"]) {
      for (const name of readdirSync(join(fixtures, kind)).filter((f) => f.endsWith(".yml"))) {
        const file = `${kind}-${round}-${name}`;
        copyFileSync(join(fixtures, kind, name), join(dir, file));
        files.push(file);
      }
    }
    for (let n = 0; n < 20; n++) {
      const file = `plain-${round}-${n}.yml`;
      writeFileSync(
        join(dir, file),
        `version: 1\ntarget: { invocationId: inv-${String(n).padStart(8, "0")} }\nexpect: { exitCode: ${n % 3} }\n`,
      );
      files.push(file);
    }
  }
  mkdirSync(join(dir, "a-directory.yml"));
  writeFileSync(join(dir, "too-large.yml"), "#".repeat(LIMITS.fileBytes + 1));
  files.splice(7, 0, "a-directory.yml");
  files.splice(30, 0, "missing.yml");
  files.splice(50, 0, "too-large.yml");
  tasks = files.map((file) => ({ file, full: join(dir, file) }));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Blocks this thread, so that a worker gets to load files while this one is busy. */
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

describe("a worker loads exactly what this thread loads", () => {
  test("the same FileLoad for every file, in file order, with a worker taking part", async () => {
    const serial = tasks.map(loadFile);
    let here = 0;
    const parallel = await loadInChunks(
      tasks,
      (t) => {
        here++;
        // Slow here until the worker (started through tsx, seconds) has taken its share.
        if (here < tasks.length) sleep(100);
        return read(t);
      },
      (source, t) => judgeSource(source, t.file),
      { env: ENV, workers: 1 },
    );
    expect(parallel).toStrictEqual(serial);
    // The worker loaded some of the files, or the comparison above says nothing about it.
    expect(here).toBeLessThan(tasks.length);
    // Every kind of result came through the worker's structured clone.
    const kinds = (loads: FileLoad[]) => [
      loads.some((l) => l.named.some((n) => n.spec)),
      loads.some((l) => l.issues.length > 0),
    ];
    expect(kinds(parallel)).toEqual([true, true]);
  }, 60_000);

  test("loadSpecFiles gives the same LoadResult with workers as without", async () => {
    const serial = await loadSpecFiles(files, { cwd: dir, env: ENV, workers: 0 });
    const parallel = await loadSpecFiles(files, { cwd: dir, env: ENV, workers: 2 });
    expect(parallel).toStrictEqual(serial);
    // The mix is there: specs, issues (duplicate names across files among them), warnings.
    expect(serial.specs.length).toBeGreaterThan(40);
    expect(serial.issues.some((i) => /is also used at/.test(i.message))).toBe(true);
    expect(
      serial.issues.some((i) => /cannot read the file: it is a directory/.test(i.message)),
    ).toBe(true);
    expect(serial.issues.some((i) => /cannot read the file: no such file/.test(i.message))).toBe(
      true,
    );
    expect(serial.issues.some((i) => /a spec file is at most/.test(i.message))).toBe(true);
    expect(serial.warnings.length).toBeGreaterThan(0);
  }, 60_000);
});

describe("where a worker cannot help, every file is loaded here", () => {
  const serial = () => tasks.map(loadFile);
  const judge = (source: ReturnType<typeof read>, t: FileTask) => judgeSource(source, t.file);

  test("no worker file beside the module (the Action's bundle): no worker", () => {
    expect(workerEntry("file:///action/action-dist/index.mjs")).toBeUndefined();
    expect(workerEntry("file:///nowhere/dist/spec/parallel-load.js")).toBeUndefined();
    expect(workerEntry("node:internal")).toBeUndefined();
  });

  test("a worker that fails to start", async () => {
    const broken: WorkerEntry = { source: "throw new Error('cannot start')", eval: true };
    const loads = await loadInChunks(tasks, read, judge, {
      env: ENV,
      workers: 1,
      entry: broken,
    });
    expect(loads).toStrictEqual(serial());
  });

  test("a worker that takes files and dies before returning them", async () => {
    // Takes the next chunks, then the thread ends without posting anything.
    const thief: WorkerEntry = {
      source: `const { workerData } = require("node:worker_threads");
        const next = new Int32Array(workerData.next);
        Atomics.add(next, 0, workerData.chunk * 2);
        process.exit(1);`,
      eval: true,
    };
    const order: number[] = [];
    const loads = await loadInChunks(
      tasks,
      (t) => {
        order.push(tasks.indexOf(t));
        if (order.length === 1) sleep(500);
        return read(t);
      },
      judge,
      { env: ENV, workers: 1, entry: thief },
    );
    expect(loads).toStrictEqual(serial());
    // The stolen files were loaded here, last: out of order.
    expect(order).not.toEqual([...order].sort((a, b) => a - b));
    expect(order.length).toBe(tasks.length);
  });

  test("workers start by default only for a long list and a built worker", () => {
    const built: WorkerEntry = { source: new URL("file:///x/load-worker.js"), eval: false };
    const throughTsx: WorkerEntry = { source: "import('x')", eval: true };
    expect(defaultWorkers(PARALLEL_FROM - 1, built)).toBe(0);
    expect(defaultWorkers(10_000, throughTsx)).toBe(0);
    expect(defaultWorkers(10_000, undefined)).toBe(0);
    expect(defaultWorkers(PARALLEL_FROM, built)).toBeLessThanOrEqual(1);
  });
});
