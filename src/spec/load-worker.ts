// A worker thread of parallel-load.ts: takes the next chunk of files from the shared counter,
// reads them exactly as the main thread would (readSource), posts the results, until none is left.
import { parentPort, workerData } from "node:worker_threads";
import type { ChunkLoads, WorkerInput } from "./parallel-load.js";
import { type FileSource, readSource } from "./read-source.js";

const { tasks, env, next, chunk } = workerData as WorkerInput;
const counter = new Int32Array(next);
for (;;) {
  const from = Atomics.add(counter, 0, chunk);
  if (from >= tasks.length) break;
  const loads = tasks.slice(from, from + chunk).map((task) => readSource(task, env));
  parentPort?.postMessage({ from, loads } satisfies ChunkLoads<FileSource>);
}
