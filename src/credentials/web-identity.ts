// Step 4 of the chain: OIDC web identity. An ID token (from GitHub Actions, or a file such as the
// one TKE mounts into pods) is exchanged with STS for temporary credentials, and exchanged again
// before those expire: a fresh ID token is fetched or re-read each time, since both expire too.
import { CredentialsError, UsageError } from "../errors.js";
import { DEFAULT_OIDC_AUDIENCE, fetchActionsIdToken } from "./actions-id-token.js";
import { nonEmpty } from "./non-empty.js";
import { absent, broken, found, type SourceOutcome } from "./outcome.js";
import { readOptional } from "./read-optional.js";
import { refreshingProvider } from "./refreshing-provider.js";
import {
  assumeRoleWithWebIdentity,
  DEFAULT_STS_ENDPOINT,
  DEFAULT_STS_REGION,
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
export const TOKEN_FILE_VARIABLES = [
  "TENCENTCLOUD_WEB_IDENTITY_TOKEN_FILE",
  "TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE", // Terraform provider
  "TKE_WEB_IDENTITY_TOKEN_FILE", // TKE pod identity
] as const;
/** STS limits (tat-api.md §6.4). */
const MAX_DURATION_SECONDS = 43_200;
const SESSION_NAME = /^[\w+=,.@-]{2,128}$/;

interface TokenSource {
  label: string;
  get: () => Promise<string>;
}

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
  const fetchCredentials = async () =>
    assumeRoleWithWebIdentity({
      providerId,
      webIdentityToken: await tokenSource.get(),
      roleArn,
      roleSessionName,
      durationSeconds,
      endpoint: nonEmpty(options.stsEndpoint) ?? DEFAULT_STS_ENDPOINT,
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

/** A token source, or why there is none although a role ARN asks for one. */
function chooseTokenSource(
  options: WebIdentityOptions,
  ctx: WebIdentityContext,
): TokenSource | string {
  const { env } = ctx;
  const optionFile = nonEmpty(options.webIdentityTokenFile);
  if (optionFile) return tokenFile(optionFile, optionFile, ctx);
  const requestUrl = nonEmpty(env.ACTIONS_ID_TOKEN_REQUEST_URL);
  const requestToken = nonEmpty(env.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
  if (requestUrl && requestToken) {
    const audience = nonEmpty(options.oidcAudience) ?? DEFAULT_OIDC_AUDIENCE;
    return {
      label: `GitHub Actions ID token, audience ${audience}`,
      get: () => fetchActionsIdToken({ requestUrl, requestToken, audience, fetch: ctx.fetch }),
    };
  }
  const fileVar = firstSet(env, TOKEN_FILE_VARIABLES);
  if (fileVar) return tokenFile(fileVar.value, `${fileVar.name}=${fileVar.value}`, ctx);
  if (env.GITHUB_ACTIONS === "true") {
    return "the workflow lacks `permissions: id-token: write` (ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set; pull requests from forks never get them)";
  }
  return "a role ARN is configured but there is no web identity token: not under GitHub Actions with `id-token: write`, and no token file (web identity token file option, TENCENTCLOUD_WEB_IDENTITY_TOKEN_FILE, TKE_WEB_IDENTITY_TOKEN_FILE)";
}

function tokenFile(path: string, label: string, ctx: WebIdentityContext): TokenSource {
  return {
    label: `token file ${label}`,
    // Re-read on every exchange: TKE rotates the file's token.
    get: async () => {
      const read = await readOptional(ctx.readFile, path);
      if (read.kind === "missing") {
        throw new CredentialsError(`web identity token file ${path} does not exist`);
      }
      if (read.kind === "unreadable") {
        throw new CredentialsError(`web identity token file ${path} cannot be read (${read.code})`);
      }
      const token = read.text.trim();
      if (!token) throw new CredentialsError(`web identity token file ${path} is empty`);
      return token;
    },
  };
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

function firstSet<const N extends string>(
  env: Record<string, string | undefined>,
  names: readonly N[],
): { name: N; value: string } | undefined {
  for (const name of names) {
    const value = nonEmpty(env[name]);
    if (value) return { name, value };
  }
  return undefined;
}
