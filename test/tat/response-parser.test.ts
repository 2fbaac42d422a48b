import { describe, expect, test } from "@jest/globals";
import { TatApiError, TatNetworkError } from "../../src/errors.js";
import { parseResponse } from "../../src/tat/response-parser.js";

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("did not throw");
}

describe("parseResponse", () => {
  test("unwraps the Response envelope and keeps RequestId", () => {
    const body = '{"Response":{"TotalCount":0,"InvocationTaskSet":[],"RequestId":"r-1"}}';
    expect(parseResponse("DescribeInvocationTasks", 200, body)).toEqual({
      TotalCount: 0,
      InvocationTaskSet: [],
      RequestId: "r-1",
    });
  });

  test("Response.Error becomes a TatApiError with action, code, message and RequestId", () => {
    const body =
      '{"Response":{"Error":{"Code":"InvalidParameterValue.InvalidFilter","Message":"bad filter"},"RequestId":"r-2"}}';
    const e = thrown(() => parseResponse("DescribeInvocations", 200, body)) as TatApiError;
    expect(e).toBeInstanceOf(TatApiError);
    expect(e).toMatchObject({
      action: "DescribeInvocations",
      code: "InvalidParameterValue.InvalidFilter",
      apiMessage: "bad filter",
      requestId: "r-2",
      kind: "api",
    });
    expect(e.message).toBe(
      "DescribeInvocations: InvalidParameterValue.InvalidFilter: bad filter (RequestId r-2)",
    );
  });

  test("an API error under a non-200 status is still an API error", () => {
    const body = '{"Response":{"Error":{"Code":"InternalError","Message":"x"},"RequestId":"r-3"}}';
    expect(thrown(() => parseResponse("A", 500, body))).toMatchObject({
      code: "InternalError",
      requestId: "r-3",
    });
  });

  test.each([
    [503, "<html>Service Unavailable</html>", "HTTP_503"],
    [502, "", "HTTP_502"],
    [404, '{"message":"no"}', "HTTP_404"],
    [200, "<html>captive portal</html>", "BAD_RESPONSE"],
    [200, "", "BAD_RESPONSE"],
    [200, '{"Response":{"TotalCount":1}}', "BAD_RESPONSE"],
    [200, '{"Response":"x"}', "BAD_RESPONSE"],
    [200, '{"TotalCount":1}', "BAD_RESPONSE"],
    [200, '{"Response":{"TotalCount":1,"RequestId":"r"', "BAD_RESPONSE"],
  ])("HTTP %i %j → TatNetworkError %s", (status, body, code) => {
    const e = thrown(() => parseResponse("A", status, body)) as TatNetworkError;
    expect(e).toBeInstanceOf(TatNetworkError);
    expect(e.code).toBe(code);
    expect(e.httpStatus).toBe(status);
    // The foreign body is described, never quoted.
    if (body.length > 3) expect(e.message).not.toContain(body);
  });
});
