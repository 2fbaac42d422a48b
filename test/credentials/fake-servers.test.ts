// The fakes must refuse what the real services refuse, or the client tests above would pass
// against a server that accepts anything. Raw requests, one deviation at a time.
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { type FakeActionsOidc, startFakeActionsOidc } from "../../src/emulator/actions-oidc.js";
import { type FakeMetadata, startFakeMetadata } from "../../src/emulator/metadata.js";
import { type FakeSts, startFakeSts } from "../../src/emulator/sts.js";
import { testClock } from "./helpers.js";

const clock = testClock();
let sts: FakeSts;
let oidc: FakeActionsOidc;
let metadata: FakeMetadata;
beforeAll(async () => {
  sts = await startFakeSts({ acceptToken: "good-token", now: clock.now });
  oidc = await startFakeActionsOidc({ audiences: ["sts.tencentcloudapi.com"], now: clock.now });
  metadata = await startFakeMetadata({ roleName: "r", now: clock.now });
});
afterAll(async () => {
  await Promise.all([sts.close(), oidc.close(), metadata.close()]);
});

const goodHeaders = (): Record<string, string> => ({
  authorization: "SKIP",
  "content-type": "application/json",
  "x-tc-action": "AssumeRoleWithWebIdentity",
  "x-tc-version": "2018-08-13",
  "x-tc-region": "ap-guangzhou",
  "x-tc-timestamp": String(Math.floor(clock.now() / 1000)),
});
const goodParams = {
  ProviderId: "OIDC",
  WebIdentityToken: "good-token",
  RoleArn: "qcs::cam::uin/100000000001:roleName/r",
  RoleSessionName: "s1",
};

async function stsCall(headers: Record<string, string>, params: object) {
  const res = await fetch(sts.url, { method: "POST", headers, body: JSON.stringify(params) });
  expect(res.status).toBe(200); // errors travel in the body, as with the real API
  return ((await res.json()) as { Response: Record<string, unknown> }).Response;
}

describe("fake STS", () => {
  test("a well-formed call gets expiring credentials", async () => {
    const r = await stsCall(goodHeaders(), { ...goodParams, DurationSeconds: 1800 });
    expect(r.ExpiredTime).toBe(Math.floor(clock.now() / 1000) + 1800);
    expect(r.Credentials).toEqual({
      TmpSecretId: sts.issued.at(-1)?.secretId,
      TmpSecretKey: sts.issued.at(-1)?.secretKey,
      Token: sts.issued.at(-1)?.token,
    });
  });

  test.each([
    [
      "a signed call",
      { authorization: "TC3-HMAC-SHA256 Credential=x" },
      {},
      "AuthFailure.InvalidAuthorization",
    ],
    ["a session token", { "x-tc-token": "t" }, {}, "AuthFailure.TokenFailure"],
    ["another action", { "x-tc-action": "AssumeRole" }, {}, "InvalidAction"],
    ["another version", { "x-tc-version": "2017-03-12" }, {}, "NoSuchVersion"],
    ["an old timestamp", { "x-tc-timestamp": "1000" }, {}, "AuthFailure.SignatureExpire"],
    ["no role session name", {}, { RoleSessionName: "" }, "MissingParameter"],
    ["an unknown provider", {}, { ProviderId: "SAML" }, "InvalidParameter.ParamError"],
    ["a duration over 12 hours", {}, { DurationSeconds: 43_201 }, "InvalidParameter.ParamError"],
    [
      "a foreign token",
      {},
      { WebIdentityToken: "forged" },
      "InvalidParameter.WebIdentityTokenError",
    ],
    ["a malformed role ARN", {}, { RoleArn: "deploy-gate" }, "InternalError.GetRoleError"],
  ])("refuses %s", async (_, headers, params, code) => {
    const before = sts.issued.length;
    const r = await stsCall({ ...goodHeaders(), ...headers }, { ...goodParams, ...params });
    expect((r.Error as { Code: string }).Code).toBe(code);
    expect(typeof r.RequestId).toBe("string");
    expect(sts.issued).toHaveLength(before);
  });
});

describe("fake Actions ID-token endpoint", () => {
  const get = (url: string, token?: string) =>
    fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  test("issues a JWT-shaped token for the requested audience", async () => {
    const res = await get(`${oidc.url}&audience=sts.tencentcloudapi.com`, oidc.requestToken);
    const { value } = (await res.json()) as { value: string };
    const claims = JSON.parse(Buffer.from(value.split(".")[1] ?? "", "base64url").toString());
    expect(claims).toMatchObject({ aud: "sts.tencentcloudapi.com", iss: oidc.issuer });
    expect(oidc.verify(value)?.audience).toBe("sts.tencentcloudapi.com");
    expect(oidc.verify("forged.token.value")).toBeUndefined();
  });

  test("refuses a missing or wrong request token, and audiences it does not serve", async () => {
    expect((await get(`${oidc.url}&audience=sts.tencentcloudapi.com`)).status).toBe(401);
    expect((await get(`${oidc.url}&audience=sts.tencentcloudapi.com`, "wrong")).status).toBe(401);
    expect((await get(`${oidc.url}&audience=other`, oidc.requestToken)).status).toBe(400);
  });

  test("its tokens expire", async () => {
    const res = await get(`${oidc.url}&audience=sts.tencentcloudapi.com`, oidc.requestToken);
    const { value } = (await res.json()) as { value: string };
    clock.advance(300_000);
    expect(oidc.verify(value)).toBeUndefined();
  });
});

describe("fake metadata service", () => {
  test("names the role, serves its credentials, and 404s other roles", async () => {
    const base = `${metadata.url}/latest/meta-data/cam/security-credentials/`;
    expect(await (await fetch(base)).text()).toBe("r");
    const body = (await (await fetch(`${base}r`)).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ Code: "Success", TmpSecretId: metadata.issued.at(-1)?.secretId });
    expect(body.ExpiredTime).toBe(Math.floor(clock.now() / 1000) + 7200);
    expect((await fetch(`${base}other`)).status).toBe(404);
  });
});
