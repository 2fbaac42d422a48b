// Where the OIDC token for STS comes from: a file named by the option, the GitHub Actions ID-token
// endpoint, or a file named by a variable (TKE mounts one into pods) — in that order.
import { CredentialsError } from "../errors.js";
import { DEFAULT_OIDC_AUDIENCE, fetchActionsIdToken } from "./actions-id-token.js";
import { firstSet, nonEmpty } from "./non-empty.js";
import { readOptional } from "./read-optional.js";

export const TOKEN_FILE_VARIABLES = [
  "TENCENTCLOUD_WEB_IDENTITY_TOKEN_FILE",
  "TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE", // Terraform provider
  "TKE_WEB_IDENTITY_TOKEN_FILE", // TKE pod identity
] as const;

export interface TokenSourceOptions {
  webIdentityTokenFile?: string | undefined;
  oidcAudience?: string | undefined;
}

export interface TokenSourceContext {
  env: Record<string, string | undefined>;
  fetch: typeof globalThis.fetch;
  readFile: (path: string) => Promise<string>;
}

export interface TokenSource {
  /** For the provider's source, e.g. "GitHub Actions ID token, audience sts.tencentcloudapi.com". */
  label: string;
  /** A fresh token each call: ID tokens expire, and TKE rotates its file. */
  get: () => Promise<string>;
}

/** A token source, or why there is none although a role ARN asks for one. */
export function chooseTokenSource(
  options: TokenSourceOptions,
  ctx: TokenSourceContext,
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

function tokenFile(path: string, label: string, ctx: TokenSourceContext): TokenSource {
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
