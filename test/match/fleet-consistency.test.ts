// fleet: same / distinct / equals over the values the tasks captured.
import { describe, expect, test } from "@jest/globals";
import { evaluate } from "../../src/match/evaluate.js";
import { ConsistencyTally, INSTANCES_LISTED, VALUES_TRACKED } from "../../src/match/fleet-tally.js";
import type { Spec, TaskObservation, TaskVerdict } from "../../src/model.js";
import { parseSpecs } from "../../src/spec/load.js";
import { observation, specFrom, task } from "./helpers.js";

const CAPTURE = "expect:\n  capture:\n    version: '/version=(\\S+)/'\n";
const spec = (fleet: string, more = "") => specFrom(`${CAPTURE}fleet:\n${fleet}${more}`);
const on = (instanceId: string, version: string | undefined): TaskObservation =>
  task({ instanceId, output: version === undefined ? "nothing\n" : `version=${version}\n` });
const fleet = (v: ReturnType<typeof evaluate>, check: string) =>
  v.fleet.find((r) => r.check === check);
const ids = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => `ins-${String(from + i).padStart(8, "0")}`);

describe("fleet.same", () => {
  test("all the same passes and says the value", () => {
    const v = evaluate(spec("  same: version\n"), observation(ids(5).map((i) => on(i, "1.4.2"))));
    expect(v.outcome).toBe("pass");
    expect(fleet(v, "fleet.same")).toMatchObject({
      outcome: "pass",
      message: 'all 5 tasks captured version = "1.4.2"',
      where: { line: 7 },
    });
  });

  test("drift fails, listing each value with its instances, the minority first", () => {
    const old = ["ins-0000old1", "ins-0000old2", "ins-0000old3"];
    const tasks = [...ids(197).map((i) => on(i, "1.4.2")), ...old.map((i) => on(i, "1.4.1"))];
    const v = evaluate(spec("  same: version\n"), observation(tasks));
    expect(v.outcome).toBe("fail");
    // Every task passed on its own: the drift alone fails the spec.
    expect(v.tasks.every((t) => t.outcome === "pass")).toBe(true);
    const r = fleet(v, "fleet.same");
    expect(r?.outcome).toBe("fail");
    expect(r?.message).toBe(
      `version differs across tasks: "1.4.1" on 3 tasks (${old.join(", ")}); "1.4.2" on 197 tasks (${ids(INSTANCES_LISTED).join(", ")} and ${197 - INSTANCES_LISTED} more)`,
    );
    expect(r?.actual).toBe("200 tasks captured version: 2 distinct values");
  });

  test("only tasks that captured a value are compared; the others fail on their own", () => {
    const v = evaluate(
      spec("  same: version\n"),
      observation([on("ins-a", "1"), on("ins-b", "1"), on("ins-c", undefined)]),
    );
    expect(fleet(v, "fleet.same")?.message).toBe('all 2 of 3 tasks captured version = "1"');
    expect(v.outcome).toBe("fail");
  });

  test("with a quorum, a task without a value is the quorum's to judge", () => {
    const v = evaluate(
      spec("  same: version\n", "quorum:\n  maxFailures: 1\n"),
      observation([on("ins-a", "1"), on("ins-b", "1"), on("ins-c", undefined)]),
    );
    expect(v.outcome).toBe("pass");
  });

  test("no task captured anything: never a pass", () => {
    const v = evaluate(
      spec("  same: version\n", "quorum:\n  maxFailures: 5\n"),
      observation([on("ins-a", undefined), on("ins-b", undefined)]),
    );
    expect(fleet(v, "fleet.same")).toMatchObject({ outcome: "fail" });
    expect(v.outcome).toBe("fail");
    const unfinished = evaluate(
      spec("  same: version\n", "quorum:\n  maxFailures: 5\n"),
      observation([task({ status: "RUNNING", terminal: false })], { state: "timeout" }),
    );
    expect(fleet(unfinished, "fleet.same")?.outcome).toBe("error");
  });
});

describe("fleet.distinct", () => {
  const s = spec("  distinct: { of: version, max: 2 }\n");

  test("a canary: two values pass", () => {
    const v = evaluate(s, observation([on("ins-a", "2"), on("ins-b", "1"), on("ins-c", "1")]));
    expect(fleet(v, "fleet.distinct")).toMatchObject({ outcome: "pass" });
  });

  test("three values fail", () => {
    const v = evaluate(s, observation([on("ins-a", "3"), on("ins-b", "2"), on("ins-c", "1")]));
    expect(fleet(v, "fleet.distinct")?.message).toBe(
      'version: 3 distinct values, at most 2 allowed: "1" on 1 task (ins-c); "2" on 1 task (ins-b); "3" on 1 task (ins-a)',
    );
  });
});

describe("fleet.equals", () => {
  test("each value must be the expected one; interpolated from the environment", () => {
    const text = `version: 1\ntarget: { invocationId: inv-abcd1234 }\n${CAPTURE}fleet:\n  equals: { version: "\${EXPECTED}" }\n`;
    const { specs, issues } = parseSpecs(text, "s.yml", { env: { EXPECTED: "1.4.2" } });
    expect(issues).toEqual([]);
    const s = specs[0] as Spec;
    expect(s.consistency).toEqual([
      { kind: "equals", capture: "version", value: "1.4.2", where: expect.anything() },
    ]);
    const v = evaluate(s, observation([on("ins-a", "1.4.2"), on("ins-b", "1.4.1")]));
    expect(fleet(v, "fleet.equals")).toMatchObject({
      outcome: "fail",
      message: '1 task captured version other than "1.4.2": "1.4.1" on 1 task (ins-b)',
    });
    const all = evaluate(s, observation([on("ins-a", "1.4.2")]));
    expect(fleet(all, "fleet.equals")?.outcome).toBe("pass");
  });
});

describe("the running tally stays bounded", () => {
  const verdict = (instanceId: string, value: string, taskId = instanceId): TaskVerdict => ({
    taskId,
    instanceId,
    outcome: "pass",
    results: [],
    captures: { version: value },
  });

  test("past VALUES_TRACKED distinct values, tasks are counted, not kept; same still fails honestly", () => {
    const where = { file: "f", line: 1, col: 1 };
    const tally = new ConsistencyTally([{ kind: "same", capture: "version", where }]);
    const all: TaskVerdict[] = [];
    for (let i = 0; i < VALUES_TRACKED + 50; i++) {
      const v = verdict(`ins-${i}`, `v${i}`);
      all.push(v);
      tally.add(v);
    }
    const [r] = tally.results(all);
    expect(r?.outcome).toBe("fail");
    expect(r?.actual).toBe(
      `150 tasks captured version: more than ${VALUES_TRACKED} distinct values`,
    );
    expect(r?.message).toContain(
      "50 more tasks with values beyond the first 100 (counted, not listed)",
    );
    expect(tally.cannotPass()).toBe("version already differs across tasks");
  });

  test("a task judged again takes its earlier value back", () => {
    const where = { file: "f", line: 1, col: 1 };
    const tally = new ConsistencyTally([{ kind: "same", capture: "version", where }]);
    const first = verdict("ins-a", "1", "invt-1");
    tally.add(first);
    tally.add(verdict("ins-b", "2", "invt-2"));
    expect(tally.cannotPass()).toBeDefined();
    const again = verdict("ins-a", "2", "invt-1");
    tally.add(again, first);
    expect(tally.cannotPass()).toBeUndefined();
    expect(tally.results([again, verdict("ins-b", "2", "invt-2")])[0]?.outcome).toBe("pass");
  });
});
