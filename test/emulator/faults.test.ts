import { afterEach, describe, expect, test } from "@jest/globals";
import { faultRuleProblems, parsePath } from "../../src/emulator/faults.js";
import {
  buildScenario,
  type Emulator,
  type FaultRule,
  manualClock,
  startEmulator,
} from "../../src/emulator/index.js";
import { call, code } from "./api.js";

const clock = manualClock();
let emu: Emulator | undefined;
let slept: number[] = [];

async function start(faults: FaultRule[] = [], wallNow?: () => number): Promise<Emulator> {
  const scenario = buildScenario({
    credentials: [{ secretId: "AKIDTEST", secretKey: "test-key" }],
    invocations: [
      { id: "inv-fault001", commandId: "cmd-fault001", tasks: [{ instance: "ins-1" }] },
    ],
    faults,
  });
  let wall = Date.now();
  slept = [];
  emu = await startEmulator({
    scenario,
    clock,
    wallNow: wallNow ?? (() => (wall += 60)),
    sleep: async (ms) => {
      slept.push(ms);
    },
  });
  return emu;
}

afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function codes(e: Emulator, action: string, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(await code(e, action));
  return out;
}

describe("fault injection", () => {
  test("error code for the next N requests of one action, from the scenario file", async () => {
    const e = await start([{ action: "DescribeInvocations", error: "InternalError", times: 2 }]);
    expect(await codes(e, "DescribeInvocations", 3)).toEqual([
      "InternalError",
      "InternalError",
      "OK",
    ]);
    expect(await code(e, "DescribeInvocationTasks")).toBe("OK");
    expect(e.stats().errors.InternalError).toBe(2);
  });

  test("an injected error has the real envelope, with message and RequestId", async () => {
    const e = await start([{ error: "ResourceUnavailable", message: "try later", times: 1 }]);
    const { status, response } = await call(e, "DescribeInvocationTasks");
    expect(status).toBe(200);
    expect(response.Error).toEqual({ Code: "ResourceUnavailable", Message: "try later" });
    expect(response.RequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("every Kth request", async () => {
    const e = await start([
      { action: "DescribeInvocationTasks", every: 3, error: "InternalError" },
    ]);
    expect(await codes(e, "DescribeInvocationTasks", 7)).toEqual([
      "OK",
      "OK",
      "InternalError",
      "OK",
      "OK",
      "InternalError",
      "OK",
    ]);
  });

  test("only after scenario time T", async () => {
    const e = await start([{ error: "RequestLimitExceeded", after: "5s", times: 1 }]);
    expect(await code(e, "DescribeInvocations")).toBe("OK");
    clock.advance(5000);
    expect(await codes(e, "DescribeInvocations", 2)).toEqual(["RequestLimitExceeded", "OK"]);
  });

  test("injectFault at run time: HTTP 503 with a non-JSON body", async () => {
    const e = await start();
    e.injectFault({ action: "DescribeInvocationTasks", httpStatus: 503, times: 1 });
    const res = await fetch(e.url, {
      method: "POST",
      headers: { "X-TC-Action": "DescribeInvocationTasks" },
      body: "{}",
    });
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(() => JSON.parse(text)).toThrow();
    expect(await code(e, "DescribeInvocationTasks")).toBe("OK");
    expect(e.stats().errors.HTTP_503).toBe(1);
  });

  test("HTTP 502 with a custom body", async () => {
    const e = await start([{ httpStatus: 502, body: "Bad Gateway", times: 1 }]);
    const res = await fetch(e.url, { method: "POST", body: "{}" });
    expect(res.status).toBe(502);
    expect(await res.text()).toBe("Bad Gateway");
  });

  test("connection reset: the socket is destroyed without an answer", async () => {
    const e = await start([{ action: "DescribeInvocations", reset: true, times: 1 }]);
    await expect(call(e, "DescribeInvocations")).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(await code(e, "DescribeInvocations")).toBe("OK");
    expect(e.stats().errors.ConnectionReset).toBe(1);
  });

  test("latency delays a normal answer (waited through the injected sleep)", async () => {
    const e = await start([
      { latency: "250ms", times: 2 },
      { latency: 1, action: "DescribeInvocations" },
    ]);
    expect(await code(e, "DescribeInvocationTasks")).toBe("OK");
    expect(await code(e, "DescribeInvocations")).toBe("OK");
    expect(await code(e, "DescribeInvocations")).toBe("OK");
    expect(slept).toEqual([250, 1250, 1000]);
  });

  test("rules are validated", async () => {
    const e = await start();
    expect(() => e.injectFault({ error: "InternalError", reset: true })).toThrow(/at most one/);
    expect(() => e.injectFault({ action: "DescribeInvocations" })).toThrow(/give one of/);
    expect(() => e.injectFault({ latency: "soon" })).toThrow(/duration/);
    expect(() => e.injectFault({ error: "InternalError", times: 0 })).toThrow(/positive integer/);
  });
});

describe("rate limit", () => {
  test("a burst of 25 requests within one second: the 5 beyond 20 get RequestLimitExceeded", async () => {
    let wall = Date.now();
    const e = await start([], () => wall);
    const results = await Promise.all(
      Array.from({ length: 25 }, () => code(e, "DescribeInvocationTasks")),
    );
    expect(results.filter((c) => c === "RequestLimitExceeded")).toHaveLength(5);
    expect(results.filter((c) => c === "OK")).toHaveLength(20);
    // The limit is per action.
    expect(await code(e, "DescribeInvocations")).toBe("OK");
    expect(e.stats().rateLimited).toEqual({ DescribeInvocationTasks: 5 });
    expect(e.stats().requests.DescribeInvocationTasks).toBe(25);
    // A sliding window: a second later there is room again.
    wall += 1000;
    expect(await code(e, "DescribeInvocationTasks")).toBe("OK");
  });

  test("the window slides: requests spread over more than a second pass", async () => {
    let wall = Date.now();
    const e = await start([], () => wall);
    for (let i = 0; i < 40; i++) {
      expect(await code(e, "DescribeInvocationTasks")).toBe("OK");
      wall += 51; // 20 requests span 969 ms < 1 s, the 21st sees the first one leave
    }
  });
});

describe("malformed answers", () => {
  const tasks = (e: Emulator) =>
    call(e, "DescribeInvocationTasks", {
      Filters: [{ Name: "invocation-id", Values: ["inv-fault001"] }],
      HideOutput: false,
    });

  test("corrupt sets a field of every item ([*]) or removes it; error answers stay as they are", async () => {
    const e = await start([
      {
        action: "DescribeInvocationTasks",
        corrupt: { path: "InvocationTaskSet[*].TaskResult.ExitCode", value: "0" },
        times: 1,
      },
      {
        action: "DescribeInvocationTasks",
        corrupt: { path: "TotalCount", remove: true },
        times: 1,
      },
    ]);
    const first = await tasks(e);
    const set = first.response.InvocationTaskSet as { TaskResult: { ExitCode: unknown } }[];
    expect(set.map((t) => t.TaskResult.ExitCode)).toEqual(["0"]);
    const second = await tasks(e);
    expect(second.response).not.toHaveProperty("TotalCount");
    expect((await tasks(e)).response.TotalCount).toBe(1);
  });

  test("foreignRecord extra adds a record not asked for and raises TotalCount; reassign moves the first", async () => {
    const e = await start([
      { action: "DescribeInvocationTasks", foreignRecord: "extra", times: 1 },
      { action: "DescribeInvocationTasks", foreignRecord: "reassign", times: 1 },
    ]);
    const extra = (await tasks(e)).response;
    expect(extra.TotalCount).toBe(2);
    expect(
      (extra.InvocationTaskSet as { InvocationTaskId: string; InvocationId: string }[]).map((t) => [
        t.InvocationId,
        t.InvocationTaskId,
      ])[1],
    ).toEqual(["inv-foreign0", "invt-foreign0"]);
    const moved = (await tasks(e)).response.InvocationTaskSet as {
      InvocationId: string;
      InstanceId: string;
    }[];
    expect(moved[0]).toMatchObject({ InvocationId: "inv-foreign0", InstanceId: "ins-foreign0" });
  });

  test("totalCountDelta lies about the count; skipItems leaves records out", async () => {
    const e = await start([
      { action: "DescribeInvocationTasks", totalCountDelta: 5, times: 1 },
      { action: "DescribeInvocationTasks", skipItems: 1, times: 1 },
    ]);
    expect((await tasks(e)).response.TotalCount).toBe(6);
    const gap = (await tasks(e)).response;
    expect(gap.TotalCount).toBe(1);
    expect(gap.InvocationTaskSet).toEqual([]);
  });

  test("redirect answers 302 with the Location", async () => {
    const e = await start([{ redirect: "https://elsewhere.example/x", times: 1 }]);
    const res = await fetch(e.url, { method: "POST", redirect: "manual", body: "{}" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("https://elsewhere.example/x");
    expect(e.stats().errors.Redirect).toBe(1);
  });

  test("oversize streams a valid answer padded to the size, with no Content-Length", async () => {
    const e = await start([{ oversize: 3 * 1024 * 1024 + 5, times: 1 }]);
    const res = await fetch(e.url, { method: "POST", body: "{}" });
    expect(res.headers.get("content-length")).toBeNull();
    const text = await res.text();
    expect(text.length).toBe(3 * 1024 * 1024 + 5);
    expect(JSON.parse(text)).toHaveProperty("Response.RequestId");
  });

  test("gzipBomb is small on the wire and inflates to at least the size", async () => {
    const e = await start([{ gzipBomb: 8 * 1024 * 1024, times: 1 }]);
    const res = await fetch(e.url, { method: "POST", body: "{}" });
    expect(Number(res.headers.get("content-length"))).toBeLessThan(64 * 1024);
    const text = await res.text();
    expect(text.length).toBeGreaterThanOrEqual(8 * 1024 * 1024);
    expect(JSON.parse(text)).toHaveProperty("Response.RequestId");
  });

  test("rules are checked: one effect, a readable path, positive sizes, an absolute URL", () => {
    expect(faultRuleProblems({ corrupt: { path: "A..B" } })).toEqual([
      "`corrupt.path` is not a field path like `InvocationTaskSet[0].TaskResult.ExitCode`",
    ]);
    expect(faultRuleProblems({ skipItems: 0 })).toEqual(["`skipItems` must be a positive integer"]);
    expect(faultRuleProblems({ redirect: "/relative" })).toEqual([
      "`redirect` must be an absolute URL",
    ]);
    expect(faultRuleProblems({ oversize: 10, gzipBomb: 10 })[0]).toMatch(/^give at most one of/);
    expect(parsePath("InvocationTaskSet[*].TaskResult.ExitCode")).toEqual([
      "InvocationTaskSet",
      "*",
      "TaskResult",
      "ExitCode",
    ]);
    expect(parsePath("A[0]B")).toBeUndefined();
  });
});
