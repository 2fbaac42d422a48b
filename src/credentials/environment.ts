// Step 2 of the chain: the environment variables the official tools read (tat-api.md §6.1). Each
// tool names the session token differently, so all three names are accepted, Node SDK's first.
import { nonEmpty } from "./non-empty.js";
import { absent, broken, found, type SourceOutcome } from "./outcome.js";
import { staticCredentials } from "./types.js";

export const TOKEN_VARIABLES = [
  "TENCENTCLOUD_SESSION_TOKEN", // Node SDK
  "TENCENTCLOUD_TOKEN", // tccli
  "TENCENTCLOUD_SECURITY_TOKEN", // Terraform provider
] as const;

export function fromEnvironment(env: Record<string, string | undefined>): SourceOutcome {
  const secretId = nonEmpty(env.TENCENTCLOUD_SECRET_ID);
  const secretKey = nonEmpty(env.TENCENTCLOUD_SECRET_KEY);
  if (!secretId && !secretKey) {
    return absent("TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set");
  }
  if (!secretId) return broken("TENCENTCLOUD_SECRET_KEY is set but TENCENTCLOUD_SECRET_ID is not");
  if (!secretKey) return broken("TENCENTCLOUD_SECRET_ID is set but TENCENTCLOUD_SECRET_KEY is not");
  const tokenVar = TOKEN_VARIABLES.find((name) => nonEmpty(env[name]));
  const token = tokenVar ? nonEmpty(env[tokenVar]) : undefined;
  const source = `environment (TENCENTCLOUD_SECRET_ID${tokenVar ? `, ${tokenVar}` : ""})`;
  return found(staticCredentials({ secretId, secretKey, ...(token ? { token } : {}) }, source));
}
