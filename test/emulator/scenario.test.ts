import { mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import {
  buildScenario,
  generateFleet,
  loadScenario,
  parseScenario,
  SCENARIO_SCHEMA,
  type Scenario,
} from "../../src/emulator/index.js";
import { formatIssue, SpecError } from "../../src/errors.js";
import { isTerminal } from "../../src/tat/task-status.js";

const FIXTURES = "test/fixtures/scenarios";

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SpecError);
    return (err as SpecError).issues.map(formatIssue);
  }
  throw new Error("expected a SpecError");
}

describe("invalid scenarios report every problem with file:line:col", () => {
  const files = readdirSync(`${FIXTURES}/invalid`).filter((f) => f.endsWith(".yml"));
  test("there are fixtures", () => expect(files.length).toBeGreaterThanOrEqual(5));
  test.each(files)("%s", (name) => {
    const file = `${FIXTURES}/invalid/${name}`;
    const expected = readFileSync(file.replace(/\.yml$/, ".issues.txt"), "utf8")
      .trimEnd()
      .split("\n");
    expect(issuesOf(() => parseScenario(readFileSync(file, "utf8"), file))).toEqual(expected);
  });
});

describe("valid scenarios", () => {
  test("fleet block: template, stagger, overrides, instance ids, faults", async () => {
    const s = await loadScenario(`${FIXTURES}/valid/fleet.yml`);
    expect(s.speed).toBe(5);
    const inv = s.invocations[0];
    expect(inv?.tasks).toHaveLength(40);
    expect(inv?.tasks[0]?.instanceId).toBe("ins-app0001");
    expect(inv?.tasks[39]?.instanceId).toBe("ins-app0040");
    expect(inv?.tasks[1]?.timeline.map((e) => e.atMs)).toEqual([100, 1100, 3100]);
    expect(inv?.tasks[6]).toMatchObject({ exitCode: 1, output: "Job for app.service failed\n" });
    expect(inv?.tasks[6]?.timeline.at(-1)).toEqual({ atMs: 2600, status: "FAILED" });
    expect(inv?.tasks[12]?.timeline.at(-1)?.status).toBe("TIMEOUT");
    expect(inv?.tasks[12]?.exitCode).toBe(-1);
    expect(inv?.tasks[12]?.output).toBe("restarted app\n");
    const ids = new Set(inv?.tasks.map((t) => t.taskId));
    expect(ids.size).toBe(40);
    for (const id of ids) expect(id).toMatch(/^invt-[a-z0-9]{8}$/);
    // Generated ids are stable from one load to the next.
    const again = await loadScenario(`${FIXTURES}/valid/fleet.yml`);
    expect(again.invocations[0]?.tasks.map((t) => t.taskId)).toEqual(
      inv?.tasks.map((t) => t.taskId),
    );
    expect(s.faults).toEqual([
      { action: "DescribeInvocationTasks", error: "RequestLimitExceeded", every: 10 },
    ]);
  });

  test("JSON file with defaults filled in", async () => {
    const s = await loadScenario(`${FIXTURES}/valid/minimal.json`);
    expect(s.credentials).toEqual([
      {
        secretId: "AKIDJSON",
        secretKey: "json-key",
        token: "tok",
        expiresAt: Date.UTC(2030, 0, 1),
      },
    ]);
    expect(s.invocations[0]).toMatchObject({
      commandType: "SHELL",
      timeoutSeconds: 60,
      workingDirectory: "/root",
      username: "root",
      createdBy: "USER",
      instanceKind: "CVM",
      createdAtMs: 0,
      appearsAtMs: 0,
    });
    expect(s.invocations[0]?.tasks[0]).toMatchObject({
      instanceId: "lhins-abc",
      exitCode: -1,
      errorInfo: "agent offline",
      timeline: [
        { atMs: 0, status: "PENDING" },
        { atMs: 2000, status: "DELIVER_FAILED" },
      ],
    });
  });

  test("timeline shorthand accepts spaces, commas and arrows", () => {
    const timelines = [
      "PENDING@0s RUNNING@1s SUCCESS@2.5s",
      "PENDING@0, RUNNING@1s, SUCCESS@2500ms",
      "PENDING -> RUNNING@1s → SUCCESS@2.5s",
    ];
    for (const timeline of timelines) {
      const s = buildScenario({
        invocations: [
          {
            id: "inv-short001",
            commandId: "cmd-short001",
            tasks: [{ instance: "ins-1", timeline }],
          },
        ],
      });
      expect(s.invocations[0]?.tasks[0]?.timeline).toEqual([
        { atMs: 0, status: "PENDING" },
        { atMs: 1000, status: "RUNNING" },
        { atMs: 2500, status: "SUCCESS" },
      ]);
    }
  });

  test("a task without a timeline runs briefly and ends by its exit code", () => {
    const s = buildScenario({
      invocations: [
        {
          id: "inv-short001",
          commandId: "cmd-short001",
          createdAt: 10,
          tasks: [{ instance: "ins-1" }, { instance: "ins-2", exitCode: 4 }],
        },
      ],
    });
    const [ok, bad] = s.invocations[0]?.tasks ?? [];
    expect(ok?.timeline.at(-1)).toEqual({ atMs: 11_500, status: "SUCCESS" });
    expect(bad?.timeline.at(-1)?.status).toBe("FAILED");
    expect(bad?.exitCode).toBe(4);
  });

  test("data built in code is validated too, located at the start of the virtual file", () => {
    expect(
      issuesOf(() =>
        buildScenario({ invocations: [{ id: "inv-1", commandId: "cmd-1" }] } as never, "fixture"),
      ),
    ).toEqual([
      "fixture:1:1: invocations[0].id: must be an invocation id: inv- and 8 lower-case letters or digits",
    ]);
  });

  test("a YAML syntax error is located (kept inline: the linter rejects broken YAML files)", () => {
    const text = "version: 1\ninvocations:\n  - id: inv-test0001\n    commandId: [unclosed\n";
    expect(issuesOf(() => parseScenario(text, "broken.yml"))).toEqual([
      "broken.yml:5:1: Flow sequence in block collection must be sufficiently indented and end with a ]",
    ]);
  });

  test("an empty file and a missing file", async () => {
    expect(issuesOf(() => parseScenario("", "empty.yml"))).toEqual([
      "empty.yml:1:1: the scenario is empty",
    ]);
    await expect(loadScenario(`${FIXTURES}/nope.yml`)).rejects.toThrow(/ENOENT/);
  });
});

describe("generateFleet", () => {
  test("2,000 tasks across 20 invocations with per-task variations", () => {
    const s = generateFleet({
      invocations: 20,
      tasksPerInvocation: 100,
      invocationGap: "1s",
      vary: (inv, task) => (inv === 3 && task === 50 ? { exitCode: 2 } : undefined),
    });
    expect(s.invocations).toHaveLength(20);
    expect(s.invocations.reduce((n, i) => n + i.tasks.length, 0)).toBe(2000);
    expect(s.invocations[19]?.createdAtMs).toBe(19_000);
    expect(s.invocations[2]?.invocationId).toBe("inv-fleet003");
    const varied = s.invocations[2]?.tasks[49];
    expect(varied).toMatchObject({ instanceId: "ins-0050", exitCode: 2 });
    expect(varied?.timeline.at(-1)?.status).toBe("FAILED");
    expect(new Set(s.invocations.flatMap((i) => i.tasks.map((t) => t.taskId))).size).toBe(2000);
    expect(s.credentials).toHaveLength(1);
  });
});

describe("schema/scenario-v1.json", () => {
  test("is SCENARIO_SCHEMA written out (UPDATE_SCHEMA=1 rewrites it)", () => {
    const path = "schema/scenario-v1.json";
    const expected = `${JSON.stringify(SCENARIO_SCHEMA, null, 2)}\n`;
    if (process.env.UPDATE_SCHEMA === "1") writeFileSync(path, expected);
    expect(readFileSync(path, "utf8")).toBe(expected);
  });
});

describe("demo scenarios", () => {
  const instances = ["ins-web001", "ins-web002", "ins-web003", "ins-web004", "ins-web005"];
  const lastAt = (s: Scenario) =>
    s.invocations.flatMap((i) => i.tasks.map((t) => t.timeline.at(-1)?.atMs ?? 0));

  test("demo.yml: a deploy and a smoke test on five instances, all green within 2–6 s", async () => {
    const s = await loadScenario("specs/scenarios/demo.yml");
    expect(s.credentials[0]?.secretId).toMatch(/^AKIDDEMO/);
    expect(s.invocations.map((i) => [i.invocationId, i.commandId, i.commandName])).toEqual([
      ["inv-demo0001", "cmd-deploy01", "deploy-web"],
      ["inv-demo0002", "cmd-smoke01", "smoke-test"],
    ]);
    for (const inv of s.invocations) {
      expect(inv.tasks.map((t) => t.instanceId)).toEqual(instances);
      for (const t of inv.tasks) {
        expect(t.timeline.at(-1)?.status).toBe("SUCCESS");
        expect(t.exitCode).toBe(0);
      }
    }
    const deploy = s.invocations[0]?.tasks.map((t) => t.timeline.map((e) => e.status));
    for (const statuses of deploy ?? []) {
      expect(statuses).toEqual(["PENDING", "DELIVERING", "RUNNING", "SUCCESS"]);
    }
    expect(s.invocations[0]?.tasks[0]?.output).toBe(
      "pulling image web:1.4.2\nmigrations: 0 pending\nhealth check passed\ndeploy ok version=1.4.2\n",
    );
    for (const ms of lastAt(s)) {
      expect(ms).toBeGreaterThanOrEqual(2000);
      expect(ms).toBeLessThanOrEqual(6000);
    }
  });

  test("failing.yml: one instance exits 2 with a health-check error, another prints a traceback", async () => {
    const s = await loadScenario("specs/scenarios/failing.yml");
    const deploy = s.invocations[0]?.tasks ?? [];
    expect(deploy.map((t) => t.instanceId)).toEqual(instances);
    const failed = deploy.filter((t) => t.exitCode !== 0);
    expect(failed).toHaveLength(1);
    expect(failed[0]?.exitCode).toBe(2);
    expect(failed[0]?.output).toContain("ERROR: health check failed: connection refused");
    const traceback = deploy.filter((t) => t.output.includes("Traceback (most recent call last)"));
    expect(traceback).toHaveLength(1);
    expect(traceback[0]?.instanceId).not.toBe(failed[0]?.instanceId);
    for (const t of s.invocations.flatMap((i) => i.tasks)) {
      expect(isTerminal(t.timeline.at(-1)?.status ?? "")).toBe(true);
    }
  });
});

test("a recording that is not UTF-8 is refused at the byte, not replayed with U+FFFD in its outputs", async () => {
  const file = join(mkdtempSync(join(tmpdir(), "tat-assert-scenario-")), "run.rec.yml");
  const valid = readFileSync(new URL("../../specs/scenarios/demo.yml", import.meta.url), "utf8");
  writeFileSync(
    file,
    Buffer.concat([Buffer.from(valid), Buffer.from("# ung"), Buffer.from([0xfc])]),
  );
  const line = valid.split("\n").length;
  await expect(loadScenario(file)).rejects.toMatchObject({
    issues: [{ where: { file, line, col: 6 }, message: expect.stringContaining("not UTF-8") }],
  });
});

test("a recording larger than a scenario may be is refused by its size, a device without reading on", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tat-assert-scenario-"));
  const huge = join(dir, "huge.rec.yml");
  // Sparse: its size says 600 MiB without a byte written.
  writeFileSync(huge, "");
  truncateSync(huge, 600 * 1024 * 1024);
  await expect(loadScenario(huge)).rejects.toMatchObject({
    issues: [
      {
        where: { file: huge, line: 1, col: 1 },
        message: "the file holds more than 512 MiB, the most a scenario may hold",
      },
    ],
  });
  // /dev/zero never ends: it is read one byte past the limit, then refused.
  await expect(loadScenario("/dev/zero", 1024 * 1024)).rejects.toMatchObject({
    issues: [{ message: "the file holds more than 1 MiB, the most a scenario may hold" }],
  });
  // At the limit, a file is read.
  const demo = readFileSync(new URL("../../specs/scenarios/demo.yml", import.meta.url));
  const exact = join(dir, "exact.rec.yml");
  writeFileSync(exact, demo);
  await expect(loadScenario(exact, demo.length)).resolves.toMatchObject({
    credentials: expect.any(Array),
  });
});
