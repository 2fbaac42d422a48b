import { describe, expect, test } from "@jest/globals";
import { resolveEndpoint } from "../../src/tat/endpoint.js";
import { buildRequest } from "../../src/tat/request-builder.js";
import { parseAuthorization, sign } from "../../src/tat/sign.js";

const base = {
  endpoint: resolveEndpoint("http://127.0.0.1:8080"),
  action: "DescribeInvocationTasks",
  body: '{"InvocationTaskIds":["invt-12345678"],"HideOutput":false}',
  credentials: { secretId: "AKIDEXAMPLE", secretKey: "SECRETKEYEXAMPLE" },
  timestamp: 1700000000,
  requestClient: "tat-assert/9.9.9",
};

describe("buildRequest", () => {
  test("sets the TC3 common headers and signs content-type;host over the Host fetch will send", () => {
    const r = buildRequest({ ...base, region: "ap-guangzhou" });
    expect(r.url).toBe("http://127.0.0.1:8080/");
    expect(r.body).toBe(base.body);
    expect(r.headers).toMatchObject({
      "Content-Type": "application/json",
      "X-TC-Action": "DescribeInvocationTasks",
      "X-TC-Version": "2020-10-28",
      "X-TC-Timestamp": "1700000000",
      "X-TC-Region": "ap-guangzhou",
      "X-TC-RequestClient": "tat-assert/9.9.9",
    });
    expect(r.headers).not.toHaveProperty("X-TC-Token");
    expect(r.headers).not.toHaveProperty("X-TC-Language");
    const auth = parseAuthorization(r.headers.Authorization as string);
    expect(auth).toEqual({
      secretId: "AKIDEXAMPLE",
      date: "2023-11-14",
      service: "tat",
      signedHeaders: ["content-type", "host"],
      signature: expect.any(String),
    });
    const expected = sign({
      method: "POST",
      headers: { "content-type": "application/json", host: "127.0.0.1:8080" },
      payload: base.body,
      service: "tat",
      timestamp: 1700000000,
      secretId: "AKIDEXAMPLE",
      secretKey: "SECRETKEYEXAMPLE",
    });
    expect(auth?.signature).toBe(expected.signature);
  });

  test("matches the self-computed TAT vector for tat.tencentcloudapi.com (tat-api.md §3.5)", () => {
    const r = buildRequest({ ...base, endpoint: resolveEndpoint() });
    expect(r.headers.Authorization).toBe(
      "TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2023-11-14/tat/tc3_request, SignedHeaders=content-type;host, Signature=d7f491bc94d6dfa3518987f934f17ffe32e5e3d43908c539c94bea74b14173cc",
    );
  });

  test("sends X-TC-Token for temporary credentials and X-TC-Language when asked", () => {
    const r = buildRequest({
      ...base,
      credentials: { ...base.credentials, token: "session-token" },
      language: "en-US",
    });
    expect(r.headers["X-TC-Token"]).toBe("session-token");
    expect(r.headers["X-TC-Language"]).toBe("en-US");
    expect(r.headers).not.toHaveProperty("X-TC-Region");
  });

  test("never puts the secret key in a header", () => {
    const r = buildRequest({ ...base, credentials: { secretId: "id", secretKey: "KEY-xyz-123" } });
    expect(JSON.stringify(r)).not.toContain("KEY-xyz-123");
  });
});
