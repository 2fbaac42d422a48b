import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import {
  buildScenario,
  type Emulator,
  manualClock,
  startEmulator,
} from "../../src/emulator/index.js";
import { call, code, rawPost } from "./api.js";

// Wall clock pinned to the self-computed TAT vector's timestamp (tat-api.md §3.5).
const VECTOR_TS = 1700000000;
const LONG_TERM = { secretId: "AKIDEXAMPLE", secretKey: "SECRETKEYEXAMPLE" };
const TEMPORARY = {
  secretId: "AKIDTMP0000000000000000000000000001",
  secretKey: "tmp-secret",
  token: "session-token-1",
};

let emu: Emulator;
let wall = VECTOR_TS * 1000;

beforeAll(async () => {
  const scenario = buildScenario({
    credentials: [LONG_TERM, TEMPORARY],
    invocations: [
      {
        id: "inv-12345678",
        commandId: "cmd-12345678",
        tasks: [{ instance: "ins-00000001", id: "invt-12345678", output: "hello\n" }],
      },
    ],
  });
  const clock = manualClock();
  emu = await startEmulator({ scenario, clock, wallNow: () => wall });
  clock.advance(10_000);
});
afterAll(() => emu.close());

const vectorBody = '{"InvocationTaskIds":["invt-12345678"],"HideOutput":false}';
const vectorHeaders = {
  "Content-Type": "application/json",
  Host: "tat.tencentcloudapi.com",
  "X-TC-Action": "DescribeInvocationTasks",
  "X-TC-Version": "2020-10-28",
  "X-TC-Region": "ap-guangzhou",
  "X-TC-Timestamp": String(VECTOR_TS),
};

describe("signature vectors sent as raw HTTP", () => {
  test("the content-type;host vector is accepted", async () => {
    const res = await rawPost(
      emu.url,
      {
        ...vectorHeaders,
        Authorization:
          "TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2023-11-14/tat/tc3_request, SignedHeaders=content-type;host, Signature=d7f491bc94d6dfa3518987f934f17ffe32e5e3d43908c539c94bea74b14173cc",
      },
      vectorBody,
    );
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^application\/json/);
    const body = JSON.parse(res.text);
    expect(body.Response.Error).toBeUndefined();
    expect(body.Response.TotalCount).toBe(1);
    expect(body.Response.InvocationTaskSet[0].TaskResult.Output).toBe(
      Buffer.from("hello\n").toString("base64"),
    );
  });

  test("the vector that also signs x-tc-action is accepted", async () => {
    const res = await rawPost(
      emu.url,
      {
        ...vectorHeaders,
        Authorization:
          "TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2023-11-14/tat/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=cd2ffed6d1640a9242014c80434162fc4d27c69df42e92035dde59e2acba6f1e",
      },
      vectorBody,
    );
    expect(JSON.parse(res.text).Response.TotalCount).toBe(1);
  });

  test("the same vector with one body byte changed fails", async () => {
    const res = await rawPost(
      emu.url,
      {
        ...vectorHeaders,
        Authorization:
          "TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2023-11-14/tat/tc3_request, SignedHeaders=content-type;host, Signature=d7f491bc94d6dfa3518987f934f17ffe32e5e3d43908c539c94bea74b14173cc",
      },
      vectorBody.replace("false", "true "),
    );
    expect(JSON.parse(res.text).Response.Error.Code).toBe("AuthFailure.SignatureFailure");
  });
});

describe("authentication", () => {
  const ts = VECTOR_TS;

  test("a request signed over the Host header as received (with port) succeeds", async () => {
    expect(await code(emu, "DescribeInvocations", {}, { timestamp: ts })).toBe("OK");
    expect(
      await code(
        emu,
        "DescribeInvocations",
        {},
        { timestamp: ts, host: "tat.tencentcloudapi.com:443" },
      ),
    ).toBe("OK");
  });

  test("signed over the host name without its port, sent with the port (the Node SDK's way)", async () => {
    const port = new URL(emu.url).port;
    const c = await code(
      emu,
      "DescribeInvocations",
      {},
      {
        timestamp: ts,
        host: "tat.tencentcloudapi.com",
        after: { Host: `tat.tencentcloudapi.com:${port}` },
      },
    );
    expect(c).toBe("OK");
  });

  test("a Host header different from the signed one fails", async () => {
    const c = await code(
      emu,
      "DescribeInvocations",
      {},
      { timestamp: ts, host: "tat.tencentcloudapi.com", after: { Host: "tat.example.com" } },
    );
    expect(c).toBe("AuthFailure.SignatureFailure");
  });

  test("wrong secret key → AuthFailure.SignatureFailure", async () => {
    const answer = await call(
      emu,
      "DescribeInvocations",
      {},
      { timestamp: ts, signingKey: "nope" },
    );
    expect(answer.status).toBe(200);
    expect(answer.response.Error?.Code).toBe("AuthFailure.SignatureFailure");
    expect(answer.response.RequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("every answer carries a fresh RequestId", async () => {
    const a = await call(emu, "DescribeInvocations", {}, { timestamp: ts });
    const b = await call(emu, "DescribeInvocations", {}, { timestamp: ts });
    expect(a.response.RequestId).not.toBe(b.response.RequestId);
  });

  test("timestamp more than 5 minutes off → AuthFailure.SignatureExpire (both directions)", async () => {
    expect(await code(emu, "DescribeInvocations", {}, { timestamp: ts - 301 })).toBe(
      "AuthFailure.SignatureExpire",
    );
    expect(await code(emu, "DescribeInvocations", {}, { timestamp: ts + 301 })).toBe(
      "AuthFailure.SignatureExpire",
    );
    expect(await code(emu, "DescribeInvocations", {}, { timestamp: ts - 299 })).toBe("OK");
  });

  test("credential scope date other than the timestamp's UTC date → SignatureFailure", async () => {
    const c = await code(
      emu,
      "DescribeInvocations",
      {},
      {
        timestamp: ts,
        after: {
          Authorization:
            "TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2023-11-15/tat/tc3_request, SignedHeaders=content-type;host, Signature=d7f491bc94d6dfa3518987f934f17ffe32e5e3d43908c539c94bea74b14173cc",
        },
      },
    );
    expect(c).toBe("AuthFailure.SignatureFailure");
  });

  test("unknown SecretId → AuthFailure.SecretIdNotFound", async () => {
    const c = await code(
      emu,
      "DescribeInvocations",
      {},
      { timestamp: ts, credential: { secretId: "AKIDUNKNOWN", secretKey: "x" } },
    );
    expect(c).toBe("AuthFailure.SecretIdNotFound");
  });

  test("temporary credential: right token passes, missing or wrong token → TokenFailure", async () => {
    expect(
      await code(emu, "DescribeInvocations", {}, { timestamp: ts, credential: TEMPORARY }),
    ).toBe("OK");
    expect(
      await code(
        emu,
        "DescribeInvocations",
        {},
        {
          timestamp: ts,
          credential: TEMPORARY,
          after: { "X-TC-Token": null },
        },
      ),
    ).toBe("AuthFailure.TokenFailure");
    expect(
      await code(
        emu,
        "DescribeInvocations",
        {},
        {
          timestamp: ts,
          credential: TEMPORARY,
          token: "forged",
        },
      ),
    ).toBe("AuthFailure.TokenFailure");
  });

  test("a token sent with a long-term key → TokenFailure", async () => {
    expect(await code(emu, "DescribeInvocations", {}, { timestamp: ts, token: "stray" })).toBe(
      "AuthFailure.TokenFailure",
    );
  });

  test("an added temporary credential works until it expires (wall clock)", async () => {
    const issued = {
      secretId: "AKIDSTS00000000000000000000000000002",
      secretKey: "sts-key",
      token: "sts-token",
      expiresAt: wall + 60_000,
    };
    emu.addCredential(issued);
    expect(emu.credentials.map((c) => c.secretId)).toContain(issued.secretId);
    expect(await code(emu, "DescribeInvocations", {}, { timestamp: ts, credential: issued })).toBe(
      "OK",
    );
    wall += 60_000;
    try {
      const c = await code(
        emu,
        "DescribeInvocations",
        {},
        {
          timestamp: ts + 60,
          credential: issued,
        },
      );
      expect(c).toBe("AuthFailure.TokenFailure");
    } finally {
      wall -= 60_000;
    }
  });

  test("missing or malformed Authorization → AuthFailure.InvalidAuthorization", async () => {
    const opts = { timestamp: ts };
    expect(
      await code(emu, "DescribeInvocations", {}, { ...opts, after: { Authorization: null } }),
    ).toBe("AuthFailure.InvalidAuthorization");
    expect(
      await code(emu, "DescribeInvocations", {}, { ...opts, after: { Authorization: "Bearer x" } }),
    ).toBe("AuthFailure.InvalidAuthorization");
  });

  test("a signature for another service → AuthFailure.InvalidAuthorization", async () => {
    expect(await code(emu, "DescribeInvocations", {}, { timestamp: ts, service: "cvm" })).toBe(
      "AuthFailure.InvalidAuthorization",
    );
  });

  test("SignedHeaders without host → AuthFailure.InvalidAuthorization", async () => {
    expect(
      await code(
        emu,
        "DescribeInvocations",
        {},
        { timestamp: ts, signedHeaders: ["content-type"] },
      ),
    ).toBe("AuthFailure.InvalidAuthorization");
  });

  test("missing X-TC-Timestamp → MissingParameter", async () => {
    expect(
      await code(
        emu,
        "DescribeInvocations",
        {},
        { timestamp: ts, after: { "X-TC-Timestamp": null } },
      ),
    ).toBe("MissingParameter");
  });
});

describe("request routing", () => {
  const ts = VECTOR_TS;

  test("missing X-TC-Region → MissingParameter", async () => {
    expect(await code(emu, "DescribeInvocations", {}, { timestamp: ts, region: null })).toBe(
      "MissingParameter",
    );
  });

  test("missing X-TC-Action → MissingParameter", async () => {
    expect(await code(emu, null, {}, { timestamp: ts })).toBe("MissingParameter");
  });

  test("unknown action → InvalidAction", async () => {
    expect(await code(emu, "DescribeEverything", {}, { timestamp: ts })).toBe("InvalidAction");
  });

  test("a real TAT action the emulator does not implement → UnsupportedOperation", async () => {
    expect(await code(emu, "CreateCommand", {}, { timestamp: ts })).toBe("UnsupportedOperation");
  });

  test("wrong or missing X-TC-Version → NoSuchVersion / MissingParameter", async () => {
    expect(
      await code(emu, "DescribeInvocations", {}, { timestamp: ts, version: "2017-03-12" }),
    ).toBe("NoSuchVersion");
    expect(await code(emu, "DescribeInvocations", {}, { timestamp: ts, version: null })).toBe(
      "MissingParameter",
    );
  });

  test("a body that is not JSON → InvalidParameter", async () => {
    expect(await code(emu, "DescribeInvocations", {}, { timestamp: ts, body: "{oops" })).toBe(
      "InvalidParameter",
    );
  });
});
