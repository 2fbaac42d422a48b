// Step 5: the CVM instance role, through the fake metadata service over real HTTP.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, test } from "@jest/globals";
import {
  type CredentialChainError,
  type CredentialOptions,
  resolveCredentials,
} from "../../src/credentials/chain.js";
import {
  type FakeMetadata,
  type FakeMetadataOptions,
  startFakeMetadata,
} from "../../src/emulator/metadata.js";
import { rejection, testClock } from "./helpers.js";

const PREFIX = "/latest/meta-data/cam/security-credentials/";
const clock = testClock();
let metadata: FakeMetadata | undefined;
afterEach(async () => {
  await metadata?.close();
  metadata = undefined;
});

async function resolveWith(fake: FakeMetadataOptions, options: CredentialOptions = {}) {
  metadata = await startFakeMetadata({ now: clock.now, ...fake });
  return resolveCredentials(
    { metadataEndpoint: metadata.url, ...options },
    // A HOME without credential files, so steps 1-4 are all skipped.
    { env: {}, homeDir: "/nonexistent-home", now: clock.now },
  );
}

describe("CVM instance role", () => {
  test("the role is discovered, then its credentials are read", async () => {
    const provider = await resolveWith({ roleName: "runner-role" });
    expect(provider.source).toBe("CVM instance role runner-role");
    const issued = metadata?.issued[0];
    expect(await provider.get()).toEqual({
      secretId: issued?.secretId,
      secretKey: issued?.secretKey,
      token: issued?.token,
      expiresAt: clock.now() + 7200_000,
    });
    expect(metadata?.requests).toEqual([PREFIX, `${PREFIX}runner-role`]);
  });

  test("a role name given skips discovery", async () => {
    await resolveWith({ roleName: "runner-role" }, { cvmRoleName: "runner-role" });
    expect(metadata?.requests).toEqual([`${PREFIX}runner-role`]);
  });

  test("no role bound: the chain ends, saying so", async () => {
    const err = (await rejection(resolveWith({}))) as CredentialChainError;
    expect(err.attempts.at(-1)).toEqual({
      source: "CVM instance role",
      outcome: "absent",
      reason: expect.stringMatching(
        /^no CAM role is bound to this instance \(http:\/\/127\.0\.0\.1:\d+ answered 404\)$/,
      ),
    });
    expect(err.message).toMatch(/^No Tencent Cloud credentials found/);
  });

  test("a metadata address that never answers gives up after the short timeout", async () => {
    const err = await rejection(resolveWith({ stall: true }, { metadataTimeoutMs: 50 }));
    expect(err.message).toMatch(
      /CVM instance role: metadata service .* not reachable: no answer within 50 ms \(not a Tencent Cloud instance\?\)/,
    );
  });

  test("a role name that is not UTF-8 is an answer refused, not a service unreachable", async () => {
    const server = createServer((_req, res) => res.end(Buffer.from("rôle-déployé\n", "latin1")));
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const { port } = server.address() as AddressInfo;
    try {
      const err = await rejection(
        resolveCredentials(
          { metadataEndpoint: `http://127.0.0.1:${port}` },
          { env: {}, homeDir: "/nonexistent-home", now: clock.now },
        ),
      );
      expect(err.message).toMatch(
        /metadata service http:\/\/127\.0\.0\.1:\d+ answered HTTP 200, but the answer is not UTF-8 text/,
      );
    } finally {
      await new Promise<void>((done) => server.close(() => done()));
    }
  });

  test("an answer whose Code is not Success is refused", async () => {
    const err = await rejection(resolveWith({ roleName: "r", code: "Failure" }));
    expect(err.message).toContain('role r: Code is "Failure", not "Success"');
  });

  test("a role name given that the instance does not have", async () => {
    const err = await rejection(resolveWith({ roleName: "actual" }, { cvmRoleName: "asked" }));
    expect(err.message).toContain("role asked: no such role on this instance (HTTP 404)");
  });

  test("credentials are re-read before they expire", async () => {
    const provider = await resolveWith({ roleName: "r", lifetimeSeconds: 60 });
    const first = await provider.get();
    clock.advance(29_999); // short-lived: renewed at half their lifetime
    expect(await provider.get()).toBe(first);
    clock.advance(1);
    const second = await provider.get();
    expect(second.secretId).toBe(metadata?.issued[1]?.secretId);
    expect(second.expiresAt).toBe(clock.now() + 60_000);
  });
});
