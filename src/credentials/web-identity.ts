// Step 4 of the chain: OIDC web identity. An ID token (from GitHub Actions, or a file such as the
// one TKE mounts into pods) is exchanged with STS for temporary credentials, and exchanged again
// before those expire: a fresh ID token is fetched or re-read each time, since both expire too.
import { CredentialsError, UsageError } from "../errors.js";
import { chooseTokenSource } from "./identity-token-source.js";
import { firstSet, nonEmpty } from "./non-empty.js";
import { absent, broken, found, type SourceOutcome } from "./outcome.js";
import { refreshingProvider } from "./refreshing-provider.js";
import {
  assumeRoleWithWebIdentity,
  DEFAULT_STS_ENDPOINT,
  DEFAULT_STS_REGION,
  resolveStsEndpoint,
} from "./sts-client.js";

export interface WebIdentityOptions {
  roleArn?: string | undefined;
  providerId?: string | undefined;
  roleSessionName?: string | undefined;
  durationSeconds?: number | undefined;
  oidcAudience?: string | undefined;
  webIdentityTokenFile?: string | undefined;
  stsEndpoint?: string | undefined;
  stsRegion?: string | undefined;
}

export interface WebIdentityContext {
  env: Record<string, string | undefined>;
  fetch: typeof globalThis.fetch;
  now: () => number;
  readFile: (path: string) => Promise<string>;
}

export const ROLE_ARN_VARIABLES = [
  "TENCENTCLOUD_ROLE_ARN", // tccli
  "TENCENTCLOUD_ASSUME_ROLE_ARN", // Terraform provider
  "TKE_ROLE_ARN", // TKE pod identity
] as const;
/** STS limits (tat-api.md §6.4). */
const MAX_DURATION_SECONDS = 43_200;
const SESSION_NAME = /^[\w+=,.@-]{2,128}$/;

export async function fromWebIdentity(
  options: WebIdentityOptions,
  ctx: WebIdentityContext,
): Promise<SourceOutcome> {
  const { env } = ctx;
  const roleArn = nonEmpty(options.roleArn) ?? firstSet(env, ROLE_ARN_VARIABLES)?.value;
  if (!roleArn) {
    return absent("no role ARN configured (role ARN option, TENCENTCLOUD_ROLE_ARN)");
  }
  const tokenSource = chooseTokenSource(options, ctx);
  if (typeof tokenSource === "string") return broken(tokenSource);

  const providerId =
    nonEmpty(options.providerId) ??
    nonEmpty(env.TENCENTCLOUD_ASSUME_ROLE_PROVIDER_ID) ??
    nonEmpty(env.TKE_PROVIDER_ID) ??
    "OIDC";
  const roleSessionName = sessionName(options, ctx);
  const durationSeconds = duration(options, env);
  const endpoint = resolveStsEndpoint(nonEmpty(options.stsEndpoint) ?? DEFAULT_STS_ENDPOINT);
  const fetchCredentials = async () =>
    assumeRoleWithWebIdentity({
      providerId,
      webIdentityToken: await tokenSource.get(),
      roleArn,
      roleSessionName,
      durationSeconds,
      endpoint,
      region: nonEmpty(options.stsRegion) ?? DEFAULT_STS_REGION,
      fetch: ctx.fetch,
      now: ctx.now,
    });
  try {
    const initial = await fetchCredentials();
    return found(
      refreshingProvider({
        source: `OIDC web identity (${tokenSource.label} → STS, role ${roleArn})`,
        fetchCredentials,
        now: ctx.now,
        initial,
      }),
    );
  } catch (err) {
    if (err instanceof CredentialsError) return broken(err.message);
    throw err;
  }
}

function sessionName(options: WebIdentityOptions, ctx: WebIdentityContext): string {
  const given =
    nonEmpty(options.roleSessionName) ??
    nonEmpty(ctx.env.TENCENTCLOUD_ROLE_SESSION_NAME) ??
    nonEmpty(ctx.env.TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME);
  if (given !== undefined) {
    if (!SESSION_NAME.test(given)) {
      throw new UsageError(
        `Expected the role session name to be 2 to 128 characters of letters, digits and +=,.@_- (got ${JSON.stringify(given)}).`,
      );
    }
    return given;
  }
  // Naming the workflow run makes the session traceable in CloudAudit.
  const runId = nonEmpty(ctx.env.GITHUB_RUN_ID);
  const suffix = runId
    ? `${runId}-${nonEmpty(ctx.env.GITHUB_RUN_ATTEMPT) ?? "1"}`
    : String(Math.floor(ctx.now() / 1000));
  return `tat-assert-${suffix}`.replace(/[^\w+=,.@-]/g, "-").slice(0, 128);
}

function duration(
  options: WebIdentityOptions,
  env: Record<string, string | undefined>,
): number | undefined {
  const fromEnv = nonEmpty(env.TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION);
  const value = options.durationSeconds ?? (fromEnv === undefined ? undefined : Number(fromEnv));
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > MAX_DURATION_SECONDS) {
    throw new UsageError(
      `Expected the role session duration to be a whole number of seconds from 1 to ${MAX_DURATION_SECONDS} (got ${options.durationSeconds ?? fromEnv}).`,
    );
  }
  return value;
}
