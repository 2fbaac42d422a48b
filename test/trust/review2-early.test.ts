// Review (found sound, kept as a guard): a running-task read must never judge a record it did not
// ask for. Judged, a FATAL in another task's output would count as a failure, fail-fast would stop
// the wait, and with no task of the target failed every task would be "not waited for" and the spec
// skipped: exit 0 with nothing checked. The client and consistentReader refuse such records first.
// Real HTTP: the TAT emulator behind a hostile server that adds or changes the record.
import { afterEach, expect, test } from "@jest/globals";
import {
  buildScenario,
  type Emulator,
  manualClock,
  startEmulator,
} from "../../src/emulator/index.js";
import { type HostileServer, hostileServer } from "../helpers/hostile-server.js";
import { runSpec } from "./run-spec.js";

const CRED = { secretId: "AKIDREVIEW2EARLY00000000000000000", secretKey: "review2-early-secret" };
let emulator: Emulator | undefined;
let hostile: HostileServer | undefined;
afterEach(async () => {
  await hostile?.close();
  await emulator?.close();
  emulator = undefined;
  hostile = undefined;
});

async function gate(foreign: (record: Record<string, unknown>) => void, inPlace: boolean) {
  const clock = manualClock();
  emulator = await startEmulator({
    scenario: buildScenario({
      version: 1,
      credentials: [CRED],
      invocations: [
        {
          id: "inv-7e71ea01",
          commandId: "cmd-7e71ea01",
          timeout: 900,
          tasks: [
            {
              instance: "ins-7e71ea01",
              id: "invt-7e71ea01",
              timeline: "PENDING@0s RUNNING@1s SUCCESS@600s",
              outputChunks: [{ at: "1.5s", output: "all fine\n" }],
            },
          ],
        },
      ],
    }),
    clock,
  });
  hostile = await hostileServer(emulator.url, (req, up) => {
    if (req.action !== "DescribeInvocationTasks" || up.response.Error) return undefined;
    if (req.params.HideOutput !== false) return undefined;
    const set = up.response.InvocationTaskSet as Record<string, unknown>[];
    const running = set.find((t) => t.TaskStatus === "RUNNING");
    if (!running) return undefined;
    const other = inPlace ? running : structuredClone(running);
    foreign(other);
    if (!inPlace) set.push(other);
    up.response.TotalCount = set.length;
    return undefined;
  });
  const yaml =
    "version: 1\nname: early\ntarget: { invocationId: inv-7e71ea01 }\n" +
    "wait: { timeout: 30s, minInterval: 2s, maxInterval: 2s }\n" +
    "expect:\n  output:\n    notMatches: FATAL\n    failEarly: true\n";
  return await runSpec({ endpoint: hostile.url, credential: CRED, clock, yaml, failFast: true });
}

const FATAL = Buffer.from("FATAL: not this task\n").toString("base64");

test.each([
  [
    "a task not asked for",
    (r: Record<string, unknown>) => {
      r.InvocationTaskId = "invt-0the0001";
      r.InstanceId = "ins-0the0001";
    },
    /was not asked for/,
    false,
  ],
  [
    "the task asked for, on another instance",
    (r: Record<string, unknown>) => {
      r.InstanceId = "ins-0the0001";
    },
    /ins-0the0001|inconsistent/,
    true,
  ],
])(
  "a running record of %s is refused, never judged into a stop",
  async (_what, change, why, inPlace) => {
    const report = await gate((r) => {
      change(r);
      (r.TaskResult as Record<string, unknown>).Output = FATAL;
    }, inPlace);
    // An API error (4) or answers that do not add up (3): never a pass, nor a FATAL judged.
    expect([3, 4]).toContain(report.exitCode);
    expect(report.specs[0]?.outcome).toBe("error");
    expect(report.specs[0]?.observation.reason).toMatch(why);
  },
);
