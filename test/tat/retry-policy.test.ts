import { describe, expect, test } from "@jest/globals";
import { CredentialsError, TatApiError, TatNetworkError, UsageError } from "../../src/errors.js";
import {
  backoffDelay,
  classifyCode,
  classifyError,
  isIdempotentAction,
  type RetryDecision,
} from "../../src/tat/retry-policy.js";

// [kind, code, decision for a read (Describe*), decision for a write (RunCommand), throttled]
const TABLE: [
  "api" | "network",
  string,
  read: RetryDecision,
  write: RetryDecision,
  throttled: boolean,
][] = [
  ["api", "RequestLimitExceeded", "retry", "retry", true],
  ["api", "RequestLimitExceeded.UinLimitExceeded", "retry", "retry", true],
  ["api", "RequestLimitExceeded.IPLimitExceeded", "retry", "retry", true],
  ["api", "RequestLimitExceeded.GlobalRegionUinLimitExceeded", "retry", "retry", true],
  ["api", "InternalError", "retry", "fail", false],
  ["api", "InternalError.Unknown", "retry", "fail", false],
  ["api", "ServiceUnavailable", "retry", "fail", false],
  ["api", "AuthFailure.SignatureExpire", "resign", "resign", false],
  ["api", "AuthFailure.SignatureFailure", "fail", "fail", false],
  ["api", "AuthFailure.SecretIdNotFound", "fail", "fail", false],
  ["api", "AuthFailure.TokenFailure", "fail", "fail", false],
  ["api", "AuthFailure.InvalidSecretId", "fail", "fail", false],
  ["api", "AuthFailure.UnauthorizedOperation", "fail", "fail", false],
  ["api", "UnauthorizedOperation.CamAuthFailed", "fail", "fail", false],
  ["api", "InvalidParameter", "fail", "fail", false],
  ["api", "InvalidParameter.ConflictParameter", "fail", "fail", false],
  ["api", "InvalidParameterValue.InvalidFilter", "fail", "fail", false],
  ["api", "InvalidParameterValue.LimitExceeded", "fail", "fail", false],
  ["api", "MissingParameter", "fail", "fail", false],
  ["api", "UnknownParameter", "fail", "fail", false],
  ["api", "InvalidAction", "fail", "fail", false],
  ["api", "NoSuchVersion", "fail", "fail", false],
  ["api", "ResourceNotFound", "fail", "fail", false],
  ["api", "ResourceNotFound.InvocationNotFound", "fail", "fail", false],
  ["api", "LimitExceeded", "fail", "fail", false],
  ["api", "SomethingNewFromTencent", "fail", "fail", false],
  // Look-alikes must not match by prefix.
  ["api", "InternalErrorX", "fail", "fail", false],
  ["api", "RequestLimitExceededX", "fail", "fail", false],
  ["network", "ECONNREFUSED", "retry", "retry", false],
  ["network", "ECONNRESET", "retry", "fail", false],
  ["network", "ETIMEDOUT", "retry", "fail", false],
  ["network", "EPIPE", "retry", "fail", false],
  ["network", "EAI_AGAIN", "retry", "fail", false],
  ["network", "HTTP_500", "retry", "fail", false],
  ["network", "HTTP_502", "retry", "fail", false],
  ["network", "HTTP_503", "retry", "fail", false],
  ["network", "HTTP_504", "retry", "fail", false],
  ["network", "HTTP_429", "retry", "retry", true],
  ["network", "BAD_RESPONSE", "retry", "fail", false],
  ["network", "HTTP_400", "fail", "fail", false],
  ["network", "HTTP_403", "fail", "fail", false],
  ["network", "HTTP_404", "fail", "fail", false],
  ["network", "ENOTFOUND", "fail", "fail", false],
  ["network", "ENETWORK", "fail", "fail", false],
];

describe("retry classification", () => {
  test.each(TABLE)("%s %s → read: %s, write: %s", (kind, code, read, write, throttled) => {
    expect(classifyCode(kind, code, true)).toEqual({ decision: read, throttled });
    const w = classifyCode(kind, code, false);
    expect(w.decision).toBe(write);
    if (write !== "fail") expect(w.throttled).toBe(throttled);
  });

  test("errors are classified by their type and code", () => {
    expect(classifyError(new TatApiError("A", "InternalError", "x", "rid"), true).decision).toBe(
      "retry",
    );
    expect(classifyError(new TatNetworkError("A", "ECONNRESET", "x"), true).decision).toBe("retry");
    expect(classifyError(new TatApiError("A", "MissingParameter", "x", "rid"), true).decision).toBe(
      "fail",
    );
  });

  test.each([
    ["credentials", new CredentialsError("no credentials")],
    ["usage", new UsageError("bad")],
    ["abort", new DOMException("aborted", "AbortError")],
    ["timeout DOMException", new DOMException("t", "TimeoutError")],
    ["plain TypeError", new TypeError("bug")],
    ["a string", "boom"],
  ])("%s is never retried", (_, error) => {
    expect(classifyError(error, true).decision).toBe("fail");
  });

  test.each([
    ["DescribeInvocationTasks", true],
    ["DescribeInvocations", true],
    ["DescribeRegions", true],
    ["RunCommand", false],
    ["InvokeCommand", false],
    ["CancelInvocation", false],
    ["Describe", false],
  ])("%s idempotent: %s", (action, expected) => {
    expect(isIdempotentAction(action)).toBe(expected);
  });
});

describe("backoff", () => {
  const mid = () => 0.5;
  test("doubles from the base, with jitter between half and the full step", () => {
    const o = { baseMs: 100, maxMs: 100_000 };
    expect(backoffDelay(1, false, () => 0, o)).toBe(50);
    expect(backoffDelay(1, false, () => 0.999999, o)).toBe(100);
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, false, () => 1, o))).toEqual([
      100, 200, 400, 800,
    ]);
  });

  test("is capped by maxMs", () => {
    expect(backoffDelay(30, false, () => 1, { baseMs: 300, maxMs: 5000 })).toBe(5000);
  });

  test("a throttled request waits at least one rate-limit window", () => {
    expect(backoffDelay(1, true, () => 0)).toBeGreaterThanOrEqual(1000);
    expect(backoffDelay(1, true, mid)).toBeGreaterThan(backoffDelay(1, false, mid));
  });

  test("the defaults stay within a few seconds for the default retry count", () => {
    const total = [1, 2, 3, 4].reduce((sum, n) => sum + backoffDelay(n, false, () => 1), 0);
    expect(total).toBeLessThanOrEqual(6000);
    expect(total).toBeGreaterThan(1000);
  });
});
