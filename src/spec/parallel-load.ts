// Spec files read a chunk at a time, on this thread and, for a long list, on worker threads too:
// every thread takes the next chunk from one shared counter until none is left, so a worker that
// starts late (or never gets a core) only takes less, and this thread never waits for one to
// start. A worker only reads and walks the YAML (read-source.ts: plain data, cloned back); this
// thread judges every file (schema, rules, normalising), so each thread compiles only its part.
// Results are kept by file index: the caller gets them in file order, exactly as if this thread
// had done everything. Wherever a worker cannot run (no worker file beside this one, as in the
// Action's single-file bundle; a worker that fails), the files it did not return are read here.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

/** A file as given (for locations and default names) and its absolute path. */
export interface FileTask {
  file: string;
  full: string;
}

/** What a worker is started with (load-worker.ts). */
export interface WorkerInput {
  tasks: FileTask[];
  env: Record<string, string | undefined>;
  /** One Int32: the index of the next file no thread has taken yet. */
  next: SharedArrayBuffer;
  chunk: number;
}

/** What a worker posts for each chunk it took: the files read, in order from `from`. */
export interface ChunkLoads<S> {
  from: number;
  loads: S[];
}

/** Below this many files a worker's start (its own module load, schema compile and JIT warm-up)
 * costs more than it saves. */
export const PARALLEL_FROM = 200;

/** Files taken at a time (about 20 ms of work): the event loop gets a turn between two chunks
 * (signals, timers, workers' results), and the threads end close together. */
const CHUNK = 16;

/** How to start a worker from here. */
export interface WorkerEntry {
  /** A module URL, or code to evaluate (`eval`). */
  source: URL | string;
  eval: boolean;
}

/**
 * Built (dist/spec/parallel-load.js): load-worker.js beside it. From the TypeScript sources (tests,
 * benchmarks): load-worker.ts through tsx's API, when tsx is installed. Anywhere else (a bundle):
 * undefined, and every file is loaded on this thread.
 */
export function workerEntry(here: string = import.meta.url): WorkerEntry | undefined {
  if (!here.startsWith("file:")) return undefined;
  if (here.endsWith(".js")) {
    const url = new URL("./load-worker.js", here);
    return existsSync(fileURLToPath(url)) ? { source: url, eval: false } : undefined;
  }
  if (here.endsWith(".ts")) {
    const url = new URL("./load-worker.ts", here);
    const api = tsxApi(here);
    if (api === undefined || !existsSync(fileURLToPath(url))) return undefined;
    // On Node 20 a worker's execArgv cannot register module hooks (`--import tsx`); tsx's API can.
    const code = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
    return { source: code, eval: true };
  }
  return undefined;
}

/** The URL of tsx's ESM API (`tsx/esm/api`, import condition), when tsx is installed. */
function tsxApi(here: string): string | undefined {
  try {
    const manifest = createRequire(here).resolve("tsx/package.json");
    const { exports } = JSON.parse(readFileSync(manifest, "utf8")) as {
      exports?: Record<string, { import?: { default?: string } }>;
    };
    const path = exports?.["./esm/api"]?.import?.default;
    return path === undefined ? undefined : new URL(path, pathToFileURL(manifest)).href;
  } catch {
    return undefined;
  }
}

/**
 * Workers worth starting for `files` files by default: one per spare core from PARALLEL_FROM files
 * on, and only a built worker (through tsx a worker takes seconds to start: tests ask for one).
 */
export function defaultWorkers(files: number, entry = workerEntry()): number {
  if (files < PARALLEL_FROM || entry === undefined || entry.eval) return 0;
  return Math.max(0, Math.min(availableParallelism() - 1, Math.floor(files / PARALLEL_FROM)));
}

/**
 * Every task read (`read`, also what a worker does) and judged (`judge`, only here), the results in
 * task order. `workers` worker threads take part in the reading (default: defaultWorkers); a
 * worker runs readSource on a copy of `env`, which `read` must match.
 */
export async function loadInChunks<S, R>(
  tasks: readonly FileTask[],
  read: (task: FileTask) => S,
  judge: (source: S, task: FileTask) => R,
  options: { env: Record<string, string | undefined>; workers?: number; entry?: WorkerEntry },
): Promise<R[]> {
  const n = tasks.length;
  const sources: (S | undefined)[] = new Array(n);
  const results: R[] = new Array(n);
  /** Per task: 0 not read yet, 1 read (index in `ready`), 2 judged. */
  const state = new Uint8Array(n);
  const ready: number[] = [];
  let judged = 0;
  const readHere = (i: number) => {
    sources[i] = read(tasks[i] as FileTask);
    state[i] = 1;
    ready.push(i);
  };
  const next = new SharedArrayBuffer(4);
  const counter = new Int32Array(next);
  const wanted = options.workers ?? (n < PARALLEL_FROM ? 0 : undefined);
  const entry = wanted === 0 ? undefined : (options.entry ?? workerEntry());
  const workers = entry ? (wanted ?? defaultWorkers(n, entry)) : 0;
  const started: Worker[] = [];
  let running = 0;
  let wake: (() => void) | undefined;
  const changed = () => {
    wake?.();
    wake = undefined;
  };
  try {
    if (entry && workers > 0) {
      const input: WorkerInput = { tasks: [...tasks], env: { ...options.env }, next, chunk: CHUNK };
      for (let w = 0; w < workers; w++) {
        const worker = new Worker(entry.source, { eval: entry.eval, workerData: input });
        running++;
        worker.on("message", ({ from, loads }: ChunkLoads<S>) => {
          for (const [k, source] of loads.entries()) {
            // Already read here (the worker was given up for dead): keep the first.
            if (state[from + k] !== 0) continue;
            sources[from + k] = source;
            state[from + k] = 1;
            ready.push(from + k);
          }
          changed();
        });
        // A worker that fails leaves its files unread: they are read below, on this thread.
        worker.on("error", () => {});
        worker.once("exit", () => {
          running--;
          changed();
        });
        started.push(worker);
      }
    }
    for (let turn = 0; ; turn++) {
      // Signals, timers and the workers' chunks get a turn between two chunks of work here.
      if (turn > 0) await new Promise((resume) => setImmediate(resume));
      for (let i = ready.pop(); i !== undefined; i = ready.pop()) {
        results[i] = judge(sources[i] as S, tasks[i] as FileTask);
        sources[i] = undefined;
        state[i] = 2;
        judged++;
      }
      if (judged === n) break;
      const from = Atomics.add(counter, 0, CHUNK);
      if (from < n) {
        for (let i = from; i < Math.min(from + CHUNK, n); i++) readHere(i);
      } else if (running > 0) {
        // Every file is taken: wait for those a worker is still reading.
        await new Promise<void>((resume) => {
          wake = resume;
        });
      } else {
        for (let i = 0; i < n; i++) if (state[i] === 0) readHere(i);
      }
    }
  } finally {
    // A worker still starting has nothing left to take.
    for (const worker of started) void worker.terminate();
  }
  return results;
}
