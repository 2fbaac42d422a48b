import { describe, expect, test } from "@jest/globals";
import { TatNetworkError } from "../../src/errors.js";
import { findErrorCode, timeoutError, toNetworkError } from "../../src/tat/network-error.js";

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

  test("toNetworkError names the host and the code and keeps the cause", () => {
    const cause = new TypeError("fetch failed", { cause: withCode("ECONNREFUSED") });
    const e = toNetworkError("DescribeInvocations", "127.0.0.1:9", cause);
    expect(e).toBeInstanceOf(TatNetworkError);
    expect(e.code).toBe("ECONNREFUSED");
    expect(e.message).toBe(
      "DescribeInvocations: cannot reach 127.0.0.1:9: the connection was refused (ECONNREFUSED)",
    );
    expect(e.cause).toBe(cause);
    expect(toNetworkError("A", "h", new TypeError("fetch failed")).code).toBe("ENETWORK");
  });

  test("timeoutError says how long it waited", () => {
    const e = timeoutError("A", "h", 1500);
    expect(e.code).toBe("ETIMEDOUT");
    expect(e.message).toContain("within 1500 ms");
  });
});
