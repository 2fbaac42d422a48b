// --fail-fast on drift: cannotPass stops as soon as captured values already differ (fleet: same /
// distinct / equals), and only on what the final verdict of the stopped run also fails.
import { describe, expect, test } from "@jest/globals";
import { VALUES_TRACKED } from "../../src/match/fleet-tally.js";
import { SpecTally } from "../../src/match/tally.js";
import type { Spec, TaskObservation } from "../../src/model.js";
import { parseSpecs } from "../../src/spec/load.js";
import { cannotPass } from "../../src/wait/fail-fast.js";
import { observation, specFrom, task } from "../match/helpers.js";

const CAPTURE = "expect:\n  capture:\n    version: { json: $.version }\n";
const spec = (fleet: string, more = "") => specFrom(`${CAPTURE}fleet:\n${fleet}${more}`);
const health = (version: string | undefined, fields: Partial<TaskObservation> = {}) =>
  task({
    output:
      version === undefined ? '{"status":"ok"}\n' : `{"status":"ok","version":"${version}"}\n`,
    ...fields,
  });

/** Feeds the tasks one by one; the first stop reason and how many tasks had been judged then. */
function feed(s: Spec, tasks: TaskObservation[]) {
  const tally = new SpecTally(s);
  for (const [i, t] of tasks.entries()) {
    tally.add(t);
    const reason = cannotPass(s, tally, tasks.length);
    if (reason) return { tally, reason, judged: i + 1 };
  }
  return { tally, reason: undefined, judged: tasks.length };
}

/** The verdict of a run stopped after `judged` tasks, the rest still running. */
function stoppedVerdict(tally: SpecTally, tasks: TaskObservation[], judged: number) {
  const rest = tasks
    .slice(judged)
    .map((t) => ({ ...t, status: "RUNNING", terminal: false, output: undefined }));
  return tally.verdict(
    observation([...tasks.slice(0, judged), ...rest] as TaskObservation[], { state: "stopped" }),
  );
}

describe("cannotPass on drift", () => {
  test("same: stops at the first task whose value differs, and the stopped verdict fails", () => {
    const s = spec("  same: version\n");
    const tasks = [health("1.4.2"), health("1.4.2"), health("1.4.1"), health("1.4.2")];
    const { tally, reason, judged } = feed(s, tasks);
    expect(judged).toBe(3);
    expect(reason).toBe(
      "fail-fast: version already differs across tasks; stopped waiting for the rest",
    );
    const v = stoppedVerdict(tally, tasks, judged);
    expect(v.outcome).toBe("fail");
    expect(v.fleet.find((r) => r.check === "fleet.same")).toMatchObject({
      outcome: "fail",
      message: expect.stringMatching(/^version differs across tasks: "1\.4\.1" on 1 task/),
    });
  });

  test("one value, or tasks that captured nothing: no stop", () => {
    const s = spec("  same: version\n");
    expect(feed(s, [health("1.4.2"), health(undefined), health("1.4.2")]).reason).toEqual(
      // The task with no version failed on its own: without a quorum that alone stops the run.
      expect.stringMatching(/^fail-fast: ins-\d+ failed;/),
    );
    const withQuorum = spec("  same: version\n", "quorum: { maxFailures: 1 }\n");
    expect(feed(withQuorum, [health("1.4.2"), health(undefined), health("1.4.2")]).reason).toBe(
      undefined,
    );
  });

  test("distinct: stops past max; equals: stops at the first other value", () => {
    const distinct = spec("  distinct: { of: version, max: 2 }\n");
    const three = [health("1"), health("2"), health("1"), health("3"), health("2")];
    const d = feed(distinct, three);
    expect([d.judged, d.reason]).toEqual([
      4,
      "fail-fast: version already has more than 2 distinct values; stopped waiting for the rest",
    ]);
    expect(stoppedVerdict(d.tally, three, d.judged).outcome).toBe("fail");

    const equals = spec('  equals: { version: "1.4.2" }\n');
    const e = feed(equals, [health("1.4.2"), health("1.4.3"), health("1.4.2")]);
    expect([e.judged, e.reason]).toEqual([
      2,
      'fail-fast: a task captured version other than "1.4.2"; stopped waiting for the rest',
    ]);
  });

  test("with a quorum that could still hold, drift stops the run, and the verdict fails", () => {
    // Every task passes on its own and the quorum allows 5 failures: the spec still fails on the
    // drift (fleet rules are judged beside the quorum, not through it), so stopping is right.
    const s = spec("  same: version\n", "quorum: { maxFailures: 5 }\n");
    const tasks = [health("2.0"), health("1.9"), health("2.0"), health("2.0")];
    const { tally, reason, judged } = feed(s, tasks);
    expect([judged, reason]).toEqual([
      2,
      "fail-fast: version already differs across tasks; stopped waiting for the rest",
    ]);
    const v = stoppedVerdict(tally, tasks, judged);
    expect(v.fleet.find((r) => r.check === "quorum")?.outcome).not.toBe("fail");
    expect(v.fleet.find((r) => r.check === "fleet.same")?.outcome).toBe("fail");
    expect(v.outcome).toBe("fail");
    // The same tasks, all finished: the final verdict is the same fail.
    const all = feed(s, []).tally;
    for (const t of tasks) all.add({ ...t });
    expect(all.verdict(observation(tasks)).outcome).toBe("fail");
  });

  test("equals with a value longer than is kept: compared as kept, so no stop on a match", () => {
    const long = `1.4.2-${"x".repeat(300)}`;
    const s = specFrom(`${CAPTURE}fleet:\n  equals: { version: "${long}" }\n`);
    const tasks = [health(long), health(long), health(long)];
    const { tally, reason } = feed(s, tasks);
    expect(reason).toBeUndefined();
    expect(tally.verdict(observation(tasks)).outcome).toBe("pass");
  });

  test(`distinct with max ${VALUES_TRACKED}: past the values told apart it is not verified, so no stop`, () => {
    const s = spec(`  distinct: { of: version, max: ${VALUES_TRACKED} }\n`);
    const tasks = Array.from({ length: VALUES_TRACKED + 5 }, (_, i) => health(`v${i}`));
    const { tally, reason } = feed(s, tasks);
    expect(reason).toBeUndefined();
    const r = tally.verdict(observation(tasks)).fleet.find((f) => f.check === "fleet.distinct");
    expect(r?.outcome).toBe("error");
  });

  test("minPassRatio stops on the tasks seen, except on a filters target, which can still gain tasks", () => {
    const tasks = [
      task({ exitCode: 1, status: "FAILED" }),
      task({ exitCode: 1, status: "FAILED" }),
      task(),
    ];
    const quorum = "quorum: { minPassRatio: 0.5 }\nexpect: { exitCode: 0 }\n";
    expect(feed(specFrom(quorum), tasks).reason).toMatch(
      /^fail-fast: ins-\S+ failed \(and 1 more\)/,
    );
    const { specs, issues } = parseSpecs(
      `version: 1\ntarget: { filters: { command-id: [cmd-abcd1234], since: 10m } }\n${quorum}`,
      "spec.yml",
      { env: {} },
    );
    expect(issues).toEqual([]);
    const filters = specs[0] as Spec;
    expect(feed(filters, tasks).reason).toBeUndefined();
    // Failures past maxFailures stop it all the same: more tasks cannot undo them.
    const capped = { ...filters, quorum: { maxFailures: 1 } } as Spec;
    expect(feed(capped, tasks).reason).toMatch(/^fail-fast: /);
  });

  test("minPassRatio does not stop while the target is not seen whole: more tasks may lift it", () => {
    // One of two invocations listed, its one failure under the ratio; the other, not visible
    // yet, holds nine passing tasks (the reviewer's case).
    const s = specFrom("quorum: { minPassRatio: 0.8 }\nexpect: { exitCode: 0 }\n");
    const tally = new SpecTally(s);
    tally.add(task({ exitCode: 1, status: "FAILED" }));
    tally.add(task());
    expect(cannotPass(s, tally, 2, false)).toBeUndefined();
    expect(cannotPass(s, tally, 2, true)).toMatch(/^fail-fast: ins-\S+ failed/);
    // maxFailures is past undoing, seen whole or not.
    const capped = { ...s, quorum: { maxFailures: 0 } } as Spec;
    expect(cannotPass(capped, tally, 2, false)).toMatch(/^fail-fast: /);
  });

  test("never a stop the stopped verdict would not fail (random fleets and rules)", () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const rules = [
      "  same: version\n",
      "  distinct: { of: version, max: 2 }\n",
      '  equals: { version: "a" }\n',
    ];
    const quorums = ["", "quorum: { maxFailures: 3 }\n", "quorum: { minPassRatio: 0.5 }\n"];
    let stops = 0;
    for (let round = 0; round < 60; round++) {
      const s = spec(
        rules[round % rules.length] as string,
        quorums[Math.floor(round / 3) % 3] as string,
      );
      const tasks = Array.from({ length: 12 }, () => {
        const pick = random();
        const version = pick < 0.7 ? "a" : pick < 0.8 ? "b" : pick < 0.9 ? "c" : undefined;
        return health(version, random() < 0.1 ? { exitCode: 1, status: "FAILED" } : {});
      });
      const { tally, reason, judged } = feed(s, tasks);
      if (!reason) continue;
      stops++;
      expect(stoppedVerdict(tally, tasks, judged).outcome).toBe("fail");
    }
    // The property was exercised, on drift stops and on task failures alike.
    expect(stops).toBeGreaterThan(20);
  });
});
