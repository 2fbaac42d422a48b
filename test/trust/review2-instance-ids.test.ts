// Review: an instance id is text from the API, and a lookup by it must not reach Object.prototype.
// An answer whose InstanceId was `constructor` made the output decoder take Object's constructor
// for the instance's encoding and throw: exit 70 (an internal bug) on something the API can send.
// Real HTTP: the TAT emulator behind a hostile server that renames the instance everywhere.
import { afterEach, expect, test } from "@jest/globals";
import {
  buildScenario,
  type Emulator,
  manualClock,
  startEmulator,
} from "../../src/emulator/index.js";
import { type HostileServer, hostileServer } from "../helpers/hostile-server.js";
import { runSpec } from "./run-spec.js";

const CRED = { secretId: "AKIDREVIEW2INSTANCE0000000000000", secretKey: "review2-ins-secret" };
let emulator: Emulator | undefined;
let hostile: HostileServer | undefined;
afterEach(async () => {
  await hostile?.close();
  await emulator?.close();
  emulator = undefined;
  hostile = undefined;
});

const rename =
  (name: string, field = "InstanceId") =>
  (value: unknown) => {
    if (!Array.isArray(value)) return;
    for (const r of value as Record<string, unknown>[]) {
      if (typeof r[field] === "string") r[field] = name;
      rename(name, field)(r.InvocationTaskBasicInfoSet);
    }
  };

async function gate(name: string, expect_: string, failEarly: boolean, field = "InstanceId") {
  const clock = manualClock();
  emulator = await startEmulator({
    scenario: buildScenario({
      version: 1,
      credentials: [CRED],
      invocations: [
        {
          id: "inv-7e71e501",
          commandId: "cmd-7e71e501",
          tasks: [
            {
              instance: "ins-7e71e501",
              id: "invt-7e71e501",
              timeline: "PENDING@0s RUNNING@1s SUCCESS@8s",
              outputChunks: [
                { at: "1.5s", output: "step 1 ok\n" },
                { at: "7s", output: "deploy ok\n" },
              ],
            },
          ],
        },
      ],
    }),
    clock,
  });
  hostile = await hostileServer(emulator.url, (_req, up) => {
    rename(name, field)(up.response.InvocationSet);
    rename(name, field)(up.response.InvocationTaskSet);
    return undefined;
  });
  const yaml =
    "version: 1\nname: ids\ntarget: { invocationId: inv-7e71e501 }\n" +
    "wait: { timeout: 2m, minInterval: 2s, maxInterval: 2s }\n" +
    `expect:\n${expect_}${failEarly ? "    failEarly: true\n" : ""}`;
  return await runSpec({
    endpoint: hostile.url,
    credential: CRED,
    clock,
    yaml,
    failFast: failEarly,
  });
}

test.each([
  ["constructor", false],
  ["__proto__", false],
  ["constructor", true],
  ["toString", true],
])(
  "InstanceId %s (failEarly %s) is judged as text, never an internal error",
  async (name, early) => {
    const report = await gate(
      name,
      "  output:\n    matches: deploy ok\n    notMatches: FATAL\n",
      early,
    );
    expect(report.errors).toEqual([]);
    expect(report.exitCode).toBe(0);
    expect(report.specs[0]?.tasks[0]?.instanceId).toBe(name);
  },
);

test("a TaskStatus `constructor` is counted as a number, not joined to Object's constructor", async () => {
  const report = await gate("constructor", "  status: SUCCESS\n", false, "TaskStatus");
  expect(report.errors).toEqual([]);
  expect(report.exitCode).toBe(3);
  expect(report.specs[0]?.observation.statusCounts).toEqual({ constructor: 1 });
});
