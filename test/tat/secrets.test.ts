// The secret key and session token must never reach an error, a message or an error record,
// whatever goes wrong. Every error path is provoked with recognisable values and every way an
// error can be printed is searched for them.
import { inspect } from "node:util";
import { afterAll, describe, expect, test } from "@jest/globals";
import { type Credentials, staticCredentials } from "../../src/credentials/types.js";
import {
  type Emulator,
  type FaultRule,
  generateFleet,
  manualClock,
  startEmulator,
} from "../../src/emulator/index.js";
import type { ApiErrorRecord } from "../../src/model.js";
import { TatClient, type TatClientOptions } from "../../src/tat/client.js";
import { listInvocationTasks } from "../../src/tat/paginate.js";
import { RateLimiter } from "../../src/tat/rate-limiter.js";
import { skippingTime } from "./fake-time.js";
import { scriptServer } from "./script-server.js";

const SECRET_KEY = "SeCrEtKeY-0123456789-do-not-leak";
const TOKEN = "SeSsIoNtOkEn-9876543210-do-not-leak";
const creds: Credentials = { secretId: "AKIDLEAKTEST", secretKey: SECRET_KEY, token: TOKEN };

const caught: unknown[] = [];
const records: ApiErrorRecord[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(cleanups.map((c) => c()));
});

function client(endpoint: string, options: Partial<TatClientOptions> = {}): TatClient {
  const time = skippingTime();
  return new TatClient({
    endpoint,
    region: "ap-guangzhou",
    credentials: staticCredentials(creds),
    limiter: new RateLimiter(),
    retries: 1,
    sleep: time.sleep,
    onApiError: (r) => records.push(r),
    ...options,
  });
}

async function provoke(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    caught.push(e);
    return;
  }
  throw new Error("expected this path to fail");
}

/** Every rendering of an error a log, report or crash could show. */
function renderings(e: unknown): string[] {
  const out = [inspect(e, { depth: 20, showHidden: true }), String(e), JSON.stringify(e) ?? ""];
  let current: unknown = e;
  for (let i = 0; i < 10 && current instanceof Error; i++) {
    out.push(current.message, current.stack ?? "", JSON.stringify(Object.entries(current)));
    current = current.cause;
  }
  return out;
}

let emu: Emulator;

describe("no secret in any error", () => {
  test("provoke every error path", async () => {
    emu = await startEmulator({
      scenario: generateFleet({ invocations: 1, tasksPerInvocation: 3 }),
      clock: manualClock(),
    });
    cleanups.push(() => emu.close());
    const id = emu.credentials[0]?.secretId as string;
    // Latency first, so that the emulator's delayed answers are long done when the test ends.
    emu.addCredential(creds);
    emu.injectFault({ action: "DescribeInvocations", times: 2, latency: "400ms" });
    await provoke(client(emu.url, { requestTimeoutMs: 100 }).describeInvocations({}));
    // A SecretId the emulator does not know.
    await provoke(
      client(emu.url, {
        credentials: staticCredentials({ ...creds, secretId: "AKIDUNKNOWN" }),
      }).describeInvocations({}),
    );
    // The emulator knows the id but with another key: a signature failure.
    await provoke(
      client(emu.url, {
        credentials: staticCredentials({ secretId: id, secretKey: SECRET_KEY }),
      }).describeInvocations({}),
    );
    const c = client(emu.url);
    // `times` = the requests each call makes (retries: 1), so no fault outlives its call.
    const faults: FaultRule[] = [
      { error: "InternalError", times: 2 },
      { error: "RequestLimitExceeded", times: 2 },
      { error: "InvalidParameterValue.InvalidFilter", times: 1 },
      { error: "UnauthorizedOperation.CamAuthFailed", times: 1 },
      { httpStatus: 503, times: 2 },
      { httpStatus: 404, times: 1 },
      { reset: true, times: 2 },
    ];
    for (const rule of faults) {
      emu.injectFault({ action: "DescribeInvocations", ...rule });
      await provoke(c.describeInvocations({}));
    }
    await provoke(client(emu.url, { now: () => Date.now() + 600_000 }).describeInvocations({}));
    // Temporary credentials without their token.
    await provoke(
      client(emu.url, {
        credentials: staticCredentials({ secretId: creds.secretId, secretKey: SECRET_KEY }),
      }).describeInvocations({}),
    );
    await provoke(c.request("NoSuchAction", {}));
    await provoke(
      listInvocationTasks(c, { filters: [{ Name: "instance-idz", Values: [SECRET_KEY] }] }),
    );

    // A proxy that echoes every request header back, as an error page and as a 200.
    const echo = (n: number) => ({
      text: `echo ${n}: ${JSON.stringify(proxy.received[n]?.headers)}`,
      status: n < 2 ? 502 : 200,
    });
    const proxy = await scriptServer(echo);
    cleanups.push(() => proxy.close());
    await provoke(client(proxy.url, { retries: 0 }).describeInvocations({}));
    await provoke(client(proxy.url, { retries: 0 }).describeInvocations({}));
    await provoke(client(proxy.url, { retries: 0 }).describeInvocations({}));
    // The proxy really did see the token: the test would notice a leak through its page.
    expect(JSON.stringify(proxy.received)).toContain(TOKEN);

    const closed = await scriptServer([]);
    const closedUrl = closed.url;
    await closed.close();
    await provoke(client(closedUrl).describeInvocations({}));

    const controller = new AbortController();
    const aborted = client(emu.url).describeInvocations({}, { signal: controller.signal });
    controller.abort();
    await provoke(aborted);

    const codes = new Set(records.map((r) => r.code));
    for (const code of [
      "AuthFailure.SecretIdNotFound",
      "AuthFailure.SignatureFailure",
      "AuthFailure.SignatureExpire",
      "AuthFailure.TokenFailure",
      "InternalError",
      "HTTP_503",
      "HTTP_502",
      "ECONNRESET",
      "ECONNREFUSED",
      "ETIMEDOUT",
      "BAD_RESPONSE",
      "InvalidAction",
    ]) {
      expect(codes).toContain(code);
    }
    expect(caught.length).toBeGreaterThanOrEqual(17);
  });

  test("neither the secret key nor the token appears anywhere", () => {
    expect(caught.length).toBeGreaterThan(0);
    const texts = [...caught.flatMap(renderings), JSON.stringify(records), inspect(records)];
    for (const text of texts) {
      expect(text).not.toContain(SECRET_KEY);
      expect(text).not.toContain(TOKEN);
    }
  });

  test("the client object itself does not show the key", () => {
    const c = client("http://127.0.0.1:9");
    const shown = [inspect(c, { depth: 20, showHidden: true }), JSON.stringify(c)].join("\n");
    expect(shown).not.toContain(SECRET_KEY);
    expect(shown).not.toContain(TOKEN);
  });
});
