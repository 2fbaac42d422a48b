// RunCommand / InvokeCommand / CancelInvocation through TatClient over real HTTP: a request that
// may have reached the service is never sent twice; answers are checked before use.
import { afterEach, describe, expect, test } from "@jest/globals";
import { staticCredentials } from "../../src/credentials/types.js";
import { MalformedResponseError, TatApiError, TatNetworkError } from "../../src/errors.js";
import { mayHaveStarted } from "../../src/launch/launch.js";
import { TatClient, type TatClientOptions } from "../../src/tat/client.js";
import { RateLimiter } from "../../src/tat/rate-limiter.js";
import { isIdempotentAction } from "../../src/tat/retry-policy.js";
import { rejection } from "../helpers/rejection.js";
import { skippingTime } from "./fake-time.js";
import { type Answer, apiError, ok, scriptServer } from "./script-server.js";

const servers: Awaited<ReturnType<typeof scriptServer>>[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(answers: Answer[], options: Partial<TatClientOptions> = {}) {
  const server = await scriptServer(answers);
  servers.push(server);
  const time = skippingTime();
  const client = new TatClient({
    endpoint: server.url,
    region: "ap-guangzhou",
    credentials: staticCredentials({ secretId: "AKIDTEST", secretKey: "k" }),
    limiter: new RateLimiter(),
    now: time.now,
    sleep: time.sleep,
    ...options,
  });
  return { server, client };
}

const run = { Content: Buffer.from("echo hi").toString("base64"), InstanceIds: ["ins-a1"] };
const started = ok({ CommandId: "cmd-abcd1234", InvocationId: "inv-abcd1234" }, "r-run");

describe("RunCommand and InvokeCommand are never sent twice", () => {
  test("the actions that start or stop commands are not idempotent", () => {
    for (const a of ["RunCommand", "InvokeCommand", "CancelInvocation"]) {
      expect(isIdempotentAction(a)).toBe(false);
    }
    expect(isIdempotentAction("DescribeInvocations")).toBe(true);
  });

  test("a connection reset after sending is not retried", async () => {
    const { server, client } = await setup([{ reset: true }, started]);
    const err = await rejection(client.runCommand(run));
    expect(err).toBeInstanceOf(TatNetworkError);
    expect((err as TatNetworkError).code).toBe("ECONNRESET");
    expect(server.received).toHaveLength(1);
  });

  test("no answer within the request timeout is not retried", async () => {
    const { server, client } = await setup([{ hold: true }, started], { requestTimeoutMs: 200 });
    const err = await rejection(
      client.invokeCommand({ CommandId: "cmd-x", InstanceIds: ["ins-a1"] }),
    );
    expect((err as TatNetworkError).code).toBe("ETIMEDOUT");
    expect(server.received).toHaveLength(1);
  });

  test("InternalError and HTTP 502 may come after the work was done: not retried", async () => {
    for (const first of [apiError("InternalError"), { text: "bad gateway", status: 502 }]) {
      const { server, client } = await setup([first as Answer, started]);
      await expect(client.runCommand(run)).rejects.toBeInstanceOf(Error);
      expect(server.received).toHaveLength(1);
    }
  });

  test("throttling is refused before any work: retried, and the answer is used", async () => {
    const { server, client } = await setup([apiError("RequestLimitExceeded"), started]);
    await expect(client.runCommand(run)).resolves.toEqual({
      CommandId: "cmd-abcd1234",
      InvocationId: "inv-abcd1234",
      RequestId: "r-run",
    });
    expect(server.received).toHaveLength(2);
    expect(JSON.parse(server.received[1]?.body ?? "")).toEqual(run);
    expect(server.received[1]?.headers["x-tc-action"]).toBe("RunCommand");
  });

  test("an API refusal is a TatApiError with its code", async () => {
    const { client } = await setup([apiError("ResourceUnavailable.AgentStatusNotOnline")]);
    const err = await rejection(client.runCommand(run));
    expect(err).toBeInstanceOf(TatApiError);
    expect((err as TatApiError).code).toBe("ResourceUnavailable.AgentStatusNotOnline");
  });

  test("an answer without a well-formed InvocationId is not taken for a start", async () => {
    const { server, client } = await setup([ok({ CommandId: "cmd-abcd1234", InvocationId: "" })]);
    const err = await rejection(client.runCommand(run));
    // The one parser refuses it (exit 4 path), and the launcher reads that as "may have started".
    expect(err).toBeInstanceOf(MalformedResponseError);
    expect((err as Error).message).toContain("InvocationId");
    expect(mayHaveStarted(err)).toBe(true);
    expect(server.received).toHaveLength(1);
  });

  test("CancelInvocation sends the invocation and instances and needs only a RequestId back", async () => {
    const { server, client } = await setup([ok({}, "r-c")]);
    await expect(
      client.cancelInvocation({ InvocationId: "inv-abcd1234", InstanceIds: ["ins-a1"] }),
    ).resolves.toEqual({ RequestId: "r-c" });
    expect(server.received[0]?.headers["x-tc-action"]).toBe("CancelInvocation");
  });
});
