// TatClient mechanics over real HTTP on loopback: what goes on the wire, retries, aborts, timeouts.
import { afterEach, describe, expect, test } from "@jest/globals";
import { type CredentialProvider, staticCredentials } from "../../src/credentials/types.js";
import { CredentialsError, TatApiError, TatNetworkError } from "../../src/errors.js";
import type { ApiErrorRecord } from "../../src/model.js";
import { TatClient, type TatClientOptions } from "../../src/tat/client.js";
import { RateLimiter } from "../../src/tat/rate-limiter.js";
import { parseAuthorization, sign } from "../../src/tat/sign.js";
import { VERSION } from "../../src/version.js";
import { rejection } from "../helpers/rejection.js";
import { manualTime, skippingTime } from "./fake-time.js";
import { type Answer, apiError, EMPTY_LIST, ok, scriptServer } from "./script-server.js";

const creds = { secretId: "AKIDTEST", secretKey: "test-secret-key" };
const servers: Awaited<ReturnType<typeof scriptServer>>[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(
  answers: Answer[] | ((n: number) => Answer),
  options: Partial<TatClientOptions> = {},
) {
  const server = await scriptServer(answers);
  servers.push(server);
  const time = skippingTime();
  const records: ApiErrorRecord[] = [];
  const client = new TatClient({
    endpoint: server.url,
    region: "ap-guangzhou",
    credentials: staticCredentials(creds),
    limiter: new RateLimiter(),
    now: time.now,
    sleep: time.sleep,
    onApiError: (r) => records.push(r),
    ...options,
  });
  return { server, client, time, records };
}

describe("TatClient: the request on the wire", () => {
  test("signed headers verify over the Host and body as received; the answer is unwrapped", async () => {
    const { server, client, time } = await setup([
      ok({ TotalCount: 0, InvocationTaskSet: [] }, "r-1"),
    ]);
    const res = await client.describeInvocationTasks({
      InvocationTaskIds: ["invt-1"],
      HideOutput: false,
    });
    expect(res).toEqual({ TotalCount: 0, InvocationTaskSet: [], RequestId: "r-1" });
    const [got] = server.received;
    const h = got?.headers ?? {};
    expect(got?.body).toBe('{"InvocationTaskIds":["invt-1"],"HideOutput":false}');
    expect(h["content-type"]).toBe("application/json");
    expect(h["x-tc-action"]).toBe("DescribeInvocationTasks");
    expect(h["x-tc-version"]).toBe("2020-10-28");
    expect(h["x-tc-region"]).toBe("ap-guangzhou");
    expect(h["x-tc-timestamp"]).toBe(String(Math.floor(time.now() / 1000)));
    expect(h["x-tc-requestclient"]).toBe(`tat-assert/${VERSION}`);
    expect(h["x-tc-token"]).toBeUndefined();
    expect(h["x-tc-language"]).toBeUndefined();
    const auth = parseAuthorization(h.authorization ?? "");
    expect(auth?.service).toBe("tat");
    expect(auth?.signedHeaders).toEqual(["content-type", "host"]);
    const expected = sign({
      method: "POST",
      headers: { "content-type": h["content-type"] as string, host: h.host as string },
      payload: got?.body ?? "",
      service: "tat",
      timestamp: Number(h["x-tc-timestamp"]),
      ...creds,
    });
    expect(auth?.signature).toBe(expected.signature);
  });

  test("a call may override the region; token and language are sent when present", async () => {
    const { server, client } = await setup([ok()], {
      credentials: staticCredentials({ ...creds, token: "tmp-token" }),
      language: "en-US",
    });
    await client.describeInvocations({ InvocationIds: ["inv-1"] }, { region: "ap-singapore" });
    const h = server.received[0]?.headers ?? {};
    expect(h["x-tc-region"]).toBe("ap-singapore");
    expect(h["x-tc-token"]).toBe("tmp-token");
    expect(h["x-tc-language"]).toBe("en-US");
    expect(h["x-tc-action"]).toBe("DescribeInvocations");
  });

  test("credentials are asked for on every attempt, so a refreshed key is used at once", async () => {
    let n = 0;
    const provider: CredentialProvider = {
      source: "test",
      get: async () => ({ secretId: `AKID-${++n}`, secretKey: "k" }),
    };
    const { server, client } = await setup([apiError("InternalError"), ok()], {
      credentials: provider,
    });
    await client.request("DescribeRegions", {});
    await client.request("DescribeRegions", {});
    const ids = server.received.map(
      (r) => parseAuthorization(r.headers.authorization ?? "")?.secretId,
    );
    expect(ids).toEqual(["AKID-1", "AKID-2", "AKID-3"]);
  });

  test("a provider failure surfaces as is, without a request or a retry", async () => {
    const err = new CredentialsError("no credentials found");
    const { server, client } = await setup([ok()], {
      credentials: { source: "test", get: async () => Promise.reject(err) },
    });
    expect(await rejection(client.request("DescribeRegions", {}))).toBe(err);
    expect(server.received).toHaveLength(0);
  });
});

describe("TatClient: retries", () => {
  test("a retryable error then success: one backoff, records marked recovered", async () => {
    const { server, client, time, records } = await setup([
      apiError("InternalError", "r-bad"),
      ok(),
    ]);
    await client.request("DescribeInvocations", {});
    expect(server.received).toHaveLength(2);
    expect(time.sleeps).toHaveLength(1);
    expect(records).toEqual([
      {
        action: "DescribeInvocations",
        code: "InternalError",
        message: "message for InternalError",
        requestId: "r-bad",
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        recovered: true,
      },
    ]);
  });

  test("retries are bounded; the last error is thrown and every record says not recovered", async () => {
    const { server, client, records } = await setup([apiError("RequestLimitExceeded")], {
      retries: 2,
    });
    const e = (await rejection(client.request("DescribeInvocations", {}))) as TatApiError;
    expect(e).toBeInstanceOf(TatApiError);
    expect(e.code).toBe("RequestLimitExceeded");
    expect(server.received).toHaveLength(3);
    expect(records.map((r) => [r.code, r.recovered])).toEqual([
      ["RequestLimitExceeded", false],
      ["RequestLimitExceeded", false],
      ["RequestLimitExceeded", false],
    ]);
  });

  test("backoff grows, and a throttled retry waits at least a second", async () => {
    const { client, time } = await setup([apiError("InternalError")], {
      retries: 3,
      random: () => 1,
    });
    await rejection(client.request("DescribeInvocations", {}));
    expect(time.sleeps).toEqual([300, 600, 1200]);
    const throttled = await setup([apiError("RequestLimitExceeded.UinLimitExceeded"), ok()], {
      random: () => 0,
    });
    await throttled.client.request("DescribeInvocations", {});
    expect(throttled.time.sleeps[0]).toBeGreaterThanOrEqual(1000);
  });

  test.each([
    "InvalidParameterValue.InvalidFilter",
    "AuthFailure.SignatureFailure",
    "UnauthorizedOperation.CamAuthFailed",
    "ResourceNotFound.InvocationNotFound",
  ])("%s is not retried", async (code) => {
    const { server, client, time } = await setup([apiError(code)]);
    expect(await rejection(client.request("DescribeInvocations", {}))).toMatchObject({ code });
    expect(server.received).toHaveLength(1);
    expect(time.sleeps).toHaveLength(0);
  });

  test("AuthFailure.SignatureExpire is re-signed once, at once, with a fresh timestamp", async () => {
    const { server, client, time } = await setup([apiError("AuthFailure.SignatureExpire"), ok()], {
      credentials: {
        source: "slow",
        // The first signature goes stale while credentials refresh: the clock moves 6 minutes.
        get: async () => {
          time.advance(360_000);
          return creds;
        },
      },
    });
    await client.request("DescribeInvocations", {});
    expect(time.sleeps).toEqual([]);
    const stamps = server.received.map((r) => Number(r.headers["x-tc-timestamp"]));
    expect(stamps).toHaveLength(2);
    expect(stamps[1]).toBe((stamps[0] as number) + 360);
  });

  test("a second SignatureExpire is final (a wrong clock is not fixed by signing again)", async () => {
    const { server, client } = await setup([apiError("AuthFailure.SignatureExpire")]);
    expect(await rejection(client.request("DescribeInvocations", {}))).toMatchObject({
      code: "AuthFailure.SignatureExpire",
    });
    expect(server.received).toHaveLength(2);
  });

  test("writes are retried only when the service certainly did nothing", async () => {
    const a = await setup([{ text: "<html>bad gateway</html>", status: 502 }, ok()]);
    expect(await rejection(a.client.request("RunCommand", {}))).toMatchObject({ code: "HTTP_502" });
    expect(a.server.received).toHaveLength(1);
    const started = { CommandId: "cmd-abcd1234", InvocationId: "inv-abcd1234" };
    const b = await setup([apiError("RequestLimitExceeded"), ok(started)]);
    expect(await b.client.request("RunCommand", {})).toMatchObject(started);
    expect(b.server.received).toHaveLength(2);
  });

  test("a proxy's non-JSON 503 is retried, and its body never quoted", async () => {
    const { server, client, records } = await setup([
      { text: "<html>Service Unavailable</html>", status: 503 },
      ok(),
    ]);
    await client.request("DescribeInvocations", {});
    expect(server.received).toHaveLength(2);
    expect(records[0]).toMatchObject({ code: "HTTP_503", recovered: true });
    expect(records[0]?.message).not.toContain("Service Unavailable</html>");
  });

  test("a reset connection is retried and reported as ECONNRESET", async () => {
    const { server, client, records } = await setup([{ reset: true }, ok()]);
    await client.request("DescribeInvocations", {});
    expect(server.received).toHaveLength(2);
    expect(records[0]).toMatchObject({ code: "ECONNRESET", recovered: true });
  });

  test("a refused connection is retried, then reported as TatNetworkError ECONNREFUSED", async () => {
    const s = await scriptServer([ok()]);
    const url = s.url;
    await s.close();
    const time = skippingTime();
    const client = new TatClient({
      endpoint: url,
      region: "r",
      credentials: staticCredentials(creds),
      limiter: new RateLimiter(),
      retries: 1,
      now: time.now,
      sleep: time.sleep,
    });
    const e = (await rejection(client.request("DescribeInvocations", {}))) as TatNetworkError;
    expect(e).toBeInstanceOf(TatNetworkError);
    expect(e.code).toBe("ECONNREFUSED");
    expect(time.sleeps).toHaveLength(1);
  });

  test("retries: 0 means one attempt", async () => {
    const { server, client } = await setup([apiError("InternalError")], { retries: 0 });
    await rejection(client.request("DescribeInvocations", {}));
    expect(server.received).toHaveLength(1);
  });

  test("options are validated", () => {
    const base = { credentials: staticCredentials(creds) };
    expect(() => new TatClient({ ...base, retries: -1 })).toThrow(/retries/);
    expect(() => new TatClient({ ...base, requestTimeoutMs: 0 })).toThrow(/requestTimeoutMs/);
    expect(() => new TatClient({ ...base, endpoint: "ftp://x" })).toThrow(/http or https/);
  });
});

describe("TatClient: answers that are not UTF-8", () => {
  const bytes = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));
  const latin1 = (text: string) => new Uint8Array(Buffer.from(text, "latin1"));
  const errorAnswer = (message: string) =>
    JSON.stringify({
      Response: { Error: { Code: "InvalidParameter", Message: message }, RequestId: "rid-1" },
    });

  test("a success answer holding a byte that is not UTF-8 is malformed, never read as U+FFFD", async () => {
    const body = JSON.stringify({ Response: { ...EMPTY_LIST, RequestId: "rid-ü" } });
    const { server, client, records } = await setup([{ chunks: [latin1(body)] }, ok()]);
    const e = (await rejection(client.request("DescribeInvocations", {}))) as TatApiError;
    expect(e).toBeInstanceOf(TatApiError);
    expect(e).toMatchObject({ code: "MalformedResponse" });
    expect(e.message).toMatch(/Response must be UTF-8 JSON, got bytes that are not UTF-8/);
    // Final: the same endpoint would answer the same way.
    expect(server.received).toHaveLength(1);
    expect(records).toEqual([expect.objectContaining({ code: "MalformedResponse" })]);
  });

  test("a character split between two chunks is read whole", async () => {
    const whole = bytes(errorAnswer("参数错误"));
    const cut = whole.indexOf(0xe5) + 1; // inside the first character's three bytes
    const { client } = await setup([{ chunks: [whole.subarray(0, cut), whole.subarray(cut)] }]);
    const e = (await rejection(client.request("DescribeInvocations", {}))) as TatApiError;
    expect(e).toMatchObject({ code: "InvalidParameter", apiMessage: "参数错误" });
  });

  test("an answer that ends inside a character is malformed", async () => {
    const whole = bytes(errorAnswer("参数错误"));
    const { client } = await setup([{ chunks: [whole.subarray(0, whole.indexOf(0xe5) + 2)] }]);
    expect(await rejection(client.request("DescribeInvocations", {}))).toMatchObject({
      code: "MalformedResponse",
    });
  });

  test("a proxy's 502 page in GBK is still a 502: retried, its body never quoted", async () => {
    const gbk = new Uint8Array([0x3c, 0x68, 0x31, 0x3e, 0xb4, 0xed, 0xce, 0xf3, 0x3c, 0x2f, 0x68]);
    const { server, client, records } = await setup([{ chunks: [gbk], status: 502 }, ok()]);
    await client.request("DescribeInvocations", {});
    expect(server.received).toHaveLength(2);
    expect(records[0]).toMatchObject({ code: "HTTP_502", recovered: true });
    expect(records[0]?.message).toMatch(/not UTF-8/);
  });
});

describe("TatClient: timeouts and aborts", () => {
  test("a request with no answer times out as ETIMEDOUT and is retried", async () => {
    const { server, client, records } = await setup([{ hold: true }], {
      requestTimeoutMs: 150,
      retries: 1,
    });
    const e = (await rejection(client.request("DescribeInvocations", {}))) as TatNetworkError;
    expect(e).toBeInstanceOf(TatNetworkError);
    expect(e.code).toBe("ETIMEDOUT");
    expect(e.message).toContain("within 150 ms");
    expect(server.received).toHaveLength(2);
    expect(records.map((r) => r.code)).toEqual(["ETIMEDOUT", "ETIMEDOUT"]);
  });

  test("abort during a request rejects with the signal's reason, without retrying", async () => {
    const { server, client } = await setup([{ hold: true }]);
    const controller = new AbortController();
    const reason = new Error("user pressed Ctrl-C");
    const p = rejection(client.request("DescribeInvocations", {}, { signal: controller.signal }));
    await server.arrived(1);
    controller.abort(reason);
    expect(await p).toBe(reason);
    expect(server.received).toHaveLength(1);
  });

  test("abort during the backoff wait rejects at once", async () => {
    const time = manualTime();
    const { server, client, records } = await setup([apiError("InternalError")], {
      now: time.now,
      sleep: time.sleep,
    });
    const controller = new AbortController();
    const p = rejection(client.request("DescribeInvocations", {}, { signal: controller.signal }));
    await server.arrived(1);
    while (time.pending() === 0) await new Promise((r) => setImmediate(r));
    controller.abort();
    const e = (await p) as DOMException;
    expect(e.name).toBe("AbortError");
    expect(server.received).toHaveLength(1);
    expect(records).toEqual([expect.objectContaining({ code: "InternalError", recovered: false })]);
  });

  test("abort while waiting for the rate limiter rejects at once and sends nothing", async () => {
    const time = manualTime();
    const limiter = new RateLimiter({
      limit: 1,
      intervalMs: 1000,
      now: time.now,
      sleep: time.sleep,
    });
    const { server, client } = await setup([ok()], { limiter });
    await client.request("DescribeInvocations", {});
    const controller = new AbortController();
    const p = rejection(client.request("DescribeInvocations", {}, { signal: controller.signal }));
    while (limiter.queued(`${server.url} DescribeInvocations`) === 0) {
      await new Promise((r) => setImmediate(r));
    }
    controller.abort("stop");
    expect(await p).toBe("stop");
    expect(server.received).toHaveLength(1);
  });

  test("an already aborted signal sends nothing", async () => {
    const { server, client } = await setup([ok()]);
    const reason = new Error("too late");
    expect(
      await rejection(
        client.request("DescribeInvocations", {}, { signal: AbortSignal.abort(reason) }),
      ),
    ).toBe(reason);
    expect(server.received).toHaveLength(0);
  });
});
