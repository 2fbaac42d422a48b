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
// - the old generation grows to 1.2 × what the last full collection left alive (V8 adds at least
//   16 MB), not up to 4 ×.
// All are read by V8 at each collection or allocation, so setting them at start takes effect
// (Node's own `--max-semi-space-size` is read only when the heap is created, and the Action cannot
// pass node flags). They cost CPU, more collections: at 10,000 × 24 KB the run's CPU went from 15–16 s to
// about 22 s, the peak RSS from 171–226 MB to 136–143 MB (bench/fleet.ts; 1.5 × gave 150–159 MB).
//
// Only the entry points call this: the Action at its start, the bin for the commands that wait on
// tasks (cli/main.ts). `validate` and the rest keep V8's defaults: a thousand spec files are many
// small allocations and no fleet, and ran up to 30 % slower under it. A program embedding runGate
// keeps the settings of its own process.
import { setFlagsFromString } from "node:v8";

export const HEAP_POLICY_FLAGS = [
  "--semi-space-growth-factor=1",
  "--no-separate-gc-phases",
  "--heap-growing-percent=20",
];

export function boundGarbage(): void {
  for (const flag of HEAP_POLICY_FLAGS) setFlagsFromString(flag);
}
