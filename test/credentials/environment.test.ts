import { describe, expect, test } from "@jest/globals";
import { fromEnvironment } from "../../src/credentials/environment.js";
import { fromExplicitOptions } from "../../src/credentials/explicit.js";
import { UsageError } from "../../src/errors.js";

const keys = { TENCENTCLOUD_SECRET_ID: "AKIDenv", TENCENTCLOUD_SECRET_KEY: "env-secret" };

async function credentialsOf(outcome: ReturnType<typeof fromEnvironment>) {
  if (outcome.kind !== "found") throw new Error(`expected credentials, got ${outcome.kind}`);
  return { source: outcome.provider.source, credentials: await outcome.provider.get() };
}

describe("environment variables", () => {
  test("id and key give long-term credentials without a token", async () => {
    expect(await credentialsOf(fromEnvironment(keys))).toEqual({
      source: "environment (TENCENTCLOUD_SECRET_ID)",
      credentials: { secretId: "AKIDenv", secretKey: "env-secret" },
    });
  });

  test("the session token comes from SESSION_TOKEN, then TOKEN, then SECURITY_TOKEN", async () => {
    const all = {
      ...keys,
      TENCENTCLOUD_SESSION_TOKEN: "t-session",
      TENCENTCLOUD_TOKEN: "t-tccli",
      TENCENTCLOUD_SECURITY_TOKEN: "t-terraform",
    };
    const token = async (env: Record<string, string | undefined>) =>
      (await credentialsOf(fromEnvironment(env))).credentials.token;
    expect(await token(all)).toBe("t-session");
    expect(await token({ ...all, TENCENTCLOUD_SESSION_TOKEN: undefined })).toBe("t-tccli");
    expect(await token({ ...all, TENCENTCLOUD_SESSION_TOKEN: "", TENCENTCLOUD_TOKEN: " " })).toBe(
      "t-terraform",
    );
    const named = await credentialsOf(fromEnvironment({ ...keys, TENCENTCLOUD_TOKEN: "t" }));
    expect(named.source).toBe("environment (TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_TOKEN)");
  });

  test("nothing set is skipped; half a pair stops the chain and says which half is missing", () => {
    expect(fromEnvironment({})).toEqual({
      kind: "absent",
      reason: "TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set",
    });
    expect(
      fromEnvironment({ TENCENTCLOUD_SECRET_ID: "AKIDenv", TENCENTCLOUD_SECRET_KEY: "" }),
    ).toEqual({
      kind: "broken",
      reason: "TENCENTCLOUD_SECRET_ID is set but TENCENTCLOUD_SECRET_KEY is not",
    });
    expect(fromEnvironment({ TENCENTCLOUD_SECRET_KEY: "env-secret" })).toEqual({
      kind: "broken",
      reason: "TENCENTCLOUD_SECRET_KEY is set but TENCENTCLOUD_SECRET_ID is not",
    });
  });
});

describe("explicit options", () => {
  test("id, key and token are used as given", async () => {
    const outcome = fromExplicitOptions({ secretId: "AKIDopt", secretKey: "k", sessionToken: "t" });
    expect(await credentialsOf(outcome)).toEqual({
      source: "explicit options",
      credentials: { secretId: "AKIDopt", secretKey: "k", token: "t" },
    });
  });

  test("empty options are skipped, half a pair is a usage error that names no secret", () => {
    expect(fromExplicitOptions({ secretId: "", secretKey: "  " }).kind).toBe("absent");
    expect(() => fromExplicitOptions({ secretId: "AKIDopt" })).toThrow(UsageError);
    expect(() => fromExplicitOptions({ secretKey: "opt-secret-value" })).toThrow(
      "A secret key was given without a secret id.",
    );
    expect(() => fromExplicitOptions({ sessionToken: "t" })).toThrow(UsageError);
  });
});
