// Where requests go. TAT answers on one global host plus regional and international variants; tests
// and the emulator use plain http on loopback. Only the origin matters: the API path is always "/".
import { UsageError } from "../errors.js";
import { hideUserinfo } from "../net/hide-userinfo.js";

export const DEFAULT_ENDPOINT = "https://tat.tencentcloudapi.com";

export interface ResolvedEndpoint {
  /** Where to POST, always ending in "/". */
  url: string;
  /** The Host header fetch will send (port included only when it is not the scheme's default). */
  host: string;
  /** scheme://host[:port], used to key the rate limiter. */
  origin: string;
}

/**
 * Accepts a full URL ("https://tat.intl.tencentcloudapi.com", "http://127.0.0.1:8080") or a bare
 * host ("tat.ap-guangzhou.tencentcloudapi.com", optionally with ":port"), which means https.
 */
export function resolveEndpoint(endpoint: string = DEFAULT_ENDPOINT): ResolvedEndpoint {
  const text = endpoint.trim();
  if (text === "") throw new UsageError("The TAT endpoint is empty.");
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(
      `The TAT endpoint "${hideUserinfo(text)}" is not a URL or host name (e.g. "tat.intl.tencentcloudapi.com" or "http://127.0.0.1:8080").`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new UsageError(
      `The TAT endpoint "${hideUserinfo(text)}" must use http or https, not ${url.protocol}`,
    );
  }
  if (url.username || url.password) {
    // Credentials in a URL end up in logs; TAT authenticates with signatures anyway.
    throw new UsageError("The TAT endpoint must not contain a user name or password.");
  }
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) {
    throw new UsageError(
      `The TAT endpoint "${text}" must not have a path or query: the API is served at "/".`,
    );
  }
  return { url: `${url.origin}/`, host: url.host, origin: url.origin };
}
