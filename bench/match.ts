// Benchmark: what judging output costs. evaluate() of a spec with 3 `matches` + 2 `notMatches`
// regexes over 2,000 tasks of 24 KiB output each (RE2 via re2js, what tat-assert ships), against
// the same five patterns run with V8's RegExp in the same process; then the catastrophic pattern
// /(a+)+$/ on "a"×n + "!", which RE2 answers in linear time and V8's backtracking in exponential
// time (V8 is run only up to n = 20: its time about doubles with each extra character).
//
//   node --import tsx --expose-gc bench/match.ts        (or: npm run bench)
//
// Runs straight from src/ through tsx; nothing is built, no network. About 45 s on 2 cores.
import { RE2JS } from "re2js";
import { evaluate } from "../src/match/evaluate.js";
import type { Observation, TaskObservation } from "../src/model.js";
import { compileRegex, isPatternProblem, parsePattern } from "../src/spec/pattern.js";
import { gcExposed } from "./lib/memory.js";
import { mb, ms, ratio, table } from "./lib/table.js";
import { median, perCall, timed } from "./lib/timing.js";
import { benchSpec, deployLog, PATTERNS, parseOne, taskWithOutput } from "./match-input.js";

const TASKS = 2000;
const ROUNDS = 3;
const WARM_UP = 100;
/** Tasks in the per-pattern breakdown (a quarter of the outputs is plenty to rank the patterns). */
const BREAKDOWN_TASKS = 500;

function observationOf(tasks: TaskObservation[]): Observation {
  return {
    state: "terminal",
    tasks,
    invocations: [{ invocationId: "inv-bench001" }],
    startedAt: "2026-11-28T01:00:00.000Z",
    endedAt: "2026-11-28T01:02:00.000Z",
    polls: 1,
    deadlineMs: 600_000,
    statusCounts: { SUCCESS: tasks.length },
    apiErrors: [],
  };
}

/** The five patterns as source + flags, read by the spec loader's own parser. */
const parsed = [...PATTERNS.matches, ...PATTERNS.notMatches].map((text) => {
  const p = parsePattern(text);
  if (isPatternProblem(p)) throw new Error(`${text}: ${p.problem}`);
  return p;
});
const re2 = parsed.map((p) => {
  const re = compileRegex(p.source, p.flags);
  if (!(re instanceof RE2JS)) throw new Error(re.problem);
  return re;
});
const v8 = parsed.map((p) => new RegExp(p.source, p.flags));

/** Bare scans, no report building: how many (task, pattern) pairs matched. */
const scanRe2 = (texts: string[]) => {
  let found = 0;
  for (const text of texts) for (const re of re2) if (re.matcher(text).find()) found++;
  return found;
};
const scanV8 = (texts: string[]) => {
  let found = 0;
  for (const text of texts) for (const re of v8) if (re.test(text)) found++;
  return found;
};

interface Figures {
  ms: number;
  heapDeltaBytes: number;
  retainedBytes: number;
  rssDeltaBytes: number;
}

/**
 * Median time of ROUNDS runs over all tasks, after a warm-up over the first WARM_UP tasks (enough
 * for the JIT), with memory from the last run. `run(n)` works on the first n tasks.
 */
function measure(run: (n: number) => unknown, check: (value: unknown, n: number) => void): Figures {
  check(run(WARM_UP), WARM_UP);
  const times: number[] = [];
  let memory = { heapDeltaBytes: 0, retainedBytes: 0, rssDeltaBytes: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    globalThis.gc?.();
    const before = process.memoryUsage();
    const { value, ms: elapsed } = timed(() => run(TASKS));
    const after = process.memoryUsage();
    check(value, TASKS);
    times.push(elapsed);
    globalThis.gc?.();
    memory = {
      heapDeltaBytes: after.heapUsed - before.heapUsed,
      rssDeltaBytes: after.rss - before.rss,
      // Still referenced by `value` here: what the result itself holds on to.
      retainedBytes: process.memoryUsage().heapUsed - before.heapUsed,
    };
  }
  return { ms: median(times), ...memory };
}

function expectEqual(what: string, actual: unknown, expected: unknown): void {
  if (actual !== expected) throw new Error(`${what}: got ${actual}, expected ${expected}`);
}

// ─── 1. five patterns over 2,000 × 24 KiB ───

const outputs = Array.from({ length: TASKS }, (_, i) => deployLog(i + 1));
const observation = observationOf(outputs.map((o, i) => taskWithOutput(i + 1, o)));
const totalBytes = outputs.reduce((n, o) => n + Buffer.byteLength(o), 0);
const spec = benchSpec();

console.log(
  `match: ${TASKS} tasks × ${Buffer.byteLength(outputs[0] ?? "")} bytes of output = ${mb(totalBytes)} MB; ` +
    `${PATTERNS.matches.length} matches + ${PATTERNS.notMatches.length} notMatches; median of ${ROUNDS} runs after a warm-up.`,
);

const observationOfFirst = (n: number) =>
  n === TASKS ? observation : { ...observation, tasks: observation.tasks.slice(0, n) };
const scanned = (what: string) => (v: unknown, n: number) =>
  expectEqual(what, v, n * PATTERNS.matches.length);
const runs: [string, Figures][] = [
  [
    "evaluate() (re2js)",
    measure(
      (n) => evaluate(spec, observationOfFirst(n)),
      (v) => expectEqual("evaluate outcome", (v as ReturnType<typeof evaluate>).outcome, "pass"),
    ),
  ],
  ["bare scan, re2js", measure((n) => scanRe2(outputs.slice(0, n)), scanned("re2js"))],
  ["bare scan, V8 RegExp", measure((n) => scanV8(outputs.slice(0, n)), scanned("V8"))],
];
const v8Ms = runs[2]?.[1].ms ?? 0;
console.log(
  `\n${table([
    ["", "ms", "ms/MB", "× V8 RegExp", "heap Δ MB", "retained MB", "RSS Δ MB"],
    ...runs.map(([name, f]) => [
      name,
      ms(f.ms),
      ms(f.ms / (totalBytes / 1e6)),
      ratio(f.ms, v8Ms),
      mb(f.heapDeltaBytes),
      mb(f.retainedBytes),
      mb(f.rssDeltaBytes),
    ]),
  ])}\n`,
);
console.log(
  "ms/MB: per 10^6 bytes of output, all five patterns. heap Δ: heapUsed after the run minus before\n" +
    "(no collection in between, so it undercounts garbage when a scavenge ran); retained: after a full\n" +
    "collection, with the result still alive.",
);

// Which patterns cost what. output-check.ts locates a match with matcher().find() (it reports the
// line), which needs re2js's capture-tracking engine; test() only answers yes/no and may use its DFA.
const sample = outputs.slice(0, BREAKDOWN_TASKS);
const sampleMb = sample.reduce((n, o) => n + Buffer.byteLength(o), 0) / 1e6;
const perMb = (fn: (text: string) => unknown) => {
  for (const text of sample.slice(0, WARM_UP)) fn(text);
  return timed(() => sample.forEach(fn)).ms / sampleMb;
};
const breakdown = parsed.map((p, i) => {
  const find = perMb((text) => re2[i]?.matcher(text).find());
  const test = perMb((text) => re2[i]?.test(text));
  const native = perMb((text) => v8[i]?.test(text));
  const kind = i < PATTERNS.matches.length ? "matches" : "notMatches";
  return [`${kind} /${p.source}/${p.flags}`, ms(find), ms(test), ms(native), ratio(find, native)];
});
console.log(`\nper pattern, ms/MB over the first ${BREAKDOWN_TASKS} outputs\n`);
console.log(
  table([["", "re2js find() (shipped)", "re2js test()", "V8 RegExp", "find() / V8"], ...breakdown]),
);

// ─── 2. catastrophic backtracking: /(a+)+$/ on "a"×n + "!" ───

const evil = { source: "(a+)+$", flags: "" };
const evilRe2 = compileRegex(evil.source, evil.flags);
if (!(evilRe2 instanceof RE2JS)) throw new Error(evilRe2.problem);
const evilV8 = new RegExp(evil.source, evil.flags);
const V8_MAX_N = 20;
const subject = (n: number) => `${"a".repeat(n)}!`;
/** Microseconds, from milliseconds. */
const us = (milliseconds: number) => (milliseconds * 1000).toFixed(milliseconds < 0.01 ? 1 : 0);

const rows: string[][] = [];
const v8Times = new Map<number, number>();
for (const n of [12, 14, 16, 18, 20, 24, 28, 1_000, 100_000]) {
  const text = subject(n);
  const re2Ms = perCall(() => evilRe2.matcher(text).find());
  let v8Cell = "not run";
  if (n <= V8_MAX_N) {
    const v8Per = perCall(() => evilV8.test(text));
    v8Times.set(n, v8Per);
    v8Cell = us(v8Per);
  }
  const v8Per = v8Times.get(n);
  rows.push([String(n), us(re2Ms), v8Cell, v8Per === undefined ? "" : ratio(v8Per, re2Ms)]);
}

// Through the shipped path: a spec whose notMatches is the evil pattern, output "a"×28 + "!".
const evilSpec = parseOne(
  "version: 1\ntarget: { invocationId: inv-bench001 }\nexpect:\n  output: { notMatches: ['/(a+)+$/'] }\n",
);
const evilObservation = observationOf([taskWithOutput(1, subject(28))]);
const evilEvaluate = perCall(() => evaluate(evilSpec, evilObservation));
expectEqual("evil evaluate", evaluate(evilSpec, evilObservation).outcome, "pass");

const growth = (v8Times.get(20) ?? 0) / (v8Times.get(18) ?? 1);
const at28 = (v8Times.get(20) ?? 0) * growth ** 4;
console.log(`\n/(a+)+$/ on "a"×n + "!" (µs per call)\n`);
console.log(table([["n", "re2js", "V8 RegExp", "V8 / re2js"], ...rows]));
console.log(
  `\nevaluate() of a spec with notMatches /(a+)+$/ on "a"×28 + "!": ${us(evilEvaluate)} µs.\n` +
    `V8 grows ${growth.toFixed(1)}× per 2 more characters (n = 18 → 20); at that rate n = 28 would take ` +
    `about ${(at28 / 1000).toFixed(1)} s, and a 24 KiB line of "a" forever (extrapolated, not run).`,
);
if (!gcExposed()) console.log("(run with --expose-gc for memory figures taken after a collection)");
