// Step 4: OIDC web identity, through the fake GitHub Actions ID-token endpoint and the fake STS,
// over real HTTP on 127.0.0.1. All three parties share one injected clock.
import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import {
  type CredentialChainError,
  type CredentialOptions,
  resolveCredentials,
} from "../../src/credentials/chain.js";
import { type FakeActionsOidc, startFakeActionsOidc } from "../../src/emulator/actions-oidc.js";
import { type FakeSts, type FakeStsOptions, startFakeSts } from "../../src/emulator/sts.js";
import { UsageError } from "../../src/errors.js";
import {
  refusedUrl,
  rejection,
  serialise,
  type TempHome,
  type TestClock,
  tempHome,
  testClock,
} from "./helpers.js";

const ROLE = "qcs::cam::uin/100000000001:roleName/deploy-gate";
const AUDIENCE = "sts.tencentcloudapi.com";

let clock: TestClock;
let home: TempHome;
let oidc: FakeActionsOidc;
let sts: FakeSts | undefined;
let metadataEndpoint: string;

beforeEach(async () => {
  clock = testClock();
  home = await tempHome();
  oidc = await startFakeActionsOidc({ now: clock.now });
  metadataEndpoint = await refusedUrl();
});
afterEach(async () => {
  await oidc.close();
  await sts?.close();
  sts = undefined;
  await home.remove();
});

/** STS that accepts only unexpired tokens from the fake issuer, for the expected audience. */
async function trustingSts(
  extra: Partial<FakeStsOptions> = {},
  audience = AUDIENCE,
): Promise<FakeSts> {
  sts = await startFakeSts({
    acceptToken: (t) => oidc.verify(t)?.audience === audience,
    now: clock.now,
    ...extra,
  });
  return sts;
}

const actionsEnv = () => ({
  GITHUB_ACTIONS: "true",
  GITHUB_RUN_ID: "4242",
  GITHUB_RUN_ATTEMPT: "2",
  TENCENTCLOUD_ROLE_ARN: ROLE,
  ...oidc.env(),
});

/** A loopback HTTP server answering with `handler`. */
async function listen(handler: RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

const resolve = (env: Record<string, string>, options: CredentialOptions = {}) =>
  resolveCredentials(
    { metadataEndpoint, ...(sts ? { stsEndpoint: sts.url } : {}), ...options },
    { env, homeDir: home.dir, now: clock.now },
  );

describe("GitHub Actions OIDC → STS", () => {
  test("exchanges the ID token for temporary credentials with an unsigned STS call", async () => {
    const fake = await trustingSts();
    const provider = await resolve(actionsEnv());
    expect(provider.source).toBe(
      `OIDC web identity (GitHub Actions ID token, audience ${AUDIENCE} → STS, role ${ROLE})`,
    );
    const issued = fake.issued[0];
    expect(await provider.get()).toEqual({
      secretId: issued?.secretId,
      secretKey: issued?.secretKey,
      token: issued?.token,
      expiresAt: clock.now() + 7200_000,
    });
    expect(oidc.issued.map((t) => t.audience)).toEqual([AUDIENCE]);
    expect(fake.requests).toEqual([
      {
        action: "AssumeRoleWithWebIdentity",
        authorization: "SKIP",
        region: "ap-guangzhou",
        params: { ProviderId: "OIDC", RoleArn: ROLE, RoleSessionName: "tat-assert-4242-2" },
      },
    ]);
  });

  test("audience, provider id, session name, duration and STS region are configurable", async () => {
    const fake = await trustingSts({ providerId: "github" }, "my-client");
    const provider = await resolve(actionsEnv(), {
      oidcAudience: "my-client",
      providerId: "github",
      roleSessionName: "release@v1.2",
      durationSeconds: 900,
      stsRegion: "ap-singapore",
    });
    expect((await provider.get()).expiresAt).toBe(clock.now() + 900_000);
    expect(oidc.issued[0]?.audience).toBe("my-client");
    expect(fake.requests[0]).toMatchObject({
      region: "ap-singapore",
      params: { ProviderId: "github", RoleSessionName: "release@v1.2", DurationSeconds: 900 },
    });
  });

  test("the role ARN may come from TENCENTCLOUD_ASSUME_ROLE_ARN or the option", async () => {
    const fake = await trustingSts();
    const { TENCENTCLOUD_ROLE_ARN: _, ...env } = actionsEnv();
    await resolve({ ...env, TENCENTCLOUD_ASSUME_ROLE_ARN: ROLE });
    const other = "qcs::cam::uin/100000000001:roleName/other";
    await resolve(env, { roleArn: other });
    expect(fake.requests.map((r) => r.params.RoleArn)).toEqual([ROLE, other]);
  });

  test("credentials are refreshed before expiry with a fresh ID token", async () => {
    const fake = await trustingSts({ lifetimeSeconds: 3600 });
    const provider = await resolve(actionsEnv());
    const first = await provider.get();
    // The first ID token (5-minute lifetime) is long expired by now: reusing it would be refused.
    clock.advance(3600_000 - 5 * 60_000 - 1);
    expect(await provider.get()).toBe(first);
    clock.advance(2);
    const second = await provider.get();
    expect(second.secretId).toBe(fake.issued[1]?.secretId);
    expect(second.secretId).not.toBe(first.secretId);
    expect(oidc.issued).toHaveLength(2);
  });
});

describe("OIDC failures are explained and stop the chain", () => {
  test("a role ARN under GitHub Actions without id-token permission", async () => {
    await trustingSts();
    const err = (await rejection(
      resolve({ GITHUB_ACTIONS: "true", TENCENTCLOUD_ROLE_ARN: ROLE }),
    )) as CredentialChainError;
    expect(err.message).toContain(
      "  - OIDC web identity: the workflow lacks `permissions: id-token: write`",
    );
    expect(err.message.split("\n")[0]).toBe(
      "Tencent Cloud credentials from OIDC web identity could not be used: the workflow lacks `permissions: id-token: write` (ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set; pull requests from forks never get them)",
    );
    // The instance role is not tried behind a misconfigured OIDC setup.
    expect(err.attempts.map((a) => a.source)).not.toContain("CVM instance role");
  });

  test("a role ARN outside GitHub Actions with no token file", async () => {
    const err = await rejection(resolve({ TENCENTCLOUD_ROLE_ARN: ROLE }));
    expect(err.message).toContain("a role ARN is configured but there is no web identity token");
  });

  test("STS rejecting the token names the code, the RequestId and what to check", async () => {
    await trustingSts();
    const err = await rejection(resolve(actionsEnv(), { oidcAudience: "wrong-audience" }));
    expect(err.message).toMatch(
      /OIDC web identity: STS AssumeRoleWithWebIdentity at http:\/\/127\.0\.0\.1:\d+ refused: InvalidParameter\.WebIdentityTokenError: The WebIdentityToken is invalid or expired\. \(RequestId [0-9a-f-]{36}\); check that the CAM identity provider's client ID matches the requested audience/,
    );
  });

  test("an unknown role", async () => {
    await trustingSts({ roleArns: ["qcs::cam::uin/100000000001:roleName/other"] });
    const err = await rejection(resolve(actionsEnv()));
    expect(err.message).toContain("refused: InternalError.GetRoleError");
    expect(err.message).toContain("check the role ARN");
  });

  test("the runner refusing the ID-token request", async () => {
    await trustingSts();
    const env = { ...actionsEnv(), ACTIONS_ID_TOKEN_REQUEST_TOKEN: "not-the-runner-token" };
    const err = await rejection(resolve(env));
    expect(err.message).toContain("GitHub Actions ID-token request: HTTP 401");
  });

  test("STS not reachable", async () => {
    const err = await rejection(resolve(actionsEnv(), { stsEndpoint: await refusedUrl() }));
    expect(err.message).toMatch(
      /STS AssumeRoleWithWebIdentity at .*: connection failed \(ECONNREFUSED\)/,
    );
  });

  test("an STS answer that is not UTF-8, or endless, is refused rather than read", async () => {
    const latin1 = await listen((_req, res) => {
      res.end(Buffer.from('{"Response":{"Error":{"Code":"Ungültig"},"RequestId":"r"}}', "latin1"));
    });
    let sent = 0;
    const endless = await listen((_req, res) => {
      const chunk = Buffer.alloc(64 * 1024, "a");
      const more = () => {
        // At most 64 MiB, so that a client that reads on still ends.
        while (!res.destroyed && sent < 64 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", more);
        }
        res.end();
      };
      more();
    });
    try {
      const file = await home.write("token", "OIDC-TOKEN\n");
      const env = { TENCENTCLOUD_ROLE_ARN: ROLE };
      const notText = await rejection(
        resolve(env, { stsEndpoint: latin1.url, webIdentityTokenFile: file }),
      );
      expect(notText.message).toMatch(
        /STS AssumeRoleWithWebIdentity at .*: HTTP 200, but the answer is not UTF-8 text/,
      );
      const tooLarge = await rejection(
        resolve(env, { stsEndpoint: endless.url, webIdentityTokenFile: file }),
      );
      expect(tooLarge.message).toMatch(
        /: HTTP 200, but the answer is larger than 1 MiB \(not read to the end\)/,
      );
      expect(sent).toBeLessThan(16 * 1024 * 1024);
    } finally {
      await Promise.all([latin1.close(), endless.close()]);
    }
  });

  test("a redirect from STS or the ID-token service is not followed: the token stays put", async () => {
    // Where a followed redirect would land: it records every request it gets.
    const landed: string[] = [];
    const elsewhere = await listen((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => {
        body += c;
      });
      req.on("end", () => {
        landed.push(`${req.method} ${req.url} ${req.headers.authorization} ${body}`);
        res.end('{"value":"x"}');
      });
    });
    const redirecting = await listen((_req, res) => {
      res.writeHead(307, { location: `${elsewhere.url.replace("127.0.0.1", "localhost")}/x` });
      res.end();
    });
    try {
      const file = await home.write("token", "OIDC-TOKEN-SECRET\n");
      const env = { TENCENTCLOUD_ROLE_ARN: ROLE };
      const viaSts = await rejection(
        resolve(env, { stsEndpoint: redirecting.url, webIdentityTokenFile: file }),
      );
      expect(viaSts.message).toContain("HTTP 307 (a redirect; redirects are not followed");
      const viaOidc = await rejection(
        resolve({ ...actionsEnv(), ACTIONS_ID_TOKEN_REQUEST_URL: `${redirecting.url}/token?x=1` }),
      );
      expect(viaOidc.message).toContain("GitHub Actions ID-token request: HTTP 307");
      expect(landed).toEqual([]);
    } finally {
      await Promise.all([elsewhere.close(), redirecting.close()]);
    }
  });

  test("an sts endpoint may be a bare host (https); one with a password is refused unshown", async () => {
    const err = await rejection(
      resolve(actionsEnv(), { stsEndpoint: "sts.tencentcloudapi.invalid" }),
    );
    expect(err.message).toMatch(
      /STS AssumeRoleWithWebIdentity at https:\/\/sts\.tencentcloudapi\.invalid: connection failed/,
    );
    const userinfo = await rejection(
      resolve(actionsEnv(), { stsEndpoint: "https://me:pw-SECRET-9@sts.tencentcloudapi.com" }),
    );
    expect(userinfo).toBeInstanceOf(UsageError);
    expect(serialise(userinfo)).not.toContain("SECRET");
    for (const bad of ["ftp://sts.tencentcloudapi.com", "https://[bad"]) {
      await expect(resolve(actionsEnv(), { stsEndpoint: bad })).rejects.toThrow(UsageError);
    }
  });

  test("invalid session name or duration are usage errors", async () => {
    await expect(resolve(actionsEnv(), { roleSessionName: "a b" })).rejects.toThrow(UsageError);
    await expect(resolve(actionsEnv(), { durationSeconds: 43_201 })).rejects.toThrow(UsageError);
    await expect(
      resolve({ ...actionsEnv(), TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION: "2h" }),
    ).rejects.toThrow("role session duration");
  });
});

describe("token files (TKE and others)", () => {
  test("TKE's variables: the file is re-read at every refresh, as the token rotates", async () => {
    const file = await home.write("tke/token", "tke-token-1\n");
    let accepted = "tke-token-1";
    const fake = await trustingSts({
      acceptToken: (t) => t === accepted,
      providerId: "tke-oidc",
      lifetimeSeconds: 600,
    });
    const env = {
      TKE_ROLE_ARN: ROLE,
      TKE_PROVIDER_ID: "tke-oidc",
      TKE_WEB_IDENTITY_TOKEN_FILE: file,
    };
    const provider = await resolve(env);
    expect(provider.source).toBe(
      `OIDC web identity (token file TKE_WEB_IDENTITY_TOKEN_FILE=${file} → STS, role ${ROLE})`,
    );
    await home.write("tke/token", "tke-token-2");
    accepted = "tke-token-2";
    clock.advance(301_000);
    expect((await provider.get()).secretId).toBe(fake.issued[1]?.secretId);
  });

  test("the option wins over the Actions endpoint; a missing file is explained", async () => {
    const file = await home.write("token.jwt", "file-token");
    const fake = await trustingSts({ acceptToken: "file-token" });
    await resolve(actionsEnv(), { webIdentityTokenFile: file });
    expect(fake.issued).toHaveLength(1);
    expect(oidc.issued).toHaveLength(0);

    const missing = `${home.dir}/absent.jwt`;
    const err = await rejection(resolve(actionsEnv(), { webIdentityTokenFile: missing }));
    expect(err.message).toContain(`web identity token file ${missing} does not exist`);
  });
});
