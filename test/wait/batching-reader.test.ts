// The shared reader against the TAT emulator over real HTTP: calls from several specs in the same
// moment become one request per 100 ids, and each caller gets exactly what it asked for.
import { afterEach, describe, expect, test } from "@jest/globals";
import { staticCredentials } from "../../src/credentials/types.js";
import { FLEET_CREDENTIAL } from "../../src/emulator/fleet.js";
import {
  type Emulator,
  generateFleet,
  manualClock,
  startEmulator,
} from "../../src/emulator/index.js";
import type { Spec } from "../../src/model.js";
import { run } from "../../src/run.js";
import { parseSpecs } from "../../src/spec/load.js";
import { TatClient } from "../../src/tat/client.js";
import type { InvocationTask } from "../../src/tat/types.js";
import { batchingReader } from "../../src/wait/batching-reader.js";
import { tatReader } from "../../src/wait/tat-reader.js";

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function setUp() {
  const clock = manualClock();
  emulator = await startEmulator({
    scenario: generateFleet({
      invocations: 4,
      tasksPerInvocation: 50,
      timeline: "PENDING@0s RUNNING@1s SUCCESS@2s",
      output: "deploy ok\n",
    }),
    clock,
  });
  clock.advance(10_000);
  const client = new TatClient({
    endpoint: emulator.url,
    region: "ap-guangzhou",
    credentials: staticCredentials({
      secretId: FLEET_CREDENTIAL.secretId,
      secretKey: FLEET_CREDENTIAL.secretKey,
    }),
  });
  const plain = tatReader(client);
  const emu = emulator;
  const requests = (action: string) => emu.stats().requests[action] ?? 0;
  return { plain, reader: batchingReader(plain), requests };
}

const ids = (tasks: InvocationTask[]) => tasks.map((t) => t.InvocationTaskId).sort();

describe("batchingReader", () => {
  test("specs asking in the same moment share one DescribeInvocations", async () => {
    const { reader, requests } = await setUp();
    const [a, b, c] = await Promise.all([
      reader.invocations(["inv-fleet001"], {}),
      reader.invocations(["inv-fleet002", "inv-fleet003"], {}),
      reader.invocations(["inv-fleet003", "inv-fleet004"], {}),
    ]);
    expect(requests("DescribeInvocations")).toBe(1);
    expect(a?.map((i) => i.InvocationId)).toEqual(["inv-fleet001"]);
    expect(b?.map((i) => i.InvocationId).sort()).toEqual(["inv-fleet002", "inv-fleet003"]);
    expect(c?.map((i) => i.InvocationId).sort()).toEqual(["inv-fleet003", "inv-fleet004"]);
    expect(a?.[0]?.InvocationTaskBasicInfoSet).toHaveLength(50);
  });

  test("task records of several specs fill requests of 100 ids; each spec gets its own", async () => {
    const { plain, reader, requests } = await setUp();
    const all = (await plain.invocations(["inv-fleet001", "inv-fleet002", "inv-fleet003"], {}))
      .flatMap((i) => i.InvocationTaskBasicInfoSet ?? [])
      .map((t) => t.InvocationTaskId ?? "");
    expect(all).toHaveLength(150);
    const before = requests("DescribeInvocationTasks");
    // Five specs with 30 finished tasks each: alone, five requests; together, two (100 + 50).
    const asked = [0, 1, 2, 3, 4].map((k) => all.slice(k * 30, k * 30 + 30));
    const got = await Promise.all(asked.map((mine) => reader.tasksById(mine, false, {})));
    expect(requests("DescribeInvocationTasks") - before).toBe(2);
    for (const [k, mine] of asked.entries()) expect(ids(got[k] ?? [])).toEqual([...mine].sort());
    expect(Buffer.from(got[0]?.[0]?.TaskResult?.Output ?? "", "base64").toString("utf8")).toContain(
      "deploy ok",
    );
  });

  test("with and without output are separate requests, and calls a window apart are too", async () => {
    const { plain, reader, requests } = await setUp();
    const [inv] = await plain.invocations(["inv-fleet001"], {});
    const task = inv?.InvocationTaskBasicInfoSet?.map((t) => t.InvocationTaskId ?? "") ?? [];
    const before = requests("DescribeInvocationTasks");
    const [hidden, shown] = await Promise.all([
      reader.tasksById(task.slice(0, 5), true, {}),
      reader.tasksById(task.slice(5, 10), false, {}),
    ]);
    expect(requests("DescribeInvocationTasks") - before).toBe(2);
    // Hidden output comes as Output: "" (as the service sends it).
    expect(hidden?.every((t) => !t.TaskResult?.Output)).toBe(true);
    expect(shown?.every((t) => typeof t.TaskResult?.Output === "string")).toBe(true);
    await reader.tasksById(task.slice(10, 12), true, {});
    expect(requests("DescribeInvocationTasks") - before).toBe(3);
  });

  test("a caller that gives up leaves; the shared request still answers the others", async () => {
    const { reader, requests } = await setUp();
    const gone = new AbortController();
    const left = reader.invocations(["inv-fleet001"], { signal: gone.signal });
    const stays = reader.invocations(["inv-fleet002"], { signal: new AbortController().signal });
    gone.abort(new Error("deadline reached"));
    await expect(left).rejects.toThrow("deadline reached");
    expect((await stays).map((i) => i.InvocationId)).toEqual(["inv-fleet002"]);
    expect(requests("DescribeInvocations")).toBe(1);
  });
});

test("a run's specs poll together and share their requests", async () => {
  // Real time: three specs, one invocation each, whose tasks end 1.5 s in.
  emulator = await startEmulator({
    scenario: generateFleet({
      invocations: 3,
      tasksPerInvocation: 20,
      timeline: "PENDING@0s RUNNING@0.5s SUCCESS@1.5s",
      output: "deploy ok\n",
    }),
  });
  const client = new TatClient({
    endpoint: emulator.url,
    region: "ap-guangzhou",
    credentials: staticCredentials({
      secretId: FLEET_CREDENTIAL.secretId,
      secretKey: FLEET_CREDENTIAL.secretKey,
    }),
  });
  const specs = [1, 2, 3].flatMap(
    (k) =>
      parseSpecs(
        `version: 1\nname: s${k}\nregion: ap-guangzhou\ntarget: { invocationId: inv-fleet00${k} }\nwait: { minInterval: 200ms, maxInterval: 400ms }\nexpect: { output: { matches: ['deploy ok'] } }\n`,
        `s${k}.yml`,
        { env: {} },
      ).specs,
  ) as Spec[];
  const report = await run({
    specs,
    api: batchingReader(tatReader(client)),
    reporters: [],
    version: "0",
  });
  expect(report.specs.map((s) => [s.outcome, s.counts.pass])).toEqual([
    ["pass", 20],
    ["pass", 20],
    ["pass", 20],
  ]);
  const polls = Math.max(...report.specs.map((s) => s.observation.polls));
  const requests = emulator.stats().requests;
  // Alone, each spec would make its own DescribeInvocations per poll and its own record fetch.
  expect(requests.DescribeInvocations).toBeLessThanOrEqual(polls + 1);
  expect(requests.DescribeInvocationTasks).toBe(1);
});
