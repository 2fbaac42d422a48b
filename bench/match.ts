// Benchmark: what judging output costs, against V8's RegExp on the same patterns in the same run
// (the "speed of light": V8 is not safe on hostile patterns, but on these it is as fast as it gets).
//
// 1. evaluate() of a spec with 3 `matches` + 2 `notMatches` regexes over 2,000 tasks of 24 KiB
//    output each (the shipped path: src/match/compiled-pattern.ts over re2js), ms per MB against the
//    same five patterns run with V8 RegExp. Goal: within 10× of V8.
// 2. Per pattern: the shipped compiled pattern, plain re2js test() and find(), and V8.
// 3. A notMatches that finds its pattern in every output: the cost of locating the line.
// 4. The catastrophic pattern /(a+)+$/ on 1 MiB, through evaluate(): a match (decided, then
//    located for the message) and a near miss ("a"×n + "!"). Goal: < 50 ms each. V8 backtracks
//    exponentially on it and is run only on short inputs for comparison.
//
//   node --import tsx --expose-gc bench/match.ts        (or: npm run bench)
//
// Runs straight from src/ through tsx; nothing is built, no network. About 40 s on 2 cores.
import { RE2JS } from "re2js";
import { compilePattern } from "../src/match/compiled-pattern.js";
import { evaluate } from "../src/match/evaluate.js";
import type { Observation, TaskObservation } from "../src/model.js";
import { compileRegex, isPatternProblem, parsePattern } from "../src/spec/pattern.js";
import { gcExposed } from "./lib/memory.js";
import { mb, ms, ratio, table } from "./lib/table.js";
import { loadText, median, perCall, timed, timedCpu } from "./lib/timing.js";
import { benchSpec, deployLog, PATTERNS, parseOne, taskWithOutput } from "./match-input.js";

const TASKS = 2000;
const ROUNDS = 3;
const WARM_UP = 100;
/** Tasks in the per-pattern breakdown (a quarter of the outputs is plenty to rank the patterns). */
const BREAKDOWN_TASKS = 500;
const GOAL_TIMES_V8 = 10;
const GOAL_PATHOLOGICAL_MS = 50;

const verdict = (met: boolean) => (met ? "met" : "MISSED");

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
const shipped = parsed.map((p) => {
  const c = compilePattern(p);
  if ("problem" in c) throw new Error(c.problem);
  return c;
});
const v8 = parsed.map((p) => new RegExp(p.source, p.flags));

/** Bare scans, no report building: how many (task, pattern) pairs matched. */
const scanShipped = (texts: string[]) => {
  let found = 0;
  for (const text of texts) for (const p of shipped) if (p.test(text)) found++;
  return found;
};
const scanV8 = (texts: string[]) => {
  let found = 0;
  for (const text of texts) for (const re of v8) if (re.test(text)) found++;
  return found;
};

/** Median time of ROUNDS runs over all tasks, after a warm-up over the first WARM_UP tasks. */
function measure(run: (n: number) => unknown, check: (value: unknown, n: number) => void): number {
  check(run(WARM_UP), WARM_UP);
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    globalThis.gc?.();
    const { value, ms: elapsed } = timed(() => run(TASKS));
    check(value, TASKS);
    times.push(elapsed);
  }
  return median(times);
}

function expectEqual(what: string, actual: unknown, expected: unknown): void {
  if (actual !== expected) throw new Error(`${what}: got ${actual}, expected ${expected}`);
}

// ─── 1. five patterns over 2,000 × 24 KiB ───

const outputs = Array.from({ length: TASKS }, (_, i) => deployLog(i + 1));
const observation = observationOf(outputs.map((o, i) => taskWithOutput(i + 1, o)));
const totalBytes = outputs.reduce((n, o) => n + Buffer.byteLength(o), 0);
const totalMb = totalBytes / 1e6;
const spec = benchSpec();

console.log(
  `match: ${TASKS} tasks × ${Buffer.byteLength(outputs[0] ?? "")} bytes of output = ${mb(totalBytes)} MB; ` +
    `${PATTERNS.matches.length} matches + ${PATTERNS.notMatches.length} notMatches; median of ${ROUNDS} runs after a warm-up.`,
);

const observationOfFirst = (n: number) =>
  n === TASKS ? observation : { ...observation, tasks: observation.tasks.slice(0, n) };
const scanned = (what: string) => (v: unknown, n: number) =>
  expectEqual(what, v, n * PATTERNS.matches.length);
const evaluateMs = measure(
  (n) => evaluate(spec, observationOfFirst(n)),
  (v) => expectEqual("evaluate outcome", (v as ReturnType<typeof evaluate>).outcome, "pass"),
);
const shippedMs = measure((n) => scanShipped(outputs.slice(0, n)), scanned("shipped"));
const v8Ms = measure((n) => scanV8(outputs.slice(0, n)), scanned("V8"));
console.log(
  `\n${table([
    ["", "ms", "ms/MB", "× V8 RegExp"],
    ["evaluate() (shipped)", ms(evaluateMs), ms(evaluateMs / totalMb), ratio(evaluateMs, v8Ms)],
    [
      "bare scan, compiled patterns",
      ms(shippedMs),
      ms(shippedMs / totalMb),
      ratio(shippedMs, v8Ms),
    ],
    ["bare scan, V8 RegExp", ms(v8Ms), ms(v8Ms / totalMb), ratio(v8Ms, v8Ms)],
  ])}\n`,
);
const timesV8 = evaluateMs / v8Ms;
console.log(
  `goal: evaluate() within ${GOAL_TIMES_V8}× of V8 RegExp per MB: ${timesV8.toFixed(1)}× → ${verdict(timesV8 <= GOAL_TIMES_V8)}`,
);

// ─── 2. per pattern ───

const sample = outputs.slice(0, BREAKDOWN_TASKS);
const sampleMb = sample.reduce((n, o) => n + Buffer.byteLength(o), 0) / 1e6;
const perMb = (fn: (text: string) => unknown) => {
  for (const text of sample.slice(0, WARM_UP)) fn(text);
  return timed(() => sample.forEach(fn)).ms / sampleMb;
};
const breakdown = parsed.map((p, i) => {
  const ours = perMb((text) => shipped[i]?.test(text));
  const test = perMb((text) => re2[i]?.test(text));
  const find = perMb((text) => re2[i]?.matcher(text).find());
  const native = perMb((text) => v8[i]?.test(text));
  const kind = i < PATTERNS.matches.length ? "matches" : "notMatches";
  return [
    `${kind} /${p.source}/${p.flags}`,
    ms(ours),
    ms(test),
    ms(find),
    ms(native),
    ratio(ours, native),
  ];
});
console.log(`\nper pattern, ms/MB over the first ${BREAKDOWN_TASKS} outputs\n`);
console.log(
  table([
    ["", "shipped", "re2js test()", "re2js find()", "V8 RegExp", "shipped / V8"],
    ...breakdown,
  ]),
);

// ─── 3. locating: a notMatches found in every output ───

const found = parseOne(
  "version: 1\ntarget: { invocationId: inv-bench001 }\nexpect:\n  output: { notMatches: ['/^done in \\d+ms$/m', '/HEALTH(CHECK)?:\\s+(ok|passed)/i'] }\n",
);
const foundObservation = observationOf(observation.tasks.slice(0, BREAKDOWN_TASKS));
evaluate(found, observationOf(observation.tasks.slice(0, WARM_UP)));
const foundMs = timed(() => evaluate(found, foundObservation)).ms;
expectEqual("found outcome", evaluate(found, foundObservation).outcome, "fail");
console.log(
  `\nnotMatches found in every output (2 patterns, line located, excerpt built): ${ms(foundMs / sampleMb)} ms/MB`,
);

// ─── 4. catastrophic backtracking: /(a+)+$/ ───

const MIB = 1024 * 1024;
const evilSpec = parseOne(
  "version: 1\ntarget: { invocationId: inv-bench001 }\nexpect:\n  output: { notMatches: ['/(a+)+$/'] }\n",
);
const evilRuns: [string, string, string][] = [
  ["1 MiB of a (matches: decided, then located)", "a".repeat(MIB), "fail"],
  ['1 MiB of a + "!" (no match)', `${"a".repeat(MIB)}!`, "pass"],
  [
    "1 MiB of 80-char lines of a (matches on the last)",
    `${"a".repeat(79)}\n`.repeat(MIB / 80).slice(0, -1),
    "fail",
  ],
];
const evilRows = evilRuns.map(([name, text, outcome]) => {
  const obs = observationOf([taskWithOutput(1, text)]);
  expectEqual(`evil ${name}`, evaluate(evilSpec, obs).outcome, outcome);
  const runs = Array.from({ length: 5 }, () => timedCpu(() => evaluate(evilSpec, obs)));
  return { name, t: median(runs.map((r) => r.ms)), cpu: median(runs.map((r) => r.cpuMs)) };
});
console.log(
  `\n/(a+)+$/ as a notMatches, evaluate() on 1 MiB (median of 5; ${loadText()}; the goal is judged on CPU ms)\n`,
);
console.log(table([["", "ms", "CPU ms"], ...evilRows.map((r) => [r.name, ms(r.t), ms(r.cpu)])]));
const worstEvil = Math.max(...evilRows.map((r) => r.cpu));
const worstEvilWall = Math.max(...evilRows.map((r) => r.t));
console.log(
  `goal: pathological pattern on 1 MiB < ${GOAL_PATHOLOGICAL_MS} ms: worst ${ms(worstEvil)} CPU ms (${ms(worstEvilWall)} ms wall) → ${verdict(worstEvil < GOAL_PATHOLOGICAL_MS)}`,
);

const evilV8 = /(a+)+$/;
const subject = (n: number) => `${"a".repeat(n)}!`;
const v8Rows: string[][] = [];
for (const n of [16, 18, 20]) {
  v8Rows.push([String(n), ms(perCall(() => evilV8.test(subject(n))))]);
}
console.log(`\nfor comparison, V8 RegExp on "a"×n + "!" (ms per call; it doubles per character)\n`);
console.log(table([["n", "V8 RegExp ms"], ...v8Rows]));

console.log(
  `\nsummary: evaluate ${ms(evaluateMs / totalMb)} ms/MB = ${timesV8.toFixed(1)}× V8 (goal ≤ ${GOAL_TIMES_V8}×: ${verdict(timesV8 <= GOAL_TIMES_V8)}); ` +
    `/(a+)+$/ on 1 MiB ${ms(worstEvil)} CPU ms (goal < ${GOAL_PATHOLOGICAL_MS} ms: ${verdict(worstEvil < GOAL_PATHOLOGICAL_MS)}); ${loadText()}`,
);
if (!gcExposed()) console.log("(run with --expose-gc for steadier figures)");
