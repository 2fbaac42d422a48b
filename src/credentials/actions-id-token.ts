// The GitHub Actions ID-token request (reporting.md §4.6): the runner hands out an OIDC JWT to jobs
// that have `permissions: id-token: write`, through a URL and bearer token in the environment.
import { CredentialsError } from "../errors.js";
import { describeStatus, httpRequest } from "./http.js";

/**
 * The audience requested when none is configured. It must equal the client ID registered on the
 * CAM OIDC identity provider; naming the token's consumer, as other clouds' actions do
 * (`sts.amazonaws.com`), keeps the default predictable.
 */
export const DEFAULT_OIDC_AUDIENCE = "sts.tencentcloudapi.com";
const TIMEOUT_MS = 10_000;

export interface ActionsIdTokenRequest {
  /** ACTIONS_ID_TOKEN_REQUEST_URL; it already carries a query string. */
  requestUrl: string;
  /** ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  requestToken: string;
  audience: string;
  fetch: typeof globalThis.fetch;
  signal?: AbortSignal | undefined;
}

export async function fetchActionsIdToken(req: ActionsIdTokenRequest): Promise<string> {
  const sep = req.requestUrl.includes("?") ? "&" : "?";
  const url = `${req.requestUrl}${sep}audience=${encodeURIComponent(req.audience)}`;
  const what = "GitHub Actions ID-token request";
  let answer: Awaited<ReturnType<typeof httpRequest>>;
  try {
    answer = await httpRequest({
      fetch: req.fetch,
      url,
      init: {
        headers: { authorization: `Bearer ${req.requestToken}`, accept: "application/json" },
      },
      timeoutMs: TIMEOUT_MS,
      signal: req.signal,
    });
  } catch (err) {
    throw new CredentialsError(`${what}: ${(err as Error).message}`);
  }
  if (answer.status !== 200) {
    const hint =
      answer.status === 401 || answer.status === 403
        ? " (the runner's request token was refused; is this job allowed `id-token: write`?)"
        : "";
    throw new CredentialsError(`${what}: ${describeStatus(answer.status)}${hint}`);
  }
  let value: unknown;
  try {
    value = (JSON.parse(answer.body) as { value?: unknown }).value;
  } catch {
    throw new CredentialsError(`${what}: the answer is not JSON`);
  }
  if (typeof value !== "string" || value === "") {
    throw new CredentialsError(`${what}: the answer has no "value"`);
  }
  return value;
}
