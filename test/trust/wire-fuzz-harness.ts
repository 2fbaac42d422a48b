// A seeded mutation fuzzer over the wire, built as an attacker would: the TAT emulator serves a
// real scenario over signed HTTP, a hostile proxy in front of it parses each Describe answer and
// changes it in ONE way chosen by a seeded PRNG (any path of the JSON, walked generically, plus
// the lies that need to know what a field means), and the gate runs as runGate composes it
// (TatClient → tatReader → batchingReader → run, console and JSON reporters) on a manual clock.
//
// The trust invariant, for every mutation:
//  - a scenario in which a task FAILED never exits 0 (nor does it crash: exit 70, an exception or
//    an unhandled rejection);
//  - a scenario in which every task passed exits 0 only when what the gate judged is the truth:
//    every task, with the status, exit code, output and instance an honest run judges (see
//    `judgedTruly`); a lie it read past (a task said to be running, a walk that did not add up
//    and was walked again) may still end in a pass;
//  - nothing printed or reported contains the secret key, even when the proxy plants it.
//
// The sweep is wire-fuzz.test.ts, its findings wire-fuzz-findings.test.ts. FUZZ_SEED and
// FUZZ_CASES reproduce or widen a run, FUZZ_ONLY=3,17 replays cases, FUZZ_VERBOSE=1 tallies exit
// codes; a failure names the case, its seed and the mutation, enough to replay it alone.
import { afterAll, beforeAll, expect } from "@jest/globals";
import { staticCredentials } from "../../src/credentials/types.js";
import {
  buildScenario,
  type Emulator,
  type ManualClock,
  manualClock,
  startEmulator,
} from "../../src/emulator/index.js";
import type { RunReport, Spec } from "../../src/model.js";
import { consoleReporter } from "../../src/report/console.js";
import { createReporters } from "../../src/report/registry.js";
import { run } from "../../src/run.js";
import { parseSpecs } from "../../src/spec/load.js";
import { TatClient } from "../../src/tat/client.js";
import { RateLimiter } from "../../src/tat/rate-limiter.js";
import { batchingReader } from "../../src/wait/batching-reader.js";
import { tatReader } from "../../src/wait/tat-reader.js";
import { type HostileServer, hostileServer } from "../helpers/hostile-server.js";
import { prng } from "../helpers/prng.js";
import { Capture } from "../report/stream.js";

export const SEED = Number(process.env.FUZZ_SEED ?? 0x7a7_2026);
export const CASES = Number(process.env.FUZZ_CASES ?? 320);

export const CRED = {
  secretId: "AKIDFUZZ00000000000000000000000000000",
  secretKey: "Sk7f9Qx2-wire-fuzz-secret-never-shown",
};

export { prng };
export type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;

// ---------------------------------------------------------------------------------------------
// Scenarios: a small invocation target and a 105-task filters target (two pages), each once with
// a failing task (honest verdict exit 1) and once all green (exit 0).

export type Json = Record<string, unknown>;
export interface Scenario {
  name: string;
  failing: boolean;
  yaml: string;
  invocationId: string;
}

export const b64 = (s: string) => Buffer.from(s).toString("base64");

function scenarioOf(s: Scenario) {
  const fleet = s.name.startsWith("fleet");
  return buildScenario({
    credentials: [CRED],
    invocations: [
      fleet
        ? {
            id: s.invocationId,
            commandId: "cmd-fuzz0002",
            fleet: {
              count: 105,
              instancePrefix: "ins-fz",
              template: { timeline: "PENDING@0s RUNNING@1s SUCCESS@3s", output: "ok\n" },
              ...(s.failing && {
                overrides: [
                  { index: 104, timeline: "PENDING@0s RUNNING@1s FAILED@3s", exitCode: 2 },
                ],
              }),
            },
          }
        : {
            id: s.invocationId,
            commandId: "cmd-fuzz0001",
            tasks: [1, 2, 3].map((n) => ({
              instance: `ins-fuzz000${n}`,
              timeline:
                s.failing && n === 3
                  ? "PENDING@0s RUNNING@1s FAILED@3s"
                  : "PENDING@0s RUNNING@1s SUCCESS@3s",
              ...(s.failing && n === 3 ? { exitCode: 2, output: "boom\n" } : { output: "ok\n" }),
            })),
          },
    ],
  });
}

// Strict enough that a change to anything judged shows: exact status and code, output that is
// exactly "ok", no output cut, exactly these instances.
const SMALL_EXPECT = `expect:
  status: SUCCESS
  exitCode: 0
  output: { matches: ['/\\Aok\\n\\z/'] }
  truncated: false
instances:
  exactly: [ins-fuzz0001, ins-fuzz0002, ins-fuzz0003]
`;
const FLEET_EXPECT = `expect:
  status: SUCCESS
  exitCode: 0
  output: { matches: ['/\\Aok\\n\\z/'] }
  truncated: false
instances: { count: 105 }
`;
const WAIT = "wait: { timeout: 20s, minInterval: 1s, maxInterval: 2s }\n";

export const SCENARIOS: Scenario[] = [
  ["small", "inv-fuzz0001", false],
  ["small", "inv-fuzz0001", true],
  ["fleet", "inv-fuzz0002", false],
  ["fleet", "inv-fuzz0002", true],
].map(([kind, inv, failing]) => ({
  name: `${kind} ${failing ? "failing" : "passing"}`,
  failing: failing as boolean,
  invocationId: inv as string,
  yaml:
    `version: 1\nname: fuzz ${kind}\nregion: ap-guangzhou\n` +
    (kind === "fleet"
      ? `target: { filters: { invocation-id: [${inv}] } }\n${WAIT}${FLEET_EXPECT}`
      : `target: { invocationId: ${inv} }\n${WAIT}${SMALL_EXPECT}`),
}));

// ---------------------------------------------------------------------------------------------
// Mutations. Every one works on a parsed answer (`Response`) and says what it did.

type Path = (string | number)[];

/** Every path in the answer, depth first (the root excluded). */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [];
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push([...prefix, i], ...pathsOf(v, [...prefix, i]));
    });
  } else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value))
      out.push([...prefix, k], ...pathsOf(v, [...prefix, k]));
  }
  return out;
}

function parentOf(root: unknown, path: Path): { parent: Json | unknown[]; key: string | number } {
  let node = root as Json;
  for (const k of path.slice(0, -1)) node = (node as Json)[k as string] as Json;
  return { parent: node, key: path[path.length - 1] as string | number };
}
const getAt = (root: unknown, path: Path): unknown => {
  const { parent, key } = parentOf(root, path);
  return (parent as Json)[key as string];
};
function setAt(root: unknown, path: Path, value: unknown): void {
  const { parent, key } = parentOf(root, path);
  (parent as Json)[key as string] = value;
}
function deleteAt(root: unknown, path: Path): void {
  const { parent, key } = parentOf(root, path);
  if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete (parent as Json)[key as string];
}
const show = (p: Path) => p.map((k) => (typeof k === "number" ? `[${k}]` : `.${k}`)).join("");

/** What a value becomes under a generic mutation, chosen by its type. */
function genericValue(rng: Rng, v: unknown): { value: unknown; what: string } {
  const common: [string, unknown][] = [
    ["null", null],
    ["an empty string", ""],
    ["a huge number", 1e21],
    ["2^53 + 2", 2 ** 53 + 2],
    ["-1", -1],
    ['"NaN"', "NaN"],
    ['"Infinity"', "Infinity"],
    ["0.5", 0.5],
    ["true", true],
    ["an object", { x: 1 }],
    ["an empty array", []],
  ];
  const typed: [string, unknown][] =
    typeof v === "number"
      ? [
          ["its string", String(v)],
          ["+1", v + 1],
          ["-1 of it", v - 1],
          ["its negation", -v],
          ["0", 0],
        ]
      : typeof v === "string"
        ? [
            ["a number", 7],
            ["lower case", v.toLowerCase()],
            ["a trailing space", `${v} `],
            [
              "a changed last character",
              v.length ? `${v.slice(0, -1)}${v.endsWith("0") ? "1" : "0"}` : "0",
            ],
            ["doubled", v + v],
            ["a NUL added", `${v}\u0000`],
          ]
        : Array.isArray(v)
          ? [["an object", Object.fromEntries(v.map((x, i) => [i, x]))]]
          : typeof v === "object" && v !== null
            ? [["an array", Object.values(v)]]
            : [];
  const [what, value] = pick(rng, [...common, ...typed, ...typed]);
  return { value, what };
}

/** A record of a non-empty record set of the answer, chosen at random: its set, path and index. */
function pickRecord(
  r: Json,
  rng: () => number,
): { set: unknown[]; p: Path; i: number } | undefined {
  const sets = recordSets(r).filter((p) => (getAt(r, p) as unknown[]).length > 0);
  if (sets.length === 0) return undefined;
  const p = pick(rng, sets);
  const set = getAt(r, p) as unknown[];
  return { set, p, i: Math.floor(rng() * set.length) };
}

/** Record sets of an answer: `InvocationTaskSet`, `InvocationSet`, each invocation's task list. */
function recordSets(r: Json): Path[] {
  const sets: Path[] = [];
  for (const p of [["InvocationTaskSet"], ["InvocationSet"]] as Path[]) {
    if (Array.isArray(getAt(r, p))) sets.push(p);
  }
  const invs = r.InvocationSet;
  if (Array.isArray(invs)) {
    invs.forEach((inv, i) => {
      if (Array.isArray((inv as Json)?.InvocationTaskBasicInfoSet))
        sets.push(["InvocationSet", i, "InvocationTaskBasicInfoSet"]);
    });
  }
  return sets;
}

const STATUSES = [
  "PENDING",
  "RUNNING",
  "DELIVERING",
  "CANCELLING",
  "SUCCESS",
  "FAILED",
  "TIMEOUT",
  "CANCELLED",
  "TERMINATED",
  "START_FAILED",
  "success",
  "DONE",
  "SUCCESS ",
  "PARTIAL_FAILED",
  // Names objects already have: a table keyed by status must not find them there.
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
];

/** A mutation, resolved against one answer: changes `r` in place, or returns a whole answer to
 * send instead. `undefined` when it does not apply to this answer. */
export type Mutation = (
  r: Json,
  rng: Rng,
  ctx: { earlier: Json[]; secret: string; request: Json },
) => { what: string; replace?: Json } | undefined;

const fieldPaths = (r: Json, name: string) => pathsOf(r).filter((p) => p[p.length - 1] === name);

function setField(name: string, values: readonly unknown[]): Mutation {
  return (r, rng) => {
    const paths = fieldPaths(r, name);
    if (paths.length === 0) return undefined;
    const p = pick(rng, paths);
    const v = pick(rng, values);
    setAt(r, p, v);
    return { what: `${show(p)} = ${JSON.stringify(v)}` };
  };
}

export const MUTATIONS: Record<string, Mutation> = {
  // Any path, any type: the shapes nobody thought of.
  generic(r, rng) {
    const paths = pathsOf(r);
    const p = pick(rng, paths);
    const { value, what } = genericValue(rng, getAt(r, p));
    setAt(r, p, value);
    return { what: `${show(p)} set to ${what}` };
  },
  delete(r, rng) {
    const p = pick(rng, pathsOf(r));
    deleteAt(r, p);
    return { what: `${show(p)} deleted` };
  },
  duplicateRecord(r, rng) {
    const at = pickRecord(r, rng);
    if (!at) return undefined;
    at.set.splice(at.i + 1, 0, structuredClone(at.set[at.i]));
    return { what: `${show(at.p)}[${at.i}] served twice` };
  },
  dropRecord(r, rng) {
    const at = pickRecord(r, rng);
    if (!at) return undefined;
    at.set.splice(at.i, 1);
    return { what: `${show(at.p)}[${at.i}] dropped` };
  },
  reorderRecords(r, rng) {
    const sets = recordSets(r).filter((p) => (getAt(r, p) as unknown[]).length > 1);
    if (sets.length === 0) return undefined;
    const p = pick(rng, sets);
    (getAt(r, p) as unknown[]).reverse();
    return { what: `${show(p)} reversed` };
  },
  swapFields(r, rng) {
    const sets = recordSets(r).filter((p) => (getAt(r, p) as unknown[]).length > 1);
    if (sets.length === 0) return undefined;
    const p = pick(rng, sets);
    const set = getAt(r, p) as Json[];
    const i = Math.floor(rng() * set.length);
    let j = Math.floor(rng() * (set.length - 1));
    if (j >= i) j++;
    const a = set[i] as Json;
    const b = set[j] as Json;
    const keys = [
      ...Object.keys(a).filter((k) => k in b),
      ...(a.TaskResult && b.TaskResult ? ["TaskResult.ExitCode", "TaskResult.Output"] : []),
    ];
    const k = pick(rng, keys);
    const [outer, inner] = k.split(".") as [string, string | undefined];
    const holderA = inner ? (a[outer] as Json) : a;
    const holderB = inner ? (b[outer] as Json) : b;
    const key = inner ?? outer;
    [holderA[key], holderB[key]] = [holderB[key], holderA[key]];
    return { what: `${show(p)}[${i}] and [${j}] swap ${k}` };
  },
  totalCount(r, rng) {
    const d = pick(rng, [1, -1, 2, -2, 100, 1e6]);
    const before = r.TotalCount as number;
    r.TotalCount = before + d;
    return { what: `TotalCount ${before} → ${before + d}` };
  },
  taskStatus: setField("TaskStatus", STATUSES),
  invocationStatus: setField("InvocationStatus", STATUSES),
  exitCode: setField("ExitCode", [0, 1, 2, -1, 255, 2 ** 31, -(2 ** 31) - 1]),
  dropped: setField("Dropped", [1, 24 * 1024, 2 ** 40]),
  output(r, rng) {
    const paths = fieldPaths(r, "Output");
    if (paths.length === 0) return undefined;
    const p = pick(rng, paths);
    const v = getAt(r, p);
    const s = typeof v === "string" ? v : "";
    const [what, value] = pick(rng, [
      ["cut by 4 characters", s.slice(0, -4)],
      ["cut by 1 character", s.slice(0, -1)],
      ["unpadded", s.replace(/=+$/, "")],
      ["with a line break", `${s.slice(0, 2)}\n${s.slice(2)}`],
      ["not base64", "b2sK!!!!"],
      ["url-safe base64", b64("ok\n>?>").replace(/\+/g, "-").replace(/\//g, "_")],
      ['"ok\\n"', b64("ok\n")],
      ['"boom\\n"', b64("boom\n")],
      ['"ok\\nERROR\\n"', b64("ok\nERROR\n")],
      ["invalid UTF-8", Buffer.from([0x6f, 0x6b, 0xff, 0x0a]).toString("base64")],
      ["empty", ""],
    ] as [string, string][]);
    setAt(r, p, value);
    return { what: `${show(p)} ${what}` };
  },
  cos(r, rng) {
    const paths = fieldPaths(r, "TaskResult");
    if (paths.length === 0) return undefined;
    const p = pick(rng, paths);
    const result = getAt(r, p) as Json;
    if (typeof result !== "object" || result === null) return undefined;
    const [what, change] = pick(rng, [
      ["upload error", { OutputUploadCOSErrorInfo: "upload failed: AccessDenied" }],
      ["upload error not a string", { OutputUploadCOSErrorInfo: 403 }],
      ["an OutputUrl", { OutputUrl: "https://b-1250000000.cos.ap-guangzhou.myqcloud.com/x" }],
      ["an OutputUrl to elsewhere", { OutputUrl: "http://127.0.0.1:1/steal" }],
    ] as [string, Json][]);
    Object.assign(result, change);
    return { what: `${show(p)} ${what}` };
  },
  errorBeside(r, rng) {
    const error = pick(rng, [
      { Code: "InternalError", Message: "try again" },
      { Code: "ResourceNotFound.InvocationNotFound", Message: "gone" },
      { Code: 7 },
      "InternalError",
      {},
      null,
    ]);
    r.Error = error;
    return { what: `Error ${JSON.stringify(error)} beside the data` };
  },
  reassignId(r, rng) {
    const name = pick(rng, ["InvocationId", "InvocationTaskId", "InstanceId"]);
    const paths = fieldPaths(r, name);
    if (paths.length === 0) return undefined;
    const p = pick(rng, paths);
    const others = [...new Set(paths.map((q) => getAt(r, q)))].filter((v) => v !== getAt(r, p));
    const value =
      others.length > 0 && rng() < 0.6
        ? pick(rng, others)
        : pick(rng, ["inv-fuzz0009", "invt-fuzz0009", "ins-fuzz0009", "__proto__", "constructor"]);
    setAt(r, p, value);
    return { what: `${show(p)} = ${JSON.stringify(value)}` };
  },
  plantSecret(r, rng, { secret }) {
    const strings = pathsOf(r).filter((p) => typeof getAt(r, p) === "string");
    const outputs = fieldPaths(r, "Output");
    if (outputs.length > 0 && rng() < 0.5) {
      const p = pick(rng, outputs);
      setAt(r, p, b64(`ok\n${secret}\n`));
      return { what: `${show(p)} prints the secret` };
    }
    const p = pick(rng, strings);
    setAt(r, p, secret);
    return { what: `${show(p)} = the secret` };
  },
  // An attacker's aim: the failed task made to look passed where its record and output are read
  // (some or all of status, exit code and output), or made to vanish. A lie told whole in every
  // answer cannot be seen on the wire; these leave a trace (an earlier or other read, the count).
  forgeFailed(r, rng, { request }) {
    if (request.HideOutput !== false) return undefined;
    const set = r.InvocationTaskSet as Json[];
    const failed = set.filter((t) => t.TaskStatus === "FAILED");
    if (failed.length === 0) return undefined;
    const parts = pick(rng, [
      ["status"],
      ["exit"],
      ["output"],
      ["status", "exit"],
      ["status", "output"],
      ["exit", "output"],
      ["status", "exit", "output"],
    ]);
    for (const t of failed) {
      const result = t.TaskResult as Json;
      if (parts.includes("status")) t.TaskStatus = "SUCCESS";
      if (parts.includes("exit")) result.ExitCode = 0;
      if (parts.includes("output")) result.Output = b64("ok\n");
    }
    return { what: `the failed task forged: ${parts.join(", ")}` };
  },
  hideFailed(r, rng) {
    const sets = recordSets(r);
    let hidden = 0;
    const recount = rng() < 0.7;
    for (const p of sets) {
      const set = getAt(r, p) as Json[];
      const kept = set.filter((t) => t?.TaskStatus !== "FAILED");
      hidden += set.length - kept.length;
      setAt(r, p, kept);
      if (recount && p[0] === "InvocationTaskSet")
        r.TotalCount = (r.TotalCount as number) - (set.length - kept.length);
    }
    return hidden > 0
      ? { what: `the failed task left out${recount ? ", TotalCount to match" : ""}` }
      : undefined;
  },
  // The whole answer: an earlier one again (the same page twice, a page of another offset, a
  // stale state).
  stale(_r, rng, { earlier }) {
    if (earlier.length === 0) return undefined;
    const i = Math.floor(rng() * earlier.length);
    return {
      what: `answer #${i} of this action again`,
      replace: structuredClone(earlier[i]) as Json,
    };
  },
};
/** The mutations that find their fields in each action's answers. */
const TASK_ONLY = new Set(["exitCode", "dropped", "output", "cos", "swapFields", "forgeFailed"]);
/** Aimed at the failed task: they find nothing to change in a passing scenario. */
const ATTACKS = new Set(["forgeFailed", "hideFailed"]);
const mutationsOf = (action: Case["action"], failing: boolean) =>
  Object.keys(MUTATIONS).filter(
    (m) =>
      (failing || !ATTACKS.has(m)) &&
      (action === "DescribeInvocations" ? !TASK_ONLY.has(m) : m !== "invocationStatus"),
  );

// ---------------------------------------------------------------------------------------------
// One case.

export interface Case {
  n: number;
  seed: number;
  scenario: Scenario;
  action: "DescribeInvocations" | "DescribeInvocationTasks";
  /** Which answers of that action are changed: every one from `nth` on, or the first of them the
   * mutation applies to. */
  nth: number;
  every: boolean;
  mutation: string;
  /** Scenario time the run starts at. */
  startMs: number;
}

export interface Applied {
  nth: number;
  what: string;
  /** The request it answered, for the account of a case. */
  request: string;
}

export interface CaseResult {
  report: RunReport;
  out: string;
  applied: Applied[];
  answers: number;
}

export function caseOf(n: number): Case {
  const seed = (SEED + Math.imul(n, 0x9e3779b1)) >>> 0;
  const rng = prng(seed);
  const scenario = SCENARIOS[n % SCENARIOS.length] as Scenario;
  // A filters target reads only DescribeInvocationTasks.
  const action =
    rng() < 0.35 && !scenario.name.startsWith("fleet")
      ? "DescribeInvocations"
      : "DescribeInvocationTasks";
  const aimed = rng() < 0.33;
  return {
    n,
    seed,
    scenario,
    action,
    nth: pick(rng, [0, 0, 0, 1]),
    every: rng() < 0.5,
    // A third of a failing scenario's cases aim at its failed task.
    mutation: pick(
      rng,
      mutationsOf(action, scenario.failing).filter(
        (m) => ATTACKS.has(m) === (scenario.failing && aimed),
      ),
    ),
    startMs: pick(rng, [0, 1500, 5000, 5000, 5000]),
  };
}

const emulators = new Map<string, Emulator>();
const START = Date.UTC(2026, 10, 28, 1, 0, 0);
const clock: ManualClock = manualClock(START);
/** Signing time and the emulator's wall clock, one fake: 100 ms per reading keeps hundreds of
 * runs a second under the emulator's 20 requests a second, and signatures never expire. */
let wallMs = Date.now();
const wall = () => {
  wallMs += 100;
  return wallMs;
};

/** One emulator per scenario, shared by every case of a test file. */
export function withEmulators(): void {
  beforeAll(async () => {
    for (const s of SCENARIOS) {
      emulators.set(s.name, await startEmulator({ scenario: scenarioOf(s), clock, wallNow: wall }));
    }
  });
  afterAll(async () => {
    for (const e of emulators.values()) await e.close();
    emulators.clear();
  });
}

export async function runCase(
  c: Case,
  mutate = MUTATIONS[c.mutation] as Mutation,
): Promise<CaseResult> {
  const emulator = emulators.get(c.scenario.name) as Emulator;
  const applied: Applied[] = [];
  const earlier: Json[] = [];
  let answers = 0;
  const hostile: HostileServer = await hostileServer(emulator.url, (req, up) => {
    if (req.action !== c.action || up.response.Error !== undefined) return undefined;
    const k = answers++;
    const original = structuredClone(up.response);
    // One answer: the first from #nth on that the mutation applies to.
    const due = k >= c.nth && (c.every || applied.length === 0);
    try {
      if (!due) return undefined;
      const done = mutate(up.response, prng(c.seed ^ (k + 1)), {
        earlier,
        secret: CRED.secretKey,
        request: req.params,
      });
      if (!done) return undefined;
      applied.push({
        nth: k,
        what: done.what,
        request: JSON.stringify({
          ...req.params,
          Filters: undefined,
          InvocationTaskIds: undefined,
        }),
      });
      return done.replace ? { json: { Response: done.replace } } : undefined;
    } finally {
      earlier.push(original);
    }
  });
  try {
    // Some cases start while tasks still run, most when they have ended: the mutations meet both.
    clock.set(START + c.startMs);
    const client = new TatClient({
      endpoint: hostile.url,
      region: "ap-guangzhou",
      credentials: staticCredentials(CRED),
      now: wall,
      sleep: async () => {},
      limiter: new RateLimiter({ limit: 1000, now: wall, sleep: async () => {} }),
    });
    const { specs, issues } = parseSpecs(c.scenario.yaml, "fuzz.yml", { env: {} });
    expect(issues).toEqual([]);
    const console_ = new Capture();
    const json = new Capture();
    const secrets = [CRED.secretKey];
    const report = await run({
      specs: specs as Spec[],
      api: batchingReader(tatReader(client)),
      reporters: [
        consoleReporter({ out: console_, live: false, color: false, now: clock.now }),
        ...createReporters(["json:-"], {
          env: {},
          cwd: "/nonexistent",
          stderr: console_,
          stdout: console_,
          reportStdout: json,
          secrets,
        }),
      ],
      version: "fuzz",
      now: () => clock.now(),
      sleep: async (ms) => clock.advance(ms),
      random: () => 0,
      secrets,
      warn: (m) => console_.write(`warning: ${m}\n`),
    });
    return { report, out: console_.text + json.text, applied, answers };
  } finally {
    await hostile.close();
  }
}

/** What a run judged, task by task: the fields an honest run must agree on. */
function judged(report: RunReport): string {
  return JSON.stringify(
    report.specs
      .flatMap((s) => s.tasks)
      .map(({ observed: o }) => [
        o.invocationId,
        o.taskId,
        o.instanceId,
        o.status,
        o.exitCode,
        o.droppedBytes,
        o.outputSummary?.chars,
        o.outputSummary?.lines,
        o.outputUndecodable,
      ])
      .sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
  );
}

const honest = new Map<string, string>();

/** Exit 0 on a passing scenario is honest only when the tasks judged are the real ones, read as an
 * unmutated run reads them (computed once per scenario). */
export async function judgedTruly(c: Case, report: RunReport): Promise<boolean> {
  if (c.scenario.failing) return false;
  let truth = honest.get(c.scenario.name);
  if (truth === undefined) {
    const clean = await runCase({ ...c, nth: Number.POSITIVE_INFINITY }, () => undefined);
    expect(clean.report.exitCode).toBe(0);
    truth = judged(clean.report);
    honest.set(c.scenario.name, truth);
  }
  return judged(report) === truth;
}

export function describeCase(c: Case, r: CaseResult): string {
  const muts = r.applied.map((a) => `#${a.nth} ${a.request}: ${a.what}`);
  return [
    `case ${c.n} (FUZZ_SEED=${SEED}, seed ${c.seed}): ${c.scenario.name}, ${c.action} ${c.every ? `every answer from #${c.nth}` : `one answer from #${c.nth}`}, ${c.mutation}`,
    ...muts.map((m) => `  ${m}`),
    `  exit ${r.report.exitCode}: ${r.report.specs.map((s) => s.observation.reason ?? s.outcome).join("; ")}`,
    ...r.report.errors.map((e) => `  error: ${e.message}`),
  ].join("\n");
}
