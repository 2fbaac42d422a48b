// STS AssumeRoleWithWebIdentity (tat-api.md §6.4): exchanges an OIDC token for temporary
// credentials. The call is unsigned (`Authorization: SKIP`) because the token is the proof.
import { CredentialsError, UsageError } from "../errors.js";
import { hideUserinfo } from "../net/hide-userinfo.js";
import { describeStatus, httpRequest } from "./http.js";
import type { Credentials } from "./types.js";

export const DEFAULT_STS_ENDPOINT = "https://sts.tencentcloudapi.com";
/** The region the official SDKs send to STS. */
export const DEFAULT_STS_REGION = "ap-guangzhou";
export const STS_VERSION = "2018-08-13";
const ACTION = "AssumeRoleWithWebIdentity";
const TIMEOUT_MS = 10_000;

export interface WebIdentityExchange {
  providerId: string;
  webIdentityToken: string;
  roleArn: string;
  roleSessionName: string;
  durationSeconds?: number | undefined;
  endpoint: string;
  region: string;
  fetch: typeof globalThis.fetch;
  now: () => number;
  signal?: AbortSignal | undefined;
}

/** Hints for the codes a misconfigured trust setup produces (codes as the Go SDK lists them). */
const HINTS: Record<string, string> = {
  "InvalidParameter.WebIdentityTokenError":
    "check that the CAM identity provider's client ID matches the requested audience and that its issuer accepts this token",
  "InternalError.GetRoleError": "check the role ARN",
  UnauthorizedOperation:
    "check that the role's trust policy allows this identity provider and token",
  "InvalidParameter.ParamError": "check the role ARN, provider id, session name and duration",
};

/**
 * The URL to POST to for an `--sts-endpoint` / `sts-endpoint` setting: a full URL, or a bare host
 * (documented: `sts.intl.tencentcloudapi.com`), which means https. fetch cannot use a bare host and
 * an endpoint is named in every STS error, so a user name or password in it is refused up front,
 * never shown.
 */
export function resolveStsEndpoint(endpoint: string): string {
  const text = endpoint.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL | undefined;
  try {
    url = new URL(withScheme);
  } catch {
    url = undefined;
  }
  if (url?.username || url?.password) {
    throw new UsageError("The STS endpoint must not contain a user name or password.");
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || !url.hostname) {
    throw new UsageError(
      `The STS endpoint "${hideUserinfo(text)}" is not an http(s) URL or host name (e.g. "sts.intl.tencentcloudapi.com").`,
    );
  }
  // As written (messages show it as the user gave it), with the scheme a bare host implies.
  return withScheme;
}

export async function assumeRoleWithWebIdentity(req: WebIdentityExchange): Promise<Credentials> {
  const body = JSON.stringify({
    ProviderId: req.providerId,
    WebIdentityToken: req.webIdentityToken,
    RoleArn: req.roleArn,
    RoleSessionName: req.roleSessionName,
    ...(req.durationSeconds === undefined ? {} : { DurationSeconds: req.durationSeconds }),
  });
  const what = `STS ${ACTION} at ${req.endpoint}`;
  let answer: Awaited<ReturnType<typeof httpRequest>>;
  try {
    answer = await httpRequest({
      fetch: req.fetch,
      url: req.endpoint,
      init: {
        method: "POST",
        headers: {
          authorization: "SKIP",
          "content-type": "application/json",
          "x-tc-action": ACTION,
          "x-tc-version": STS_VERSION,
          "x-tc-timestamp": String(Math.floor(req.now() / 1000)),
          "x-tc-region": req.region,
        },
        body,
      },
      timeoutMs: TIMEOUT_MS,
      signal: req.signal,
    });
  } catch (err) {
    throw new CredentialsError(`${what}: ${(err as Error).message}`);
  }
  if (answer.status !== 200)
    throw new CredentialsError(`${what}: ${describeStatus(answer.status)}`);
  let response: Record<string, unknown> | undefined;
  try {
    response = (JSON.parse(answer.body) as { Response?: Record<string, unknown> }).Response;
  } catch {
    // handled below
  }
  if (!response) throw new CredentialsError(`${what}: the answer is not an API response`);
  const requestId =
    typeof response.RequestId === "string" ? ` (RequestId ${response.RequestId})` : "";
  const error = response.Error as { Code?: unknown; Message?: unknown } | undefined;
  if (error) {
    const code = String(error.Code);
    // The service may quote the request back; never let the token reach a log.
    const message = redact(String(error.Message ?? ""), req.webIdentityToken);
    const hint = HINTS[code] ? `; ${HINTS[code]}` : "";
    throw new CredentialsError(`${what} refused: ${code}: ${message}${requestId}${hint}`);
  }
  const creds = response.Credentials as Record<string, unknown> | undefined;
  const expiredTime = response.ExpiredTime;
  if (
    typeof creds?.TmpSecretId !== "string" ||
    typeof creds.TmpSecretKey !== "string" ||
    typeof creds.Token !== "string" ||
    typeof expiredTime !== "number"
  ) {
    throw new CredentialsError(`${what}: the answer lacks Credentials or ExpiredTime${requestId}`);
  }
  return {
    secretId: creds.TmpSecretId,
    secretKey: creds.TmpSecretKey,
    token: creds.Token,
    expiresAt: expiredTime * 1000,
  };
}

export function redact(text: string, secret: string): string {
  return secret ? text.split(secret).join("***") : text;
}
