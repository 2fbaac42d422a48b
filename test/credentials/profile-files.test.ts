// Step 3 through the whole chain: real files in a temporary HOME, steps 1-2 empty, and a metadata
// endpoint that refuses connections so step 5 fails fast and locally.
import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import { CredentialChainError, resolveCredentials } from "../../src/credentials/chain.js";
import { startFakeMetadata } from "../../src/emulator/metadata.js";
import { UsageError } from "../../src/errors.js";
import { refusedUrl, rejection, type TempHome, tempHome } from "./helpers.js";

let home: TempHome;
let metadataEndpoint: string;
beforeEach(async () => {
  home = await tempHome();
  metadataEndpoint = await refusedUrl();
});
afterEach(() => home.remove());

const resolve = (env: Record<string, string> = {}, profile?: string) =>
  resolveCredentials(
    { metadataEndpoint, ...(profile ? { profile } : {}) },
    { env, homeDir: home.dir },
  );

const INI = `# written by hand
[default]
secret_id = AKIDdefault
secret_key = default-secret

[ci]
secret_id=AKIDci
secret_key=ci-secret
token = ci-token
`;

describe("the SDK credentials file (~/.tencentcloud/credentials)", () => {
  test("the default section is used and named as the source", async () => {
    const path = await home.write(".tencentcloud/credentials", INI);
    const provider = await resolve();
    expect(provider.source).toBe(`credentials file ${path} [default]`);
    expect(await provider.get()).toEqual({ secretId: "AKIDdefault", secretKey: "default-secret" });
  });

  test("the profile comes from the option, then TENCENTCLOUD_PROFILE, then TCCLI_PROFILE", async () => {
    await home.write(
      ".tencentcloud/credentials",
      `${INI}\n[other]\nsecret_id=AKIDother\nsecret_key=o\n`,
    );
    const id = async (env: Record<string, string>, profile?: string) =>
      (await (await resolve(env, profile)).get()).secretId;
    expect(await id({}, "ci")).toBe("AKIDci");
    expect(await id({ TENCENTCLOUD_PROFILE: "ci", TCCLI_PROFILE: "other" })).toBe("AKIDci");
    expect(await id({ TCCLI_PROFILE: "other" })).toBe("AKIDother");
    expect(await (await resolve({}, "ci")).get()).toEqual({
      secretId: "AKIDci",
      secretKey: "ci-secret",
      token: "ci-token",
    });
  });

  test("TENCENTCLOUD_CREDENTIALS_FILE points elsewhere, and must exist when set", async () => {
    const path = await home.write("elsewhere.ini", "[default]\nsecret_id=AKIDelse\nsecret_key=e\n");
    const provider = await resolve({ TENCENTCLOUD_CREDENTIALS_FILE: path });
    expect((await provider.get()).secretId).toBe("AKIDelse");

    const missing = `${home.dir}/nope.ini`;
    const err = await rejection(resolve({ TENCENTCLOUD_CREDENTIALS_FILE: missing }));
    expect(err).toBeInstanceOf(CredentialChainError);
    expect(err.message).toContain(
      `TENCENTCLOUD_CREDENTIALS_FILE is set but ${missing} does not exist`,
    );
  });

  test("a garbled file stops the chain with its path and line", async () => {
    const path = await home.write(".tencentcloud/credentials", "[default]\nsecret_id AKIDx\n");
    // Valid tccli credentials must not be picked up behind a broken SDK file.
    await home.write(
      ".tccli/default.credential",
      JSON.stringify({ secretId: "AKIDt", secretKey: "t" }),
    );
    const err = (await rejection(resolve())) as CredentialChainError;
    expect(err.message).toMatch(
      /^Tencent Cloud credentials from credentials files \(profile default\) could not be used/,
    );
    expect(err.attempts.at(-1)).toEqual({
      source: "credentials files (profile default)",
      outcome: "broken",
      reason: `${path}:2: expected \`[section]\` or \`key = value\``,
    });
    expect(err.attempts.map((a) => a.source)).toEqual([
      "explicit options",
      "environment",
      "credentials files (profile default)",
    ]);
  });

  test("a section without secret_key is explained", async () => {
    const path = await home.write(".tencentcloud/credentials", "[default]\nsecret_id = AKIDonly\n");
    const err = await rejection(resolve());
    expect(err.message).toContain(`${path} [default] lacks secret_key`);
  });
});

describe("tccli profile files (~/.tccli/<profile>.credential)", () => {
  test("JSON keys secretId/secretKey/token of the chosen profile", async () => {
    const path = await home.write(
      ".tccli/prod.credential",
      JSON.stringify({ type: "default", secretId: "AKIDprod", secretKey: "p", token: "pt" }),
    );
    const provider = await resolve({ TCCLI_PROFILE: "prod" });
    expect(provider.source).toBe(`tccli profile prod (${path})`);
    expect(await provider.get()).toEqual({ secretId: "AKIDprod", secretKey: "p", token: "pt" });
  });

  test("the SDK file is preferred when both have the profile", async () => {
    await home.write(".tencentcloud/credentials", INI);
    await home.write(
      ".tccli/default.credential",
      JSON.stringify({ secretId: "AKIDt", secretKey: "t" }),
    );
    expect((await (await resolve()).get()).secretId).toBe("AKIDdefault");
  });

  test("an SDK file without the profile's section falls back to tccli", async () => {
    await home.write(".tencentcloud/credentials", "[other]\nsecret_id=a\nsecret_key=b\n");
    await home.write(
      ".tccli/default.credential",
      JSON.stringify({ secretId: "AKIDt", secretKey: "t" }),
    );
    expect((await (await resolve()).get()).secretId).toBe("AKIDt");
  });

  test("invalid JSON, missing keys and unsupported types are explained", async () => {
    const path = await home.write(".tccli/default.credential", "{ secretId: ");
    expect((await rejection(resolve())).message).toContain(`${path} is not valid JSON`);
    await home.write(".tccli/default.credential", JSON.stringify({ secretId: "AKIDt" }));
    expect((await rejection(resolve())).message).toContain(`${path} lacks secretKey`);
    await home.write(".tccli/default.credential", JSON.stringify({ type: "oauth" }));
    expect((await rejection(resolve())).message).toContain(`${path} has "type": "oauth"`);
  });

  test('"type": "cvm-role" uses the instance role from the metadata service', async () => {
    const metadata = await startFakeMetadata({ roleName: "runner-role" });
    try {
      await home.write(".tccli/default.credential", JSON.stringify({ type: "cvm-role" }));
      metadataEndpoint = metadata.url;
      const provider = await resolve();
      expect(provider.source).toBe("CVM instance role (tccli profile default) runner-role");
      expect((await provider.get()).token).toBe(metadata.issued[0]?.token);
    } finally {
      await metadata.close();
    }
  });

  test('"type": "cvm-role" off-cloud stops the chain instead of being skipped', async () => {
    await home.write(".tccli/default.credential", JSON.stringify({ type: "cvm-role" }));
    const err = (await rejection(resolve())) as CredentialChainError;
    expect(err.attempts.at(-1)?.reason).toMatch(
      /says "type": "cvm-role" but metadata service .* not reachable/,
    );
  });
});

describe("missing files", () => {
  test("are skipped, and the final error lists every source with its reason", async () => {
    const err = (await rejection(resolve())) as CredentialChainError;
    expect(err).toBeInstanceOf(CredentialChainError);
    expect(err.kind).toBe("api");
    expect(err.attempts).toEqual([
      { source: "explicit options", outcome: "absent", reason: "no secret id/key given" },
      {
        source: "environment",
        outcome: "absent",
        reason: "TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set",
      },
      {
        source: "credentials files (profile default)",
        outcome: "absent",
        reason: `${home.dir}/.tencentcloud/credentials does not exist; ${home.dir}/.tccli/default.credential does not exist`,
      },
      {
        source: "OIDC web identity",
        outcome: "absent",
        reason: "no role ARN configured (role ARN option, TENCENTCLOUD_ROLE_ARN)",
      },
      {
        source: "CVM instance role",
        outcome: "absent",
        reason: expect.stringMatching(
          /^metadata service http:\/\/127\.0\.0\.1:\d+ not reachable: connection failed \(ECONNREFUSED\)/,
        ),
      },
    ]);
    expect(err.message.split("\n")[0]).toBe(
      "No Tencent Cloud credentials found. Sources tried, in order:",
    );
  });

  test("a profile chosen on purpose but found nowhere stops the chain", async () => {
    await home.write(".tencentcloud/credentials", INI);
    const err = await rejection(resolve({}, "staging"));
    expect(err.message).toContain('profile "staging" not found');
    expect(err.message).toContain("has no [staging] section");
  });

  test("a profile name that is not a plain file name is a usage error", async () => {
    await expect(resolve({}, "../../etc/passwd")).rejects.toThrow(UsageError);
  });
});
