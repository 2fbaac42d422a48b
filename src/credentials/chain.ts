// The credential chain shared by the CLI, the library and the Action. Sources are tried in a fixed
// order and the first that yields credentials wins; its provider's `source` names it for verbose
// output. A source with nothing configured is skipped; a source that is configured but unusable
// stops the chain (see outcome.ts). Either way the error lists what every source tried said.
import { readFile as fsReadFile } from "node:fs/promises";
import { CredentialsError, UsageError } from "../errors.js";
import { fromCvmRole } from "./cvm-role.js";
import { fromEnvironment } from "./environment.js";
import { fromExplicitOptions } from "./explicit.js";
import { nonEmpty } from "./non-empty.js";
import type { SourceOutcome } from "./outcome.js";
import { fromProfileFiles } from "./profile-files.js";
import type { CredentialProvider } from "./types.js";
import { fromWebIdentity } from "./web-identity.js";

export interface CredentialOptions {
  /** 1. Explicit keys (flags, Action inputs). Half a pair is a UsageError. */
  secretId?: string;
  secretKey?: string;
  sessionToken?: string;
  /** Profile in the credentials files. @default TENCENTCLOUD_PROFILE, TCCLI_PROFILE, else "default" */
  profile?: string;
  /** OIDC role to assume. @default TENCENTCLOUD_ROLE_ARN, TENCENTCLOUD_ASSUME_ROLE_ARN, TKE_ROLE_ARN */
  roleArn?: string;
  /** CAM identity provider name. @default TENCENTCLOUD_ASSUME_ROLE_PROVIDER_ID, TKE_PROVIDER_ID, else "OIDC" */
  providerId?: string;
  /** @default TENCENTCLOUD_ROLE_SESSION_NAME, else `tat-assert-<GITHUB_RUN_ID>-<attempt>` or `tat-assert-<unix seconds>` */
  roleSessionName?: string;
  /** 1 to 43200. @default TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION, else STS's own default (7200) */
  durationSeconds?: number;
  /** Audience of the GitHub Actions ID token; must match the CAM provider's client ID. @default "sts.tencentcloudapi.com" */
  oidcAudience?: string;
  /** File holding an OIDC token. @default TENCENTCLOUD_WEB_IDENTITY_TOKEN_FILE, TKE_WEB_IDENTITY_TOKEN_FILE */
  webIdentityTokenFile?: string;
  /** CAM role of the CVM instance. @default TENCENTCLOUD_CAM_ROLE_NAME, else discovered */
  cvmRoleName?: string;
  /** @default "https://sts.tencentcloudapi.com" */
  stsEndpoint?: string;
  /** Region sent to STS. @default "ap-guangzhou" */
  stsRegion?: string;
  /** @default "http://metadata.tencentyun.com" */
  metadataEndpoint?: string;
  /** Deadline for the first metadata request, so the chain never hangs off-cloud. @default 1000 */
  metadataTimeoutMs?: number;
  // The Actions OIDC token URL comes from ACTIONS_ID_TOKEN_REQUEST_URL.
}

export interface ChainContext {
  env: Record<string, string | undefined>;
  homeDir: string;
  /** @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** Epoch milliseconds; drives expiry and refresh. @default Date.now */
  now?: () => number;
  /** UTF-8 text of a file; rejects with `code: "ENOENT"` when absent. @default fs.readFile */
  readFile?: (path: string) => Promise<string>;
}

export interface SourceAttempt {
  /** The source, e.g. "environment". */
  source: string;
  outcome: "absent" | "broken";
  /** Why it yielded nothing; never contains a secret. */
  reason: string;
}

/** No source yielded credentials; `attempts` says why, source by source. */
export class CredentialChainError extends CredentialsError {
  constructor(readonly attempts: readonly SourceAttempt[]) {
    super(formatAttempts(attempts));
  }
}

/**
 * The first source that yields credentials wins; the provider's `source` names it (never the secret).
 * Throws CredentialChainError (a CredentialsError) explaining, for every source tried, why it
 * yielded nothing, and UsageError for invalid options.
 */
export async function resolveCredentials(
  options: CredentialOptions,
  ctx: ChainContext,
): Promise<CredentialProvider> {
  const fetchFn = ctx.fetch ?? globalThis.fetch;
  const now = ctx.now ?? Date.now;
  const readFile = ctx.readFile ?? ((path: string) => fsReadFile(path, "utf8"));
  const { env } = ctx;
  const profile = chooseProfile(options, env);
  const cvmRole = (label?: string) =>
    fromCvmRole({
      roleName: nonEmpty(options.cvmRoleName) ?? nonEmpty(env.TENCENTCLOUD_CAM_ROLE_NAME),
      endpoint: nonEmpty(options.metadataEndpoint),
      timeoutMs: options.metadataTimeoutMs,
      fetch: fetchFn,
      now,
      ...(label ? { label } : {}),
    });

  type Source = [string, () => SourceOutcome | Promise<SourceOutcome>];
  const explicit: Source = ["explicit options", () => fromExplicitOptions(options)];
  const environment: Source = ["environment", () => fromEnvironment(env)];
  const files: Source = [
    `credentials files (profile ${profile.name})`,
    () =>
      fromProfileFiles({
        profile: profile.name,
        profileChosen: profile.chosen,
        env,
        homeDir: ctx.homeDir,
        readFile,
        cvmRole,
      }),
  ];
  const webIdentity: Source = [
    "OIDC web identity",
    () => fromWebIdentity(options, { env, fetch: fetchFn, now, readFile }),
  ];
  const instanceRole: Source = ["CVM instance role", () => cvmRole()];
  // A role or profile given as an option (--role-arn, --profile, Action inputs) is an explicit
  // choice: it comes before keys in the environment. Both sources already report a named role or
  // profile that yields nothing as broken, so the chain stops there instead of using another identity.
  const chosen: Source[] = [];
  if (nonEmpty(options.roleArn)) chosen.push(webIdentity);
  if (nonEmpty(options.profile)) chosen.push(files);
  const sources: Source[] = [
    explicit,
    ...chosen,
    ...[environment, files, webIdentity, instanceRole].filter(
      (x) => !chosen.some((c) => c[0] === x[0]),
    ),
  ];

  const attempts: SourceAttempt[] = [];
  for (const [source, probe] of sources) {
    const outcome = await probe();
    if (outcome.kind === "found") return outcome.provider;
    attempts.push({ source, outcome: outcome.kind, reason: outcome.reason });
    if (outcome.kind === "broken") break;
  }
  throw new CredentialChainError(attempts);
}

function chooseProfile(
  options: CredentialOptions,
  env: Record<string, string | undefined>,
): { name: string; chosen: boolean } {
  const chosen =
    nonEmpty(options.profile) ?? nonEmpty(env.TENCENTCLOUD_PROFILE) ?? nonEmpty(env.TCCLI_PROFILE);
  // The name becomes part of a file path.
  if (chosen !== undefined && !/^[\w.-]+$/.test(chosen)) {
    throw new UsageError(
      `Expected the profile name to be letters, digits, ".", "_" or "-" (got ${JSON.stringify(chosen)}).`,
    );
  }
  return { name: chosen ?? "default", chosen: chosen !== undefined };
}

export function formatAttempts(attempts: readonly SourceAttempt[]): string {
  const last = attempts.at(-1);
  const lines = attempts.map((a) => `  - ${a.source}: ${a.reason}`);
  if (last?.outcome === "broken") {
    return [
      `Tencent Cloud credentials from ${last.source} could not be used: ${last.reason}`,
      "Sources tried, in order:",
      ...lines,
    ].join("\n");
  }
  return [
    "No Tencent Cloud credentials found. Sources tried, in order:",
    ...lines,
    "Give keys as options or TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY, use a credentials file, configure a role ARN for OIDC, or run on a CVM instance with a CAM role.",
  ].join("\n");
}
