// The client against the TAT emulator over real HTTP: pagination, errors as the API sends them,
// authentication failures, the rate limit and retries, counted with the emulator's stats().
import { afterEach, describe, expect, test } from "@jest/globals";
import { staticCredentials } from "../../src/credentials/types.js";
import {
  buildScenario,
  type Emulator,
  generateFleet,
  manualClock,
  startEmulator,
} from "../../src/emulator/index.js";
import { TatApiError, TatNetworkError, UsageError } from "../../src/errors.js";
import type { ApiErrorRecord } from "../../src/model.js";
import { TatClient, type TatClientOptions } from "../../src/tat/client.js";
import { listInvocations, listInvocationTasks } from "../../src/tat/paginate.js";
import { RateLimiter } from "../../src/tat/rate-limiter.js";
import { rejection } from "../helpers/rejection.js";
import { skippingTime } from "./fake-time.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const emulators: Emulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

async function start(options: Parameters<typeof startEmulator>[0]): Promise<Emulator> {
  const emu = await startEmulator(options);
  emulators.push(emu);
  return emu;
}

function clientFor(emu: Emulator, options: Partial<TatClientOptions> = {}) {
  const records: ApiErrorRecord[] = [];
  const time = skippingTime();
  const client = new TatClient({
    endpoint: emu.url,
    region: "ap-guangzhou",
    credentials: staticCredentials(emu.credentials[0] as { secretId: string; secretKey: string }),
    limiter: new RateLimiter(),
    sleep: time.sleep, // backoff without waiting; timestamps stay on the real clock
    onApiError: (r) => records.push(r),
    ...options,
  });
  return { client, records, sleeps: time.sleeps };
}

const requests = (emu: Emulator, action = "DescribeInvocationTasks") =>
  emu.stats().requests[action] ?? 0;

/** 3 invocations × 100 tasks, all on ins-0001..ins-0100. */
const fleet = () =>
  start({
    scenario: generateFleet({ invocations: 3, tasksPerInvocation: 100 }),
    clock: manualClock(),
  });

describe("pagination against the emulator", () => {
  test("300 tasks by filter: Limit=100 pages, every task once", async () => {
    const emu = await fleet();
    const { client } = clientFor(emu);
    const tasks = await listInvocationTasks(client, {
      filters: [{ Name: "command-id", Values: ["cmd-fleet001", "cmd-fleet002", "cmd-fleet003"] }],
    });
    expect(tasks).toHaveLength(300);
    expect(new Set(tasks.map((t) => t.InvocationTaskId)).size).toBe(300);
    // Pages overlap by one item: offsets 0, 99, 198, 297.
    expect(requests(emu)).toBe(4);
    // HideOutput left to the service default: no output (Output "", as the service sends it hidden).
    expect(tasks.every((t) => (t.TaskResult?.Output ?? "") === "")).toBe(true);
  });

  test("filters are ANDed and passed through; HideOutput=false brings output", async () => {
    const emu = await fleet();
    const { client } = clientFor(emu);
    const tasks = await listInvocationTasks(client, {
      filters: [
        { Name: "instance-id", Values: ["ins-0001", "ins-0002"] },
        { Name: "invocation-id", Values: ["inv-fleet002"] },
      ],
      hideOutput: false,
    });
    expect(tasks.map((t) => [t.InvocationId, t.InstanceId]).sort()).toEqual([
      ["inv-fleet002", "ins-0001"],
      ["inv-fleet002", "ins-0002"],
    ]);
    expect(tasks.every((t) => typeof t.TaskResult?.Output === "string")).toBe(true);
  });

  test("ids are deduplicated and sent in batches of 100", async () => {
    const emu = await fleet();
    const { client } = clientFor(emu);
    const all = await listInvocationTasks(client, {
      filters: [{ Name: "command-id", Values: ["cmd-fleet001", "cmd-fleet002", "cmd-fleet003"] }],
    });
    const before = requests(emu);
    const ids = all.slice(0, 250).map((t) => t.InvocationTaskId as string);
    const got = await listInvocationTasks(client, { taskIds: [...ids, ...ids.slice(0, 30)] });
    expect(got.map((t) => t.InvocationTaskId).sort()).toEqual([...ids].sort());
    expect(requests(emu) - before).toBe(3);
  });

  test("invocations by id and by filter", async () => {
    const emu = await fleet();
    const { client } = clientFor(emu);
    const byId = await listInvocations(client, { invocationIds: ["inv-fleet003", "inv-fleet001"] });
    expect(byId.map((i) => i.InvocationId).sort()).toEqual(["inv-fleet001", "inv-fleet003"]);
    expect(byId[0]?.InvocationTaskBasicInfoSet).toHaveLength(100);
    const byFilter = await listInvocations(client, {
      filters: [{ Name: "command-id", Values: ["cmd-fleet002"] }],
    });
    expect(byFilter.map((i) => i.InvocationId)).toEqual(["inv-fleet002"]);
  });

  test("an empty id list asks nothing", async () => {
    const emu = await fleet();
    const { client } = clientFor(emu);
    expect(await listInvocationTasks(client, { taskIds: [] })).toEqual([]);
    expect(requests(emu)).toBe(0);
  });

  test("bad filters are refused before any call", async () => {
    const emu = await fleet();
    const { client } = clientFor(emu);
    const e = await rejection(
      listInvocationTasks(client, { filters: [{ Name: "instance-ids", Values: ["ins-0001"] }] }),
    );
    expect(e).toBeInstanceOf(UsageError);
    expect(String(e)).toMatch(/Did you mean "instance-id"/);
    expect(
      await rejection(
        listInvocationTasks(client, {
          filters: [{ Name: "instance-id", Values: ["a", "b", "c", "d", "e", "f"] }],
        }),
      ),
    ).toBeInstanceOf(UsageError);
    expect(await rejection(listInvocationTasks(client, { filters: [] }))).toBeInstanceOf(
      UsageError,
    );
    expect(
      await rejection(
        listInvocationTasks(client, {
          taskIds: ["invt-1"],
          filters: [{ Name: "instance-id", Values: ["a"] }],
        }),
      ),
    ).toBeInstanceOf(UsageError);
    expect(requests(emu)).toBe(0);
  });

  test("tasks appearing between pages (TotalCount grows mid-walk): none lost, none twice", async () => {
    const clock = manualClock();
    const scenario = buildScenario({
      credentials: [{ secretId: "AKIDPAGE", secretKey: "page-key" }],
      invocations: [
        { id: "inv-old00001", commandId: "cmd-page", fleet: { count: 250 } },
        // Newer, so listed first: it pushes every older task one page boundary further.
        {
          id: "inv-new00001",
          commandId: "cmd-page",
          createdAt: "10s",
          appearsAt: "10s",
          fleet: { count: 30 },
        },
      ],
    });
    const emu = await start({ scenario, clock });
    let calls = 0;
    const { client } = clientFor(emu, {
      // Real fetch; the scenario clock jumps once the first page has been served.
      fetch: async (input, init) => {
        const res = await fetch(input, init);
        if (++calls === 1) clock.advance(10_000);
        return res;
      },
    });
    const tasks = await listInvocationTasks(client, {
      filters: [{ Name: "command-id", Values: ["cmd-page"] }],
    });
    const ids = tasks.map((t) => t.InvocationTaskId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(tasks).toHaveLength(280);
    expect(tasks.filter((t) => t.InvocationId === "inv-new00001")).toHaveLength(30);
    // The first walk saw TotalCount move, so the list was walked a second time.
    expect(requests(emu)).toBeGreaterThan(3);
  });
});

describe("errors as the API sends them", () => {
  const NOT_RETRIED = [
    "InvalidParameter",
    "InvalidParameterValue.InvalidInvocationId",
    "InvalidParameterValue.LimitExceeded",
    "MissingParameter",
    "UnknownParameter",
    "InvalidAction",
    "NoSuchVersion",
    "AuthFailure.SignatureFailure",
    "AuthFailure.SecretIdNotFound",
    "AuthFailure.TokenFailure",
    "UnauthorizedOperation.CamAuthFailed",
    "ResourceNotFound.InvocationNotFound",
    "LimitExceeded.FilterValueExceeded",
    "UnsupportedOperation",
  ];
  test.each(NOT_RETRIED)("%s surfaces with its code and RequestId, one request", async (code) => {
    const emu = await fleet();
    emu.injectFault({ action: "DescribeInvocations", error: code, message: `about ${code}` });
    const { client, records } = clientFor(emu);
    const e = (await rejection(
      client.describeInvocations({ InvocationIds: ["inv-fleet001"] }),
    )) as TatApiError;
    expect(e).toBeInstanceOf(TatApiError);
    expect(e.code).toBe(code);
    expect(e.action).toBe("DescribeInvocations");
    expect(e.apiMessage).toBe(`about ${code}`);
    expect(e.requestId).toMatch(UUID);
    expect(e.message).toContain(e.requestId as string);
    expect(requests(emu, "DescribeInvocations")).toBe(1);
    expect(records).toEqual([
      expect.objectContaining({ code, requestId: e.requestId, recovered: false }),
    ]);
  });

  test.each([
    ["InternalError"],
    ["ServiceUnavailable"],
    ["RequestLimitExceeded"],
    ["RequestLimitExceeded.UinLimitExceeded"],
  ])("%s is retried, then the call succeeds", async (code) => {
    const emu = await fleet();
    emu.injectFault({ action: "DescribeInvocations", error: code, times: 2 });
    const { client, records } = clientFor(emu);
    const r = await client.describeInvocations({ InvocationIds: ["inv-fleet001"] });
    expect(r.InvocationSet).toHaveLength(1);
    expect(r.RequestId).toMatch(UUID);
    expect(requests(emu, "DescribeInvocations")).toBe(3);
    expect(records.map((x) => [x.code, x.recovered])).toEqual([
      [code, true],
      [code, true],
    ]);
  });

  test("a real parameter violation from the emulator (Limit above 100)", async () => {
    const emu = await fleet();
    const { client } = clientFor(emu);
    const e = (await rejection(client.describeInvocationTasks({ Limit: 101 }))) as TatApiError;
    expect(e).toBeInstanceOf(TatApiError);
    expect(e.code).toMatch(/^InvalidParameter/);
    expect(e.requestId).toMatch(UUID);
    expect(requests(emu)).toBe(1);
  });

  test("an unknown action and a missing region are the service's errors, not retried", async () => {
    const emu = await fleet();
    const { client } = clientFor(emu);
    expect(await rejection(client.request("DescribeNothing", {}))).toMatchObject({
      code: "InvalidAction",
    });
    const noRegion = clientFor(emu, { region: undefined }).client;
    expect(await rejection(noRegion.describeInvocations({}))).toMatchObject({
      code: "MissingParameter",
    });
    expect(emu.stats().requests).toEqual({ DescribeNothing: 1, DescribeInvocations: 1 });
  });
});

describe("authentication", () => {
  test("a wrong secret key is AuthFailure.SignatureFailure", async () => {
    const emu = await fleet();
    const id = emu.credentials[0]?.secretId as string;
    const { client } = clientFor(emu, {
      credentials: staticCredentials({ secretId: id, secretKey: "not-the-key" }),
    });
    expect(await rejection(client.describeInvocations({}))).toMatchObject({
      code: "AuthFailure.SignatureFailure",
      requestId: expect.stringMatching(UUID),
    });
    expect(requests(emu, "DescribeInvocations")).toBe(1);
  });

  test("an unknown SecretId is AuthFailure.SecretIdNotFound", async () => {
    const emu = await fleet();
    const { client } = clientFor(emu, {
      credentials: staticCredentials({ secretId: "AKIDNOBODY", secretKey: "x" }),
    });
    expect(await rejection(client.describeInvocations({}))).toMatchObject({
      code: "AuthFailure.SecretIdNotFound",
    });
  });

  test("a clock 10 minutes off is AuthFailure.SignatureExpire after one re-sign", async () => {
    const emu = await fleet();
    const { client, sleeps } = clientFor(emu, { now: () => Date.now() + 10 * 60_000 });
    expect(await rejection(client.describeInvocations({}))).toMatchObject({
      code: "AuthFailure.SignatureExpire",
    });
    expect(requests(emu, "DescribeInvocations")).toBe(2);
    expect(sleeps).toEqual([]);
    const behind = clientFor(emu, { now: () => Date.now() - 10 * 60_000 }).client;
    expect(await rejection(behind.describeInvocations({}))).toMatchObject({
      code: "AuthFailure.SignatureExpire",
    });
  });

  test("temporary credentials: the token is sent, and required", async () => {
    const emu = await fleet();
    const temp = { secretId: "AKIDTEMP", secretKey: "temp-key", token: "session-token-1" };
    emu.addCredential(temp);
    const ok = clientFor(emu, { credentials: staticCredentials(temp) }).client;
    expect((await ok.describeInvocations({})).TotalCount).toBe(3);
    const { token: _, ...withoutToken } = temp;
    const missing = clientFor(emu, { credentials: staticCredentials(withoutToken) }).client;
    expect(await rejection(missing.describeInvocations({}))).toMatchObject({
      code: "AuthFailure.TokenFailure",
    });
  });
});

describe("rate limit", () => {
  /**
   * One fake clock for the client (timestamps, limiter) and the emulator (its wall clock), moved
   * only by the limiter's sleeps, and only once every request already sent has been answered: the
   * emulator then sees exactly the spacing the limiter chose, however loaded the machine is.
   */
  function sharedTime() {
    const clock = manualClock(Date.now());
    let inFlight = 0;
    const idle: (() => void)[] = [];
    const fetchCounted: typeof fetch = async (input, init) => {
      inFlight++;
      try {
        return await fetch(input, init);
      } finally {
        if (--inFlight === 0) for (const wake of idle.splice(0)) wake();
      }
    };
    const sleep = async (ms: number) => {
      // Let granted callers send first, then wait for their answers.
      await new Promise((r) => setImmediate(r));
      while (inFlight > 0) await new Promise<void>((r) => idle.push(r));
      clock.advance(ms);
    };
    return { clock, now: () => clock.now(), fetch: fetchCounted, sleep };
  }

  /** A small fleet whose rate limit reads the same clock as the client under test. */
  async function onSharedTime() {
    const t = sharedTime();
    const emu = await start({
      scenario: generateFleet({ invocations: 1, tasksPerInvocation: 5 }),
      clock: manualClock(),
      wallNow: t.now,
    });
    return { t, emu };
  }

  const burst = (client: TatClient, n: number) =>
    Array.from({ length: n }, () =>
      client.describeInvocations({ InvocationIds: ["inv-fleet001"] }),
    );

  test("50 concurrent callers through the limiter never trip RequestLimitExceeded", async () => {
    const { t, emu } = await onSharedTime();
    const { client, records } = clientFor(emu, {
      now: t.now,
      fetch: t.fetch,
      limiter: new RateLimiter({ now: t.now, sleep: t.sleep }),
      retries: 0,
    });
    const results = await Promise.all(burst(client, 50));
    expect(results.every((r) => r.TotalCount === 1)).toBe(true);
    expect(emu.stats().rateLimited).toEqual({});
    expect(records).toEqual([]);
    expect(requests(emu, "DescribeInvocations")).toBe(50);
  });

  test("the same burst without the limiter does trip it", async () => {
    const { t, emu } = await onSharedTime();
    const { client } = clientFor(emu, {
      now: t.now,
      fetch: t.fetch,
      limiter: new RateLimiter({ limit: 1000 }),
      retries: 0,
    });
    const outcomes = await Promise.allSettled(burst(client, 50));
    const refused = outcomes.filter(
      (o) => o.status === "rejected" && (o.reason as TatApiError).code === "RequestLimitExceeded",
    );
    expect(refused).toHaveLength(30);
    expect(emu.stats().rateLimited).toEqual({ DescribeInvocations: 30 });
  });

  test("a throttled burst recovers by itself through retries", async () => {
    const { t, emu } = await onSharedTime();
    const { client } = clientFor(emu, {
      now: t.now,
      fetch: t.fetch,
      sleep: t.sleep,
      limiter: new RateLimiter({ limit: 1000 }),
    });
    const results = await Promise.all(burst(client, 30));
    expect(results).toHaveLength(30);
    expect(emu.stats().rateLimited.DescribeInvocations).toBeGreaterThan(0);
  });
});

describe("retries on each fault kind, counted by the emulator", () => {
  test.each([
    ["an API error", { error: "InternalError" }, "InternalError"],
    ["HTTP 503 with an HTML body", { httpStatus: 503 }, "HTTP_503"],
    ["HTTP 502 with an HTML body", { httpStatus: 502 }, "HTTP_502"],
    ["a reset connection", { reset: true }, "ECONNRESET"],
  ])("%s once: two requests, success, recorded as recovered", async (_, fault, code) => {
    const emu = await fleet();
    emu.injectFault({ action: "DescribeInvocationTasks", times: 1, ...fault });
    const { client, records, sleeps } = clientFor(emu);
    const r = await client.describeInvocationTasks({ Limit: 5 });
    expect(r.InvocationTaskSet).toHaveLength(5);
    expect(requests(emu)).toBe(2);
    expect(sleeps).toHaveLength(1);
    expect(records).toEqual([expect.objectContaining({ code, recovered: true })]);
  });

  test("latency beyond the request timeout: ETIMEDOUT, retried, then success", async () => {
    const emu = await fleet();
    emu.injectFault({ action: "DescribeInvocationTasks", times: 1, latency: "800ms" });
    const { client, records } = clientFor(emu, { requestTimeoutMs: 200 });
    const r = await client.describeInvocationTasks({ Limit: 1 });
    expect(r.InvocationTaskSet).toHaveLength(1);
    expect(requests(emu)).toBe(2);
    expect(records).toEqual([expect.objectContaining({ code: "ETIMEDOUT", recovered: true })]);
  });

  test("a fault that never stops: bounded attempts, then the last error", async () => {
    const emu = await fleet();
    emu.injectFault({ action: "DescribeInvocationTasks", httpStatus: 503 });
    const { client, sleeps } = clientFor(emu, { retries: 3 });
    const e = (await rejection(client.describeInvocationTasks({}))) as TatNetworkError;
    expect(e).toBeInstanceOf(TatNetworkError);
    expect(e.code).toBe("HTTP_503");
    expect(e.httpStatus).toBe(503);
    expect(requests(emu)).toBe(4);
    expect(sleeps).toHaveLength(3);
  });

  test("every Kth request failing is absorbed over a long walk", async () => {
    const emu = await fleet();
    emu.injectFault({ action: "DescribeInvocationTasks", every: 2, error: "InternalError" });
    const { client } = clientFor(emu);
    const tasks = await listInvocationTasks(client, {
      filters: [{ Name: "command-id", Values: ["cmd-fleet001", "cmd-fleet002", "cmd-fleet003"] }],
    });
    expect(tasks).toHaveLength(300);
    // Four pages; requests 2, 4 and 6 fail and are each retried once.
    expect(requests(emu)).toBe(7);
  });
});
