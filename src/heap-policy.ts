// How much garbage the process lets pile up before collecting it. A fleet run allocates about
// 150 KB of short-lived text per task with 24 KB of output (the answer as it streams in, its JSON
// text, the base64 output, the decoded output) and keeps about 1 KB of it (the verdict). Under
// V8's defaults, made for browser tabs, the young generation grows to 32 MB and the old one to
// about four times what is live before a full collection: at 10,000 tasks × 24 KB the peak RSS
// was 200–260 MB with 37 MB live, almost all of it garbage not yet collected (bench/README.md).
//
// Three V8 settings bound that slack instead, without bounding the heap itself (a fixed heap limit
// would crash a fleet larger than the one it was sized for):
// - the young generation keeps its starting size instead of doubling up to 16 MB semi-spaces;
// - it is collected while a full collection is marking, as in Node 20: Node 24's V8 pauses young
//   collections then (`--separate-gc-phases`, on by default there) and lets the young generation
//   grow page by page beyond its size until marking ends, 10–14 MB in a test that allocates what a
//   batch of task records does (test/cli/heap-policy.test.ts), whatever the first setting says;
// - the old generation grows to 1.2 × what the last full collection left alive (and by at least
//   9 MB, V8's smallest step: `--trace-gc-verbose` prints each new limit), not up to 4 ×.
// All are read by V8 at each collection or allocation, so setting them at start takes effect
// (Node's own `--max-semi-space-size` is read only when the heap is created, and the Action cannot
// pass node flags). They cost CPU, more collections: at 10,000 × 24 KB on Node 20 the run's CPU
// went from 15–16 s to about 22 s, the peak RSS from 171–226 MB to 136–143 MB (bench/fleet.ts;
// 1.5 × gave 150–159 MB).
//
// Only the entry points call this: the Action at its start, the bin for the commands that wait on
// tasks (cli/main.ts). `validate` and the rest keep V8's defaults: a thousand spec files are many
// small allocations and no fleet, and ran up to 30 % slower under it. A program embedding runGate
// keeps the settings of its own process.
//
// The fourth flag keeps WebAssembly in V8's baseline code (Liftoff). The only WebAssembly a run
// executes is fetch's HTTP parser (undici's llhttp), and after the first answers of a few hundred
// kilobytes V8 recompiles its main function with its optimising compiler: 90–130 ms of a worker
// thread and up to 23 MB of compiler memory (`--trace-wasm-compilation-times`), of which glibc
// keeps about 12 MB in that thread's arena for the rest of the process (`/proc/self/smaps`). On
// Node 24 the peak RSS went from 148–150 to 139 MB at 10,000 × 24 KB and from 117 to 104 MB at
// 1,000 × 2 KB; the CPU time did not move (14.5 s against 14.9–15.2 s at 10,000 × 24 KB). Set at
// run time, `--liftoff-only` and `--no-wasm-tier-up` had no effect (tried), so the tier-up is
// limited to a function index no module has. test/cli/heap-policy.test.ts checks it on each Node.
//
// Past MEMORY_SAVER_ABOVE_BYTES of heap in use, V8's memory saver mode is switched on where V8 has
// it (Node 24; Chromium switches it on at run time the same way when memory gets short): V8 then
// flushes unused bytecode sooner, compacts more and grows the heap conservatively. At 10,000 ×
// 24 KB on Node 24 it took the peak RSS from 156–175 MB to 147–149 MB for about 15 % more CPU. It
// is not on from the start because it makes the judge 25–50 % slower per MB: on fleets whose
// heap stays under the threshold (1,000 and 2,000 × 2 KB: 18–32 MB) memory is no concern, and
// that cost is not paid. Turning bytecode flushing back off under it lost the memory gain and
// not the slowdown.
import { getHeapStatistics, setFlagsFromString } from "node:v8";

/** A WebAssembly function index no module has: only that function may be optimised, so none is. */
export const NO_WASM_FUNCTION = 2 ** 31 - 1;

export const HEAP_POLICY_FLAGS = [
  "--semi-space-growth-factor=1",
  "--no-separate-gc-phases",
  "--heap-growing-percent=20",
  `--wasm-tier-up-filter=${NO_WASM_FUNCTION}`,
];

export const MEMORY_SAVER_FLAG = "--memory-saver-mode";
export const MEMORY_SAVER_ABOVE_BYTES = 32 * 1024 * 1024;
const MEMORY_SAVER_CHECK_MS = 250;

let watching = false;

export function boundGarbage(): void {
  for (const flag of HEAP_POLICY_FLAGS) setFlagsFromString(flag);
  // One watch per process, however often a program (or a test) calls main().
  if (watching || !hasMemorySaver()) return;
  watching = true;
  const check = memorySaverSwitch({
    heapUsed: () => getHeapStatistics().used_heap_size,
    enable: () => setFlagsFromString(MEMORY_SAVER_FLAG),
  });
  const timer = setInterval(() => {
    if (check()) clearInterval(timer);
  }, MEMORY_SAVER_CHECK_MS);
  // A check never keeps the process alive: a run that is done exits.
  timer.unref();
}

/** Whether this V8 reads `--memory-saver-mode` (V8 13.6, Node 24, has it; 12.4, Node 22, and
 * 11.3, Node 20, do not, and an unknown flag is a line on stderr). */
export function hasMemorySaver(v8Version: string = process.versions.v8): boolean {
  const [major = 0, minor = 0] = v8Version.split(".").map(Number);
  return major > 13 || (major === 13 && minor >= 6);
}

/** A check to call now and then: it switches memory saver mode on, once, the first time the heap
 * in use is above `aboveBytes`, and says whether it has (so the caller can stop checking). */
export function memorySaverSwitch(deps: {
  heapUsed: () => number;
  enable: () => void;
  aboveBytes?: number;
}): () => boolean {
  const above = deps.aboveBytes ?? MEMORY_SAVER_ABOVE_BYTES;
  let on = false;
  return () => {
    if (!on && deps.heapUsed() > above) {
      deps.enable();
      on = true;
    }
    return on;
  };
}
