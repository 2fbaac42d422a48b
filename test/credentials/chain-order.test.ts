// Precedence: with all five sources available at once, each source wins only when every source
// above it is absent, and sources below the winner are never contacted.
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { type CredentialOptions, resolveCredentials } from "../../src/credentials/chain.js";
import { type FakeActionsOidc, startFakeActionsOidc } from "../../src/emulator/actions-oidc.js";
import { type FakeMetadata, startFakeMetadata } from "../../src/emulator/metadata.js";
import { type FakeSts, startFakeSts } from "../../src/emulator/sts.js";
import { type TempHome, tempHome, testClock } from "./helpers.js";

const ROLE = "qcs::cam::uin/100000000001:roleName/deploy-gate";
const clock = testClock();
let home: TempHome;
let oidc: FakeActionsOidc;
let sts: FakeSts;
let metadata: FakeMetadata;

beforeAll(async () => {
  home = await tempHome();
  oidc = await startFakeActionsOidc({ now: clock.now });
  sts = await startFakeSts({ acceptToken: (t) => !!oidc.verify(t), now: clock.now });
  metadata = await startFakeMetadata({ roleName: "runner-role", now: clock.now });
});
afterAll(async () => {
  await Promise.all([oidc.close(), sts.close(), metadata.close()]);
  await home.remove();
});

interface Sources {
  options: boolean;
  env: boolean;
  file: boolean;
  oidc: boolean;
}

async function winner(on: Sources) {
  const before = { sts: sts.requests.length, metadata: metadata.requests.length };
  await home.remove();
  if (on.file)
    await home.write(".tencentcloud/credentials", "[default]\nsecret_id=AKIDfile\nsecret_key=f\n");
  const options: CredentialOptions = {
    stsEndpoint: sts.url,
    metadataEndpoint: metadata.url,
    ...(on.options ? { secretId: "AKIDopt", secretKey: "o" } : {}),
  };
  const env = {
    ...(on.env ? { TENCENTCLOUD_SECRET_ID: "AKIDenv", TENCENTCLOUD_SECRET_KEY: "e" } : {}),
    ...(on.oidc ? { TENCENTCLOUD_ROLE_ARN: ROLE, GITHUB_ACTIONS: "true", ...oidc.env() } : {}),
  };
  const provider = await resolveCredentials(options, { env, homeDir: home.dir, now: clock.now });
  return {
    source: provider.source,
    secretId: (await provider.get()).secretId,
    stsCalls: sts.requests.length - before.sts,
    metadataCalls: metadata.requests.length - before.metadata,
  };
}

describe("the chain's order", () => {
  test("explicit options beat everything", async () => {
    expect(await winner({ options: true, env: true, file: true, oidc: true })).toEqual({
      source: "explicit options",
      secretId: "AKIDopt",
      stsCalls: 0,
      metadataCalls: 0,
    });
  });

  test("then the environment", async () => {
    expect(await winner({ options: false, env: true, file: true, oidc: true })).toMatchObject({
      secretId: "AKIDenv",
      stsCalls: 0,
      metadataCalls: 0,
    });
  });

  test("then the credentials files", async () => {
    expect(await winner({ options: false, env: false, file: true, oidc: true })).toMatchObject({
      secretId: "AKIDfile",
      stsCalls: 0,
      metadataCalls: 0,
    });
  });

  test("then OIDC web identity", async () => {
    const result = await winner({ options: false, env: false, file: false, oidc: true });
    expect(result.source).toMatch(/^OIDC web identity/);
    expect(result.secretId).toBe(sts.issued.at(-1)?.secretId);
    expect(result).toMatchObject({ stsCalls: 1, metadataCalls: 0 });
  });

  test("and last the CVM instance role", async () => {
    const result = await winner({ options: false, env: false, file: false, oidc: false });
    expect(result.source).toBe("CVM instance role runner-role");
    expect(result.secretId).toBe(metadata.issued.at(-1)?.secretId);
    expect(result).toMatchObject({ stsCalls: 0, metadataCalls: 2 });
  });
});

describe("a role or profile given as an option is an explicit choice", () => {
  const keysInEnv = { TENCENTCLOUD_SECRET_ID: "AKIDenv", TENCENTCLOUD_SECRET_KEY: "e" };

  test("--role-arn wins over keys in the environment", async () => {
    const provider = await resolveCredentials(
      { roleArn: ROLE, stsEndpoint: sts.url },
      {
        env: { ...keysInEnv, GITHUB_ACTIONS: "true", ...oidc.env() },
        homeDir: home.dir,
        now: clock.now,
      },
    );
    expect(provider.source).toMatch(/^OIDC web identity/);
    expect((await provider.get()).secretId).toBe(sts.issued.at(-1)?.secretId);
  });

  test("--role-arn with no token to exchange stops the chain instead of using the environment's keys", async () => {
    await expect(
      resolveCredentials(
        { roleArn: ROLE, stsEndpoint: sts.url },
        { env: keysInEnv, homeDir: home.dir, now: clock.now },
      ),
    ).rejects.toThrow(
      /from OIDC web identity could not be used: a role ARN is configured but there is no web identity token[\s\S]*Sources tried, in order:\n {2}- explicit options: [^\n]*\n {2}- OIDC web identity: [^\n]*$/,
    );
  });

  test("--profile wins over keys in the environment", async () => {
    await home.remove();
    await home.write(".tencentcloud/credentials", "[prod]\nsecret_id=AKIDprod\nsecret_key=p\n");
    const provider = await resolveCredentials(
      { profile: "prod" },
      { env: keysInEnv, homeDir: home.dir, now: clock.now },
    );
    expect((await provider.get()).secretId).toBe("AKIDprod");
  });

  test("a role only in the environment keeps the documented order", async () => {
    const provider = await resolveCredentials(
      { stsEndpoint: sts.url },
      {
        env: { ...keysInEnv, TENCENTCLOUD_ROLE_ARN: ROLE, GITHUB_ACTIONS: "true", ...oidc.env() },
        homeDir: home.dir,
        now: clock.now,
      },
    );
    expect(provider.source).toMatch(/^environment/);
  });
});
