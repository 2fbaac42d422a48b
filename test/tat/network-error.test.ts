import { describe, expect, test } from "@jest/globals";
import { staticCredentials } from "../../src/credentials/types.js";
import { TatNetworkError } from "../../src/errors.js";
import type { ApiErrorRecord } from "../../src/model.js";
import { TatClient } from "../../src/tat/client.js";
import {
  findErrorCode,
  isLoopback,
  timeoutError,
  toNetworkError,
} from "../../src/tat/network-error.js";
import { waitingCannotFix } from "../../src/tat/retry-policy.js";

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });

describe("network error codes", () => {
  test.each([
    [
      "a fetch TypeError with a system cause",
      new TypeError("fetch failed", { cause: withCode("ECONNREFUSED") }),
      "ECONNREFUSED",
    ],
    [
      "undici's socket error",
      new TypeError("fetch failed", { cause: withCode("UND_ERR_SOCKET") }),
      "ECONNRESET",
    ],
    [
      "undici's headers timeout",
      new TypeError("fetch failed", { cause: withCode("UND_ERR_HEADERS_TIMEOUT") }),
      "ETIMEDOUT",
    ],
    [
      "an AggregateError from happy eyeballs",
      new TypeError("fetch failed", {
        cause: new AggregateError([withCode("ECONNREFUSED"), withCode("ECONNREFUSED")]),
      }),
      "ECONNREFUSED",
    ],
    [
      "a nested cause",
      new TypeError("terminated", { cause: new Error("x", { cause: withCode("ECONNRESET") }) }),
      "ECONNRESET",
    ],
    ["nothing to go on", new TypeError("fetch failed"), undefined],
  ])("%s → %s", (_, error, code) => {
    expect(findErrorCode(error)).toBe(code);
  });

  test("toNetworkError names the host, says what the code means and keeps the cause", () => {
    const cause = new TypeError("fetch failed", { cause: withCode("ECONNREFUSED") });
    const e = toNetworkError("DescribeInvocations", "127.0.0.1:9", cause);
    expect(e).toBeInstanceOf(TatNetworkError);
    expect(e.code).toBe("ECONNREFUSED");
    expect(e.detail).toBe("cannot reach 127.0.0.1:9: the connection was refused");
    expect(e.message).toBe(`DescribeInvocations: ${e.detail}`);
    expect(e.cause).toBe(cause);
  });

  test("a real fetch to a port the Fetch standard blocks is BAD_PORT, a failure waiting cannot fix", async () => {
    const failure = await fetch("http://127.0.0.1:1/").then(
      () => undefined,
      (error: unknown) => error,
    );
    const e = toNetworkError("DescribeInvocations", "127.0.0.1:1", failure);
    expect(e.code).toBe("BAD_PORT");
    // Callers show "<action> <code>: <detail>": neither is repeated inside the detail.
    expect(e.detail).toBe(
      "cannot reach 127.0.0.1:1: fetch refuses this port (the Fetch standard blocks it)",
    );
    expect(waitingCannotFix(e)).toBe(true);
  });

  test("a refused connection is final on a remote host, not on this machine", () => {
    const refused = new TypeError("fetch failed", {
      cause: withCode("ECONNREFUSED", "connect ECONNREFUSED"),
    });
    for (const host of ["127.0.0.1:9", "localhost:8080", "[::1]:80"]) {
      expect(waitingCannotFix(toNetworkError("A", host, refused))).toBe(false);
    }
    for (const host of ["tat.tencentcloudapi.com", "10.0.0.1:443"]) {
      expect(waitingCannotFix(toNetworkError("A", host, refused))).toBe(true);
    }
    expect(isLoopback("127.0.0.9:1")).toBe(true);
    expect(isLoopback("127.example.com")).toBe(false);
  });

  test.each([
    [
      "an unknown code: the innermost message, which names it",
      new TypeError("fetch failed", {
        cause: withCode("EHOSTUNREACH", "connect EHOSTUNREACH 10.0.0.1:443"),
      }),
      "EHOSTUNREACH",
      "cannot reach h: connect EHOSTUNREACH 10.0.0.1:443",
    ],
    [
      "an unknown code without a message",
      new TypeError("fetch failed", { cause: withCode("EPROTO", "") }),
      "EPROTO",
      "cannot reach h: network error EPROTO",
    ],
    ["no cause at all", new TypeError("fetch failed"), "ENETWORK", "cannot reach h: fetch failed"],
    [
      "a cause inside an AggregateError",
      new TypeError("fetch failed", { cause: new AggregateError([new Error("no route")]) }),
      "ENETWORK",
      "cannot reach h: no route",
    ],
    [
      "a long, multi-line cause is cut to one short line",
      new TypeError("fetch failed", { cause: new Error(`first\n${"x".repeat(300)}`) }),
      "ENETWORK",
      `cannot reach h: first ${"x".repeat(111)}...`,
    ],
    ["something that is not an Error", "boom", "ENETWORK", "cannot reach h: network error"],
  ])("%s", (_, error, code, detail) => {
    const e = toNetworkError("A", "h", error);
    expect(e.code).toBe(code);
    expect(e.detail).toBe(detail);
  });

  test("timeoutError says how long it waited, without repeating the action", () => {
    const e = timeoutError("A", "h", 1500);
    expect(e.code).toBe("ETIMEDOUT");
    expect(e.detail).toBe("no answer from h within 1500 ms");
  });
});

test("the client's error record shows the action and the code once, and the cause", async () => {
  const records: ApiErrorRecord[] = [];
  const client = new TatClient({
    // Port 1 is on fetch's blocked list: it fails at once, before any connection.
    endpoint: "http://127.0.0.1:1",
    credentials: staticCredentials({ secretId: "AKIDTEST", secretKey: "test-secret-key" }),
    retries: 0,
    onApiError: (r) => records.push(r),
  });
  await expect(client.request("DescribeInvocations", {})).rejects.toBeInstanceOf(TatNetworkError);
  expect(records.map((r) => `${r.action} ${r.code}: ${r.message}`)).toEqual([
    "DescribeInvocations BAD_PORT: cannot reach 127.0.0.1:1: fetch refuses this port (the Fetch standard blocks it)",
  ]);
});
