// End to end: credentials obtained through GitHub Actions OIDC and STS are accepted by the TAT
// emulator on a real signed request (TatClient signs with src/tat/sign.ts and sends X-TC-Token),
// and keep being accepted across a refresh after the first set expired.
import { afterEach, beforeEach, expect, test } from "@jest/globals";
import { resolveCredentials } from "../../src/credentials/chain.js";
import { type FakeActionsOidc, startFakeActionsOidc } from "../../src/emulator/actions-oidc.js";
import { buildScenario, type Emulator, startEmulator } from "../../src/emulator/index.js";
import { type FakeSts, startFakeSts } from "../../src/emulator/sts.js";
import { TatApiError } from "../../src/errors.js";
import { TatClient } from "../../src/tat/client.js";
import { refusedUrl, testClock } from "./helpers.js";

const ROLE = "qcs::cam::uin/100000000001:roleName/deploy-gate";
const clock = testClock();
let emulator: Emulator;
let oidc: FakeActionsOidc;
let sts: FakeSts;

beforeEach(async () => {
  emulator = await startEmulator({
    scenario: buildScenario({
      invocations: [
        { id: "inv-0a1b2c3d", commandId: "cmd-deploy", tasks: [{ instance: "ins-web1" }] },
      ],
    }),
    wallNow: clock.now,
  });
  oidc = await startFakeActionsOidc({ now: clock.now });
  sts = await startFakeSts({
    acceptToken: (t) => !!oidc.verify(t),
    lifetimeSeconds: 900,
    now: clock.now,
    onIssue: (c) => emulator.addCredential(c),
  });
});
afterEach(async () => {
  await Promise.all([emulator.close(), oidc.close(), sts.close()]);
});

const clientFor = async () => {
  const credentials = await resolveCredentials(
    { stsEndpoint: sts.url, metadataEndpoint: await refusedUrl() },
    {
      env: { GITHUB_ACTIONS: "true", TENCENTCLOUD_ROLE_ARN: ROLE, ...oidc.env() },
      homeDir: "/nonexistent-home",
      now: clock.now,
    },
  );
  return new TatClient({
    endpoint: emulator.url,
    region: "ap-guangzhou",
    credentials,
    now: clock.now,
    retries: 0,
  });
};

test("OIDC-issued temporary credentials sign TAT requests the emulator accepts, before and after a refresh", async () => {
  const client = await clientFor();
  const first = await client.describeInvocations({ InvocationIds: ["inv-0a1b2c3d"] });
  expect(first.InvocationSet.map((i) => i.InvocationId)).toEqual(["inv-0a1b2c3d"]);

  // Past the first credentials' expiry: only the refreshed set can still be accepted.
  clock.advance(901_000);
  const second = await client.describeInvocations({ InvocationIds: ["inv-0a1b2c3d"] });
  expect(second.TotalCount).toBe(1);
  expect(sts.issued).toHaveLength(2);
});

test("the emulator refuses STS credentials it was not told about", async () => {
  const client = await clientFor();
  // A second STS whose credentials are never registered with the emulator: same flow otherwise.
  const fresh = await startFakeSts({ acceptToken: (t) => !!oidc.verify(t), now: clock.now });
  try {
    const stranger = await resolveCredentials(
      { stsEndpoint: fresh.url, metadataEndpoint: await refusedUrl() },
      {
        env: { GITHUB_ACTIONS: "true", TENCENTCLOUD_ROLE_ARN: ROLE, ...oidc.env() },
        homeDir: "/none",
        now: clock.now,
      },
    );
    const strangerClient = new TatClient({
      endpoint: emulator.url,
      region: "ap-guangzhou",
      credentials: stranger,
      now: clock.now,
      retries: 0,
    });
    const err = await strangerClient
      .describeInvocations({ InvocationIds: ["inv-0a1b2c3d"] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TatApiError);
    expect((err as TatApiError).code).toBe("AuthFailure.SecretIdNotFound");
    // The registered client still works.
    expect((await client.describeInvocations({ InvocationIds: ["inv-0a1b2c3d"] })).TotalCount).toBe(
      1,
    );
  } finally {
    await fresh.close();
  }
});
