// No secret ever reaches an error: every failure path that had a secret in hand is provoked, the
// error serialised whole (message, stack, fields, cause), and searched for the secret.
import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import { type CredentialOptions, resolveCredentials } from "../../src/credentials/chain.js";
import { type FakeActionsOidc, startFakeActionsOidc } from "../../src/emulator/actions-oidc.js";
import { startFakeMetadata } from "../../src/emulator/metadata.js";
import { type FakeSts, startFakeSts } from "../../src/emulator/sts.js";
import { refusedUrl, rejection, serialise, type TempHome, tempHome, testClock } from "./helpers.js";

const SECRET = "SuperSecretKeyValue0123456789abcd";
const TOKEN = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LWNsYWltcw.SecretSignaturePart";
const ROLE = "qcs::cam::uin/100000000001:roleName/deploy-gate";

const clock = testClock();
let home: TempHome;
let metadataEndpoint: string;
let sts: FakeSts | undefined;
let oidc: FakeActionsOidc | undefined;
beforeEach(async () => {
  home = await tempHome();
  metadataEndpoint = await refusedUrl();
});
afterEach(async () => {
  await sts?.close();
  await oidc?.close();
  sts = undefined;
  oidc = undefined;
  await home.remove();
});

async function failure(env: Record<string, string>, options: CredentialOptions = {}) {
  const err = await rejection(
    resolveCredentials(
      { metadataEndpoint, ...options },
      { env, homeDir: home.dir, now: clock.now },
    ),
  );
  return serialise(err);
}

function expectClean(text: string, ...secrets: string[]) {
  for (const s of [SECRET, TOKEN, ...secrets]) expect(text).not.toContain(s);
}

describe("errors carry no secrets", () => {
  test("half-set options and environment", async () => {
    expectClean(await failure({}, { secretKey: SECRET }));
    expectClean(await failure({}, { secretId: "AKIDx", sessionToken: TOKEN }));
    expectClean(
      await failure({ TENCENTCLOUD_SECRET_KEY: SECRET, TENCENTCLOUD_SESSION_TOKEN: TOKEN }),
    );
  });

  test("credential files that are garbled or incomplete", async () => {
    await home.write(".tencentcloud/credentials", `[default]\nsecret_key ${SECRET}\n`);
    expectClean(await failure({}));
    await home.write(
      ".tencentcloud/credentials",
      `[default]\nsecret_key = ${SECRET}\ntoken = ${TOKEN}\n`,
    );
    expectClean(await failure({}));
    await home.remove();
    await home.write(".tccli/default.credential", `{"secretKey": "${SECRET}", "token": "${TOKEN}"`);
    expectClean(await failure({}));
    await home.write(
      ".tccli/default.credential",
      JSON.stringify({ secretKey: SECRET, token: TOKEN }),
    );
    expectClean(await failure({}));
  });

  test("STS quoting the web identity token back in its message", async () => {
    const file = await home.write("token.jwt", TOKEN);
    sts = await startFakeSts({ acceptToken: TOKEN, now: clock.now });
    sts.failNext("InvalidParameter.WebIdentityTokenError", `token ${TOKEN} has expired`);
    const text = await failure(
      { TENCENTCLOUD_ROLE_ARN: ROLE },
      { stsEndpoint: sts.url, webIdentityTokenFile: file },
    );
    expect(text).toContain("InvalidParameter.WebIdentityTokenError: token *** has expired");
    expectClean(text);
  });

  test("the runner's request token and the ID token", async () => {
    oidc = await startFakeActionsOidc({
      requestToken: SECRET,
      audiences: ["only-this"],
      now: clock.now,
    });
    sts = await startFakeSts({ acceptToken: "never", now: clock.now });
    const env = { TENCENTCLOUD_ROLE_ARN: ROLE, GITHUB_ACTIONS: "true", ...oidc.env() };
    expectClean(await failure(env, { stsEndpoint: sts.url })); // audience refused by the issuer
    const refused = await failure(env, { stsEndpoint: sts.url, oidcAudience: "only-this" });
    expect(refused).toContain("WebIdentityTokenError");
    expectClean(refused, ...oidc.issued.map((t) => t.token));
  });

  test("a refresh failing after the credentials expired", async () => {
    const file = await home.write("token.jwt", TOKEN);
    sts = await startFakeSts({ acceptToken: TOKEN, now: clock.now, lifetimeSeconds: 60 });
    const provider = await resolveCredentials(
      { metadataEndpoint, stsEndpoint: sts.url, webIdentityTokenFile: file },
      { env: { TENCENTCLOUD_ROLE_ARN: ROLE }, homeDir: home.dir, now: clock.now },
    );
    const first = await provider.get();
    sts.failNext("InternalError.SystemError", `renewal failed for ${TOKEN}`);
    clock.advance(61_000);
    const text = serialise(await rejection(provider.get()));
    expect(text).toContain("InternalError.SystemError");
    expectClean(text, first.secretKey, first.token ?? "");
  });

  test("a metadata answer refused for its Code still holding keys", async () => {
    const metadata = await startFakeMetadata({ roleName: "r", code: "Failure" });
    try {
      metadataEndpoint = metadata.url;
      const text = await failure({});
      expect(text).toContain("Failure");
      expect(text).not.toContain("AKIDcvm"); // the fake's TmpSecretId prefix
    } finally {
      await metadata.close();
    }
  });

  test("the provider's source and its JSON form name no secret", async () => {
    const provider = await resolveCredentials(
      { secretId: "AKIDx", secretKey: SECRET, sessionToken: TOKEN },
      { env: {}, homeDir: home.dir },
    );
    expectClean(provider.source);
    expectClean(JSON.stringify(provider));
  });
});
