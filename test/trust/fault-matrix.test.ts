// The fault matrix (issue 9): for every way the API can misbehave, the real gate (the CLI's main →
// runGate → client → poller) runs over real HTTP against the emulator, made to misbehave by its own
// fault rules or by a hostile server in front of it. Each case asserts the exit code, the message,
// and that the JSON report does not say "pass". The scenario is all green: whatever the gate
// reports instead of a pass is the misbehaviour's doing (the first case proves it).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createNetServer } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { createServer as createTlsServer } from "node:tls";
import { afterEach, describe, expect, test } from "@jest/globals";
import { main } from "../../src/cli/main.js";
import {
  buildScenario,
  type Emulator,
  type FaultRule,
  startEmulator,
} from "../../src/emulator/index.js";
import { MAX_RESPONSE_BYTES } from "../../src/tat/client.js";
import {
  firstRecord,
  type HostileServer,
  hostileServer,
  type Rewriter,
} from "../helpers/hostile-server.js";
import { Capture } from "../report/stream.js";

const CRED = {
  secretId: "AKIDMATRIX000000000000000000000000000",
  secretKey: "matrix-secret-key-never-shown",
};
const INV = "inv-matrix01";
const BIG = "inv-matrix02";

const scenario = (faults: FaultRule[]) =>
  buildScenario({
    credentials: [CRED],
    invocations: [
      {
        id: INV,
        commandId: "cmd-matrix01",
        tasks: [
          {
            instance: "ins-mtx00001",
            timeline: "PENDING@0s RUNNING@0.1s SUCCESS@0.3s",
            output: "ok\n",
          },
          {
            instance: "ins-mtx00002",
            timeline: "PENDING@0s RUNNING@0.1s SUCCESS@0.3s",
            output: "ok\n",
          },
        ],
      },
      {
        id: BIG,
        commandId: "cmd-matrix02",
        fleet: {
          count: 150,
          instancePrefix: "ins-big",
          template: { timeline: "PENDING@0s SUCCESS@0.2s", output: "ok\n" },
        },
      },
    ],
    faults,
  });

const SMALL_SPEC = `version: 1
name: matrix
target: { invocationId: ${INV} }
wait: { timeout: 60s, minInterval: 200ms, maxInterval: 300ms }
expect:
  exitCode: 0
  output: { matches: [ok] }
`;
const FLEET_SPEC = `version: 1
name: matrix fleet
target: { filters: { invocation-id: [${BIG}] } }
wait: { timeout: 60s, minInterval: 200ms, maxInterval: 300ms }
expect:
  exitCode: 0
`;
/** A wait of ten minutes: a failure waiting cannot fix must end long before it. */
const PATIENT_SPEC = SMALL_SPEC.replace("timeout: 60s", "timeout: 10m");

interface Outcome {
  code: number;
  out: string;
  report: { outcome: string; exitCode: number; specs: { outcome: string }[] };
  ms: number;
}

let emulator: Emulator | undefined;
let hostile: HostileServer | undefined;
const servers: Server[] = [];

afterEach(async () => {
  await hostile?.close();
  await emulator?.close();
  for (const s of servers.splice(0)) {
    s.closeAllConnections?.();
    await new Promise<void>((r) => s.close(() => r()));
  }
  hostile = undefined;
  emulator = undefined;
});

async function gate(endpoint: string, spec = SMALL_SPEC): Promise<Outcome> {
  const cwd = mkdtempSync(join(tmpdir(), "tat-assert-matrix-"));
  writeFileSync(join(cwd, "spec.yml"), spec);
  const stdout = new Capture();
  const stderr = new Capture();
  const started = Date.now();
  const code = await main(
    [
      "spec.yml",
      "--endpoint",
      endpoint,
      "--region",
      "ap-guangzhou",
      "--reporter",
      "json:report.json",
    ],
    {
      stdout,
      stderr,
      cwd,
      env: {
        TENCENTCLOUD_SECRET_ID: CRED.secretId,
        TENCENTCLOUD_SECRET_KEY: CRED.secretKey,
        NO_COLOR: "1",
        CI: "true",
      },
    },
  );
  const report = JSON.parse(readFileSync(join(cwd, "report.json"), "utf8")) as Outcome["report"];
  return { code, out: stdout.text + stderr.text, report, ms: Date.now() - started };
}

async function emulate(faults: FaultRule[] = [], wallNow?: () => number): Promise<string> {
  emulator = await startEmulator({
    scenario: scenario(faults),
    speed: 1,
    ...(wallNow && { wallNow }),
  });
  return emulator.url;
}

async function behind(rewrite: Rewriter, faults: FaultRule[] = []): Promise<string> {
  hostile = await hostileServer(await emulate(faults), rewrite);
  return hostile.url;
}

/** No report may read as a pass, and the secret is never printed. */
function neverPassed(r: Outcome, exit: number): void {
  const context = `exit ${r.code}\n${r.out}`;
  expect({ exit: r.code, context }).toEqual({ exit, context });
  expect(r.report.exitCode).toBe(exit);
  expect(r.report.outcome).not.toBe("pass");
  for (const s of r.report.specs) expect(s.outcome).not.toBe("pass");
  expect(r.out).not.toContain(CRED.secretKey);
}

/** Rewrites the first task record of every DescribeInvocationTasks answer that carries output. */
const onTaskRecord =
  (change: (task: Record<string, unknown>) => void): Rewriter =>
  (req, up) => {
    if (req.action !== "DescribeInvocationTasks" || up.response.Error) return;
    if ((up.response.InvocationTaskSet as unknown[]).length === 0) return;
    change(firstRecord(up.response));
  };
const onResult = (field: string, value: unknown) =>
  onTaskRecord((t) => {
    (t.TaskResult as Record<string, unknown>)[field] = value;
  });

test("baseline: through the hostile server, passing everything on, the gate passes", async () => {
  const r = await gate(await behind(() => undefined));
  expect({ code: r.code, out: r.out }).toEqual({ code: 0, out: expect.stringContaining("PASS") });
  expect(r.report.outcome).toBe("pass");
});

describe("1. wrong types are API errors (exit 4) naming action, field, value and RequestId", () => {
  test.each([
    ["ExitCode a string", "ExitCode", "0", 'must be an integer, got the string "0"'],
    ["ExitCode an empty string", "ExitCode", "", 'must be an integer, got the string ""'],
    ["ExitCode false", "ExitCode", false, "must be an integer, got false"],
    ["ExitCode a fraction", "ExitCode", 0.5, "must be an integer, got 0.5"],
    ["Dropped negative", "Dropped", -1, "must not be negative, got -1"],
    ["Dropped a string", "Dropped", "3", 'must be an integer, got the string "3"'],
    ["Output not base64", "Output", "this is not base64!", "must be base64"],
  ])("%s", async (_, field, value, problem) => {
    const r = await gate(await behind(onResult(field, value)));
    neverPassed(r, 4);
    expect(r.out).toContain(
      `DescribeInvocationTasks MalformedResponse: Response.InvocationTaskSet[0].TaskResult.${field} ${problem}`,
    );
    expect(r.out).toMatch(/RequestId [0-9a-f-]{36}/);
  });

  test.each([
    [
      "a set that is not an array",
      { InvocationTaskSet: { a: 1 } },
      "Response.InvocationTaskSet must be an array, got an object",
    ],
    [
      "a null item",
      { InvocationTaskSet: [null] },
      "Response.InvocationTaskSet[0] must be an object, got null",
    ],
    [
      "a number where TaskResult belongs",
      "TaskResult",
      "Response.InvocationTaskSet[0].TaskResult must be an object, got 7",
    ],
  ])("%s", async (_, patch, message) => {
    const rewrite: Rewriter =
      patch === "TaskResult"
        ? onTaskRecord((t) => {
            t.TaskResult = 7;
          })
        : (req, up) => {
            if (req.action === "DescribeInvocationTasks") Object.assign(up.response, patch);
          };
    const r = await gate(await behind(rewrite));
    neverPassed(r, 4);
    expect(r.out).toContain(`MalformedResponse: ${message}`);
  });

  test.each([
    [
      "a Code that is a number",
      { Code: 7, Message: "x" },
      "Response.Error.Code must be a string, got 7",
    ],
    ["no Code", { Message: "x" }, "Response.Error.Code is required, got nothing"],
    [
      "a string",
      "InternalError",
      'Response.Error must be an object, got the string "InternalError"',
    ],
  ])("an Error with %s, next to valid data, is not an answer", async (_, error, message) => {
    const r = await gate(
      await behind((req, up) => {
        if (req.action === "DescribeInvocationTasks") up.response.Error = error;
      }),
    );
    neverPassed(r, 4);
    expect(r.out).toContain(`DescribeInvocationTasks MalformedResponse: ${message}`);
  });

  test("the emulator's own corrupt fault: DescribeInvocations with a task list that is a string", async () => {
    const url = await emulate([
      {
        action: "DescribeInvocations",
        corrupt: { path: "InvocationSet[0].InvocationTaskBasicInfoSet", value: "invt-1" },
      },
    ]);
    const r = await gate(url);
    neverPassed(r, 4);
    expect(r.out).toContain(
      'DescribeInvocations MalformedResponse: Response.InvocationSet[0].InvocationTaskBasicInfoSet must be an array, got the string "invt-1"',
    );
  });

  test("absurd nesting is refused before it is parsed", async () => {
    const r = await gate(
      await behind((req, up) => {
        if (req.action !== "DescribeInvocations") return;
        up.response.Extra = "DEEP";
        const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
        return {
          status: 200,
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(up.body).replace('"DEEP"', deep),
        };
      }),
    );
    neverPassed(r, 4);
    expect(r.out).toContain(
      "MalformedResponse: Response must not nest deeper than 32 levels, got more than 32 levels",
    );
  });

  test("an answer holding a byte that is not UTF-8 is malformed, not read as U+FFFD", async () => {
    const r = await gate(
      await behind((req, up) => {
        if (req.action !== "DescribeInvocationTasks") return;
        up.response.Extra = "MARK";
        const [before, after] = JSON.stringify(up.body).split('"MARK"');
        return {
          status: 200,
          headers: { "Content-Type": "application/json" },
          body: Buffer.concat([
            Buffer.from(`${before}"`),
            Buffer.from("Ungültig", "latin1"),
            Buffer.from(`"${after}`),
          ]),
        };
      }),
    );
    neverPassed(r, 4);
    expect(r.out).toContain(
      "DescribeInvocationTasks MalformedResponse: Response must be UTF-8 JSON, got bytes that are not UTF-8",
    );
  });

  test("a string of 5 million escapes (10 MB, under the size cap) is read, not an internal error", async () => {
    // The nesting check once skipped strings with a regex that overflowed its stack on them.
    const r = await gate(
      await behind((req, up) => {
        if (req.action === "DescribeInvocationTasks") up.response.Extra = "\n".repeat(5_000_000);
      }),
    );
    expect({ code: r.code, out: r.out }).toEqual({ code: 0, out: expect.stringContaining("PASS") });
  });
});

describe("2. records that do not belong are API errors (exit 4), never adopted", () => {
  test("a task that was not asked for (emulator fault foreignRecord: extra)", async () => {
    const r = await gate(
      await emulate([{ action: "DescribeInvocationTasks", foreignRecord: "extra" }]),
    );
    neverPassed(r, 4);
    expect(r.out).toContain(
      'DescribeInvocationTasks ForeignRecord: task "invt-foreign0" was not asked for',
    );
  });

  test("an invocation that was not requested", async () => {
    const r = await gate(
      await emulate([{ action: "DescribeInvocations", foreignRecord: "extra" }]),
    );
    neverPassed(r, 4);
    expect(r.out).toContain(
      `DescribeInvocations ForeignRecord: invocation "inv-foreign0" was not asked for (asked: ${INV})`,
    );
  });

  test("a task of another invocation (the record moved to another invocation)", async () => {
    const r = await gate(
      await emulate([{ action: "DescribeInvocationTasks", foreignRecord: "reassign" }]),
    );
    neverPassed(r, 4);
    expect(r.out).toMatch(
      /DescribeInvocationTasks ForeignRecord: task invt-\S+ came as part of invocation "inv-foreign0", but it was seen under inv-matrix01/,
    );
  });

  test("a record the filter does not select (its own field does not match)", async () => {
    const r = await gate(
      await emulate([{ action: "DescribeInvocationTasks", foreignRecord: "extra" }]),
      FLEET_SPEC,
    );
    neverPassed(r, 4);
    expect(r.out).toContain(
      `has InvocationId "inv-foreign0", which the filter invocation-id=${BIG} does not select`,
    );
  });
});

describe("3. pages that do not add up: re-walked, then could not verify (exit 3)", () => {
  test("a TotalCount larger than the records (emulator fault totalCountDelta)", async () => {
    const r = await gate(
      await emulate([{ action: "DescribeInvocationTasks", totalCountDelta: 1 }]),
    );
    neverPassed(r, 3);
    expect(r.out).toContain(
      "the result set is inconsistent: TotalCount 3 but the pages end after 2 records (walked 3 times)",
    );
    expect(r.out).toContain("did not add up");
  });

  test("a TotalCount of 1e12 on a filters target: too large to read whole, one page and no walk again", async () => {
    const url = await emulate([
      { action: "DescribeInvocationTasks", corrupt: { path: "TotalCount", value: 1e12 } },
    ]);
    const r = await gate(url, FLEET_SPEC);
    neverPassed(r, 3);
    expect(r.out).toContain(
      "the result set is too large to read whole: TotalCount 1000000000000 is over 100,000 records; narrow the target",
    );
    expect(r.ms).toBeLessThan(20_000);
  });

  test("an invocation listing over 100,000 tasks: too large to read whole, not an exhausted heap", async () => {
    const tasks = Array.from({ length: 100_001 }, (_, i) => ({
      InvocationTaskId: `invt-big${i.toString(36)}`,
      TaskStatus: "RUNNING",
      InstanceId: `ins-big${i.toString(36)}`,
    }));
    const url = await emulate([
      {
        action: "DescribeInvocations",
        corrupt: { path: "InvocationSet[0].InvocationTaskBasicInfoSet", value: tasks },
      },
    ]);
    const r = await gate(url);
    neverPassed(r, 3);
    expect(r.out).toContain(
      "DescribeInvocations: the result set is too large to read whole: the target names over 100,000 tasks; narrow the target",
    );
  });

  test("a TotalCount smaller than the records", async () => {
    const r = await gate(
      await emulate([{ action: "DescribeInvocationTasks", totalCountDelta: -1 }]),
    );
    neverPassed(r, 3);
    expect(r.out).toContain("TotalCount 1 but the pages held 2 distinct records");
  });

  test("a gap between pages (emulator fault skipItems on the second page)", async () => {
    const url = await behind((req, up) => {
      if (req.action === "DescribeInvocationTasks" && req.params.Offset === 99) {
        (up.response.InvocationTaskSet as unknown[]).splice(0, 5);
      }
    });
    const r = await gate(url, FLEET_SPEC);
    neverPassed(r, 3);
    expect(r.out).toContain("the page at offset 99 does not start where the page before ended");
  });

  test("a record served twice", async () => {
    const url = await behind((req, up) => {
      if (req.action !== "DescribeInvocationTasks" || req.params.Offset !== 99) return;
      const set = up.response.InvocationTaskSet as unknown[];
      set[set.length - 1] = structuredClone(set[1]);
    });
    const r = await gate(url, FLEET_SPEC);
    neverPassed(r, 3);
    expect(r.out).toMatch(/record "invt-\S+" came twice/);
  });

  test("a full last page where TotalCount says the walk is over", async () => {
    const url = await behind((req, up) => {
      if (req.action === "DescribeInvocationTasks") up.response.TotalCount = 100;
    });
    const r = await gate(url, FLEET_SPEC);
    neverPassed(r, 3);
    expect(r.out).toContain(
      "TotalCount 100 but the list goes on past it (50 more records after a full last page)",
    );
  });

  test("a TotalCount that disagrees with the task list DescribeInvocations reported", async () => {
    // Pages that add up among themselves, but one of the invocation's two tasks is missing.
    const url = await behind((req, up) => {
      if (req.action !== "DescribeInvocationTasks") return;
      const set = up.response.InvocationTaskSet as unknown[];
      if (set.length === 2) {
        set.pop();
        up.response.TotalCount = 1;
      }
    });
    const r = await gate(url);
    neverPassed(r, 3);
    expect(r.out).toMatch(
      /1 of 2 tasks known to exist were not returned \(invt-\S+\); TotalCount disagrees/,
    );
  });
});

describe("3b. a task whose status and exit code contradict each other: could not verify (exit 3)", () => {
  // TAT reports SUCCESS for exit code 0 and FAILED for any other: a record saying both cannot be
  // judged on, not even by a spec that asks only for the status.
  const STATUS_ONLY = `version: 1
name: matrix status
target: { invocationId: ${INV} }
wait: { timeout: 60s, minInterval: 200ms, maxInterval: 300ms }
expect:
  status: SUCCESS
`;
  test.each([
    [
      "SUCCESS with ExitCode 1",
      () =>
        emulate([
          {
            action: "DescribeInvocationTasks",
            corrupt: { path: "InvocationTaskSet[*].TaskResult.ExitCode", value: 1 },
          },
        ]),
      "TAT reported SUCCESS with exit code 1, but SUCCESS means exit code 0",
    ],
    [
      "FAILED with ExitCode 0",
      // Told in every answer, the task list included: had the list said SUCCESS, the two answers
      // would contradict each other (a finished task does not change status) before the record
      // contradicts itself.
      () =>
        behind((_req, up) => {
          const sets = [
            up.response.InvocationTaskSet,
            ...((up.response.InvocationSet as Record<string, unknown>[] | undefined) ?? []).map(
              (i) => i.InvocationTaskBasicInfoSet,
            ),
          ];
          for (const set of sets) {
            for (const t of (set as Record<string, unknown>[] | undefined) ?? []) {
              if (t.TaskStatus === "SUCCESS") t.TaskStatus = "FAILED";
            }
          }
        }),
      "TAT reported FAILED with exit code 0, but FAILED means a non-zero exit code",
    ],
  ])("%s, against a spec that asks only for the status", async (_, serve, message) => {
    const url = await serve();
    const r = await gate(url, STATUS_ONLY);
    neverPassed(r, 3);
    expect(r.out).toContain(`could not verify: ${message}: the answer contradicts itself`);
  });
});

test("3c. a task that ended SUCCESS in the task list and comes FAILED where its record is read: could not verify (exit 3)", async () => {
  // TAT never moves a task from one final status to another: one of the two answers is a lie, and
  // the record judged may be the one.
  const url = await behind(
    onTaskRecord((t) => {
      t.TaskStatus = "FAILED";
      (t.TaskResult as Record<string, unknown>).ExitCode = 1;
    }),
  );
  const r = await gate(url);
  neverPassed(r, 3);
  expect(r.out).toMatch(
    /DescribeInvocationTasks: the answers contradict each other: task invt-\S+ on ins-mtx0000\d came as FAILED, but an earlier answer said it had ended as SUCCESS; a finished task does not change status/,
  );
});

describe("3d. a task list that is not all the tasks is never judged as if it were (exit 3 or 1)", () => {
  const SHORT_WAIT = SMALL_SPEC.replace("timeout: 60s", "timeout: 3s, notFoundGrace: 1s");
  /** DescribeInvocations as a lagging or lying listing shows the invocation. */
  const listing =
    (change: (inv: Record<string, unknown>) => void): Rewriter =>
    (req, up) => {
      if (req.action !== "DescribeInvocations" || up.response.Error) return;
      for (const inv of up.response.InvocationSet as Record<string, unknown>[]) change(inv);
    };

  test("an invocation that says PARTIAL_FAILED while every listed task succeeded: its list is short", async () => {
    const r = await gate(
      await behind(
        listing((inv) => {
          if (inv.InvocationId !== INV) return;
          const tasks = inv.InvocationTaskBasicInfoSet as { InstanceId: string }[];
          inv.InvocationTaskBasicInfoSet = tasks.filter((t) => t.InstanceId === "ins-mtx00001");
          inv.InvocationStatus = "PARTIAL_FAILED";
        }),
      ),
      SHORT_WAIT,
    );
    neverPassed(r, 3);
    expect(r.out).toContain(
      `invocation ${INV} says PARTIAL_FAILED, but its one listed task succeeded: its task list is short`,
    );
  });

  test("an invocation that still says RUNNING after every listed task ended is waited for", async () => {
    const r = await gate(
      await behind(
        listing((inv) => {
          inv.InvocationStatus = "RUNNING";
        }),
      ),
      SHORT_WAIT,
    );
    neverPassed(r, 3);
    expect(r.out).toContain(
      `invocation ${INV} still says RUNNING though all 2 of its listed tasks have ended`,
    );
  });

  test("one of two invocations listed without any task fails the spec, not passes on the other", async () => {
    const empty = "inv-matrix03";
    const r = await gate(
      await behind((req, up) => {
        if (req.action !== "DescribeInvocations" || up.response.Error) return;
        (up.response.InvocationSet as unknown[]).push({
          InvocationId: empty,
          InvocationStatus: "SUCCESS",
          CommandId: "cmd-matrix01",
          InvocationTaskBasicInfoSet: [],
        });
        up.response.TotalCount = (up.response.TotalCount as number) + 1;
      }),
      SHORT_WAIT.replace(`invocationId: ${INV}`, `invocationIds: [${INV}, ${empty}]`),
    );
    neverPassed(r, 1);
    expect(r.out).toContain(`invocation ${empty} matched no task; set allowNoTasks: true`);
  });

  test("a filter naming an invocation id never seen does not pass on the ones that were", async () => {
    const r = await gate(
      await emulate(),
      SHORT_WAIT.replace(
        `target: { invocationId: ${INV} }`,
        `target: { filters: { invocation-id: [${INV}, inv-typo0002] } }`,
      ),
    );
    neverPassed(r, 3);
    expect(r.out).toContain("no task with invocation-id=inv-typo0002 found after");
  });
});

describe("4. transport", () => {
  test("a redirect is not followed and names the Location host; nothing reaches that host", async () => {
    let stolen = 0;
    const thief = createHttpServer((_, res) => {
      stolen++;
      res.end("{}");
    });
    servers.push(thief);
    await new Promise<void>((r) => thief.listen(0, "127.0.0.1", r));
    const port = (thief.address() as { port: number }).port;
    const r = await gate(await emulate([{ redirect: `http://127.0.0.1:${port}/collect` }]));
    neverPassed(r, 4);
    expect(r.out).toContain(
      `REDIRECT: ${new URL(emulator?.url ?? "").host} answered HTTP 302 redirecting to 127.0.0.1:${port}`,
    );
    expect(r.out).toContain("give the API's own address");
    expect(stolen).toBe(0);
  });

  test(`an answer over ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB is refused, not read to the end`, async () => {
    const r = await gate(
      await emulate([
        { action: "DescribeInvocations", oversize: MAX_RESPONSE_BYTES + 1024 * 1024 },
      ]),
    );
    neverPassed(r, 4);
    expect(r.out).toContain("BODY_TOO_LARGE");
    expect(r.out).toContain("larger than 32 MiB (decoded)");
  });

  test("a gzip bomb (1 GiB inflated from about 1 MiB) stops inflating at the cap", async () => {
    const before = process.memoryUsage().rss;
    const r = await gate(
      await emulate([{ action: "DescribeInvocations", gzipBomb: 1024 * 1024 * 1024 }]),
    );
    neverPassed(r, 4);
    expect(r.out).toContain("BODY_TOO_LARGE");
    // Never the inflated gigabyte in memory.
    expect(process.memoryUsage().rss - before).toBeLessThan(512 * 1024 * 1024);
  });

  test.each([
    [
      "a name that does not resolve",
      () => "http://tat.does-not-exist.invalid",
      "ENOTFOUND",
      "the host name does not exist",
    ],
    ["a port fetch blocks", () => "http://127.0.0.1:1", "BAD_PORT", "use the service's port"],
    [
      "TLS spoken to a plain port",
      () => emulate().then((u) => u.replace("http:", "https:")),
      "ERR_SSL_",
      "https:// for a TLS port, http:// for a plain one",
    ],
    [
      "a TLS answer to plain HTTP",
      tlsAlertServer,
      "NOT_HTTP",
      "https:// for a TLS port, http:// for a plain one",
    ],
    [
      "plain HTTP to a TLS port that closes without a word",
      silentTlsServer,
      "NOT_HTTP: cannot reach 127.0.0.1",
      "it speaks TLS, but the endpoint says http://",
    ],
    [
      "a refused connection on a host that is not this machine",
      refusingRemoteHost,
      "ECONNREFUSED",
      "nothing listens at that host and port",
    ],
  ])(
    "%s: exit 4 with a hint after a short bounded retry, not at the deadline",
    async (_, endpoint, code, hint) => {
      const r = await gate(await endpoint(), PATIENT_SPEC);
      neverPassed(r, 4);
      expect(r.out).toContain(code);
      expect(r.out).toContain(hint);
      expect(r.ms).toBeLessThan(30_000);
    },
  );

  test("a clock so far off that every signature expires: exit 4 with the clock hint, at once", async () => {
    const url = await emulate([], () => Date.now() + 60 * 60_000);
    const r = await gate(url, PATIENT_SPEC);
    neverPassed(r, 4);
    expect(r.out).toContain("AuthFailure.SignatureExpire");
    expect(r.out).toContain("the local clock is more than 5 minutes off");
    expect(r.ms).toBeLessThan(30_000);
  });
});

/** Answers every request with the bytes of a TLS alert, as a TLS-only port would. */
async function tlsAlertServer(): Promise<string> {
  const server = createNetServer((socket) => {
    socket.once("data", () => socket.end(Buffer.from([0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46])));
  });
  servers.push(server as unknown as Server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

/** A TLS-only port (pre-shared keys, so no certificate is needed) that drops plain HTTP silently,
 * as TLS servers do. */
async function silentTlsServer(): Promise<string> {
  const server = createTlsServer({
    ciphers: "PSK-AES128-GCM-SHA256",
    maxVersion: "TLSv1.2",
    pskCallback: () => Buffer.alloc(16),
  });
  server.on("tlsClientError", () => {});
  servers.push(server as unknown as Server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

/** This machine's first non-loopback address, on a port nothing listens on. */
async function refusingRemoteHost(): Promise<string> {
  const address = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === "IPv4" && !a.internal)?.address;
  if (!address) throw new Error("this test needs a non-loopback IPv4 interface");
  const probe = createNetServer();
  await new Promise<void>((r) => probe.listen(0, address, r));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  return `http://${address}:${port}`;
}
