// The streaming judge: each task is judged as its full record arrives and its output is let go.
// Against the old way (every output kept until the wait ends, then the whole fleet judged in one
// go), it must reach the same verdicts, and it must not keep outputs alive.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, test } from "@jest/globals";
import { staticCredentials } from "../../src/credentials/types.js";
import { loadScenario, manualClock, startEmulator } from "../../src/emulator/index.js";
import type { Check, Judgement } from "../../src/match/check.js";
import { evaluate } from "../../src/match/evaluate.js";
import { SharedResults } from "../../src/match/shared-results.js";
import { PASSING_TAILS, SpecTally } from "../../src/match/tally.js";
import type { Recording, Spec, TaskObservation, TaskVerdict } from "../../src/model.js";
import { plan } from "../../src/plan/plan.js";
import { parseSpecs } from "../../src/spec/load.js";
import { TatClient } from "../../src/tat/client.js";
import type { InvocationTask } from "../../src/tat/types.js";
import { observe } from "../../src/wait/observe.js";
import { tatReader } from "../../src/wait/tat-reader.js";
import { TaskTracker } from "../../src/wait/tracker.js";
import { observation, specFrom, task } from "./helpers.js";

const casesDir = fileURLToPath(new URL("../e2e/cases", import.meta.url));

/** Every e2e case whose spec files load and whose scenario has credentials: real specs, real
 * scenarios, every wait ending (terminal, timeout, not found, API error). */
function e2eCases(): { name: string; specs: Spec[]; dir: string }[] {
  const out: { name: string; specs: Spec[]; dir: string }[] = [];
  for (const name of readdirSync(casesDir)) {
    const dir = join(casesDir, name);
    const files = readdirSync(dir).filter((f) => f.endsWith(".yml") && f !== "scenario.yml");
    const specs: Spec[] = [];
    let valid = files.length > 0;
    for (const f of files) {
      const parsed = parseSpecs(readFileSync(join(dir, f), "utf8"), f, {
        env: { TENCENTCLOUD_REGION: "ap-guangzhou" },
      });
      if (parsed.issues.length > 0) valid = false;
      specs.push(...parsed.specs);
    }
    if (valid) out.push({ name, specs, dir });
  }
  return out;
}

describe("streaming verdicts equal whole-fleet evaluation", () => {
  const cases = e2eCases();
  test("there are cases", () => expect(cases.length).toBeGreaterThanOrEqual(10));

  test.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const scenario = await loadScenario(join(c.dir, "scenario.yml"));
    const clock = manualClock();
    const emulator = await startEmulator({ scenario, clock });
    try {
      const cred = emulator.credentials[0];
      if (!cred) throw new Error("no credentials in the scenario");
      const client = new TatClient({
        endpoint: emulator.url,
        region: "ap-guangzhou",
        credentials: staticCredentials(cred),
        sleep: async (ms) => clock.advance(ms),
      });
      // Waits the e2e cases leave unfinished on purpose (fail-fast, SIGINT) end at 10 s.
      for (const probe of plan(c.specs, { regionEnv: "ap-guangzhou", timeoutMs: 10_000 })) {
        if (probe.spec.skip) continue;
        const tally = new SpecTally(probe.spec);
        // The old way's input: every full record, output included, kept to the end.
        const full = new Map<string, TaskObservation>();
        const obs = await observe(probe, {
          api: tatReader(client),
          now: () => clock.now(),
          sleep: async (ms) => clock.advance(ms),
          random: () => 0.5,
          onTask: (t) => {
            full.set(t.taskId, structuredClone(t));
            tally.add(t);
          },
        });
        const recording: Recording = {
          ...obs,
          tasks: obs.tasks.map((t) => full.get(t.taskId) ?? (t as TaskObservation)),
        };
        expect(tally.verdict(obs)).toEqual(evaluate(probe.spec, recording));
      }
    } finally {
      await emulator.close();
    }
  });

  test("order of arrival does not matter, and quorum and coverage read the running tallies", () => {
    const spec = specFrom(
      [
        "expect: { exitCode: 0, output: { matches: ['deploy ok'], notMatches: ['/ERROR/'] } }",
        "quorum: { maxFailures: 1 }",
        "instances: { count: 4 }",
      ].join("\n"),
    );
    const tasks = [
      task(),
      task({ status: "FAILED", exitCode: 2 }),
      task({ output: "ERROR: disk full\n" }),
      task({ status: "RUNNING", terminal: false, exitCode: undefined }),
    ];
    const whole = evaluate(spec, observation(tasks, { state: "timeout" }));
    const tally = new SpecTally(spec);
    for (const t of [...tasks].reverse()) if (t.terminal) tally.add(t);
    expect(tally.counts).toEqual({ pass: 1, fail: 2, error: 0, skip: 0 });
    expect(tally.firstNotPassed?.instanceId).toBe(tasks[1]?.instanceId);
    const slim = observation(tasks, { state: "timeout" });
    slim.tasks = tasks.map(({ output: _o, ...rest }) => rest);
    expect(tally.verdict(slim)).toEqual(whole);
    expect(whole.fleet.map((r) => [r.check, r.outcome])).toEqual([
      ["tasks", "pass"],
      ["coverage", "pass"],
      ["quorum", "fail"],
      ["wait", "error"],
    ]);
  });
});

/** `gc()` for this test only: node exposes it on request, at run time. */
function collector(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

describe("outputs are let go once judged", () => {
  test("judging 64 tasks of 1 MB keeps well under one of them alive", () => {
    const gc = collector();
    const spec = specFrom(
      "expect: { output: { matches: ['/never printed/'], notMatches: ['/FATAL \\d+/'] } }",
    );
    const tally = new SpecTally(spec);
    const tracker = new TaskTracker(true, undefined, (t) => tally.add(t));
    gc();
    const before = process.memoryUsage().heapUsed;
    const MB = 1 << 20;
    for (let i = 0; i < 64; i++) {
      // Each output is its own string, with a finding in the middle (an excerpt cut around it)
      // and long lines at the end (the tail kept).
      const line = `${String(i).padStart(6, "0")} ${"x".repeat(90)}\n`;
      const half = line.repeat(Math.floor(MB / 2 / line.length));
      const output = `${half}FATAL ${i} in the middle of a long line ${"y".repeat(300)}\n${half}`;
      const record: InvocationTask = {
        InvocationId: "inv-aaaaaaaa",
        InvocationTaskId: `invt-${String(i).padStart(8, "0")}`,
        InstanceId: `ins-${String(i).padStart(8, "0")}`,
        TaskStatus: "SUCCESS",
        TaskResult: { ExitCode: 0, Dropped: 0, Output: Buffer.from(output).toString("base64") },
      };
      tracker.detail(record, "2026-11-28T01:00:00.000Z", true);
    }
    gc();
    const retained = process.memoryUsage().heapUsed - before;
    const observed = tracker.snapshot();
    expect(observed.every((t) => !("output" in t) && (t.outputSummary?.chars ?? 0) > MB)).toBe(
      true,
    );
    expect(tally.counts).toEqual({ pass: 0, fail: 64, error: 0, skip: 0 });
    // Kept per task: a tail of ≤ 2,000 characters and two excerpts of a few lines. Had any of
    // them been a view onto its output, 64 MB would still be alive.
    expect(retained).toBeLessThan(4 * MB);
  });
});

describe("what a spec keeps of passing tasks' output is bounded", () => {
  test("every failing task keeps its tail; passing ones only the first PASSING_TAILS", () => {
    const tally = new SpecTally(specFrom("expect: { output: { matches: ['deploy ok'] } }"));
    const tracker = new TaskTracker(true, undefined, (t) => tally.keepsTail(tally.add(t)));
    const record = (i: number, output: string): InvocationTask => ({
      InvocationId: "inv-aaaaaaaa",
      InvocationTaskId: `invt-${String(i).padStart(8, "0")}`,
      InstanceId: `ins-${String(i).padStart(8, "0")}`,
      TaskStatus: "SUCCESS",
      TaskResult: { ExitCode: 0, Dropped: 0, Output: Buffer.from(output).toString("base64") },
    });
    for (let i = 0; i < PASSING_TAILS + 5; i++) {
      tracker.detail(record(i, "deploy ok\n"), "2026-11-28T01:00:00.000Z", true);
    }
    tracker.detail(record(99_999, "boom\n"), "2026-11-28T01:00:00.000Z", true);
    const kept = tracker.snapshot().filter((t) => t.outputSummary?.tail !== undefined);
    expect(kept).toHaveLength(PASSING_TAILS + 1);
    const failing = tracker.snapshot().find((t) => t.taskId === "invt-00099999");
    expect(failing?.outputSummary).toEqual({ chars: 5, lines: 1, tail: "boom\n" });
    const dropped = tracker.snapshot().find((t) => t.outputSummary?.tail === undefined);
    expect(dropped?.outputSummary).toEqual({ chars: 10, lines: 1 });
  });
});

describe("results shared between verdicts (what a fleet run keeps)", () => {
  const spec = specFrom(
    "expect:\n  status: [SUCCESS, FAILED]\n  exitCode: [0, 3]\n  output:\n    matches: ['deploy ok']\n    notMatches: [ERROR]\n",
  );
  const byCheck = (v: TaskVerdict, check: string) => v.results.filter((r) => r.check === check);

  test("tasks that passed the same way share one object per result", () => {
    const tally = new SpecTally(spec);
    const a = tally.add(task());
    const b = tally.add(task());
    expect(a.results).toHaveLength(b.results.length);
    for (const [i, r] of a.results.entries()) expect(b.results[i]).toBe(r);
  });

  test("the same words from a check declared elsewhere (an override) are not shared", () => {
    const tally = new SpecTally(
      specFrom("expect:\n  exitCode: 0\noverrides:\n  ins-canary01:\n    exitCode: 0\n"),
    );
    const plain = tally.add(task());
    const canary = tally.add(task({ instanceId: "ins-canary01" }));
    const again = tally.add(task());
    const [p, c, a] = [plain, canary, again].map((v) => byCheck(v, "exitCode")[0]);
    expect(c?.message).toBe(p?.message);
    expect(c).not.toBe(p);
    expect(c?.where.line).toBe(7);
    expect(p?.where.line).toBe(4);
    expect(a).toBe(p);
  });

  test("a judgement object that can change is read for what it says, never known by identity", () => {
    const shared = new SharedResults();
    const check: Check = {
      check: "exitCode",
      expected: "0 or 3",
      where: { file: "a.yml", line: 4, col: 3 },
      judge: () => ({ outcome: "pass", actual: "0", message: "exit code 0" }),
    };
    const reused: Judgement = { outcome: "pass", actual: "0", message: "exit code 0" };
    const first = shared.result(0, check, reused);
    reused.actual = "3";
    reused.message = "exit code 3";
    const second = shared.result(0, check, reused);
    expect(second.message).toBe("exit code 3");
    // A frozen judgement is known by identity from then on, and says what it said.
    const frozen: Judgement = Object.freeze({
      outcome: "pass",
      actual: "0",
      message: "exit code 0",
    });
    expect(shared.result(0, check, frozen)).toBe(first);
    expect(shared.result(0, check, frozen)).toBe(first);
    expect(shared.result(0, check, reused)).toBe(second);
    expect(first.message).toBe("exit code 0");
  });

  test("a result that differs is the task's own, and each verdict says what its task did", () => {
    const tally = new SpecTally(spec);
    const ok = tally.add(task());
    const three = tally.add(task({ status: "FAILED", exitCode: 3 }));
    const failed = tally.add(
      task({ status: "FAILED", exitCode: 2, output: "deploy ok\nERROR: disk full\n" }),
    );
    expect(byCheck(three, "exitCode")[0]).not.toBe(byCheck(ok, "exitCode")[0]);
    expect(byCheck(three, "exitCode")[0]?.actual).toBe("3");
    expect(byCheck(ok, "exitCode")[0]?.actual).toBe("0");
    expect(failed.outcome).toBe("fail");
    expect(byCheck(failed, "exitCode")[0]?.outcome).toBe("fail");
    // The hit names its line and has an excerpt: never shared.
    const hit = failed.results.find((r) => r.outcome === "fail" && r.found);
    expect(hit?.found?.line).toBe(2);
    expect(ok.results.every((r) => r.outcome === "pass")).toBe(true);
    expect(three.results.every((r) => r.outcome === "pass")).toBe(true);
    // The same verdicts as each task judged by a tally of its own.
    for (const [v, t] of [
      [ok, task()],
      [three, task({ status: "FAILED", exitCode: 3 })],
    ] as const) {
      const alone = new SpecTally(spec).add(t);
      expect(v.results).toEqual(alone.results);
    }
  });
});
