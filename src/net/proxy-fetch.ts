// The fetch every outbound request uses (TAT, STS, the Actions OIDC token, GitHub): through the
// forward proxy the environment names, the way curl and most CI tools read it. Corporate and
// self-hosted runners often reach the internet only that way. undici's EnvHttpProxyAgent does the
// proxying (CONNECT tunnels, NO_PROXY matching) as the dispatcher of the platform's own fetch;
// this module only decides which settings apply and keeps the instance metadata service direct,
// since it is a link-local address a proxy cannot reach.
import type { Dispatcher } from "undici";
import { UsageError } from "../errors.js";

export interface ProxySettings {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
}

type Env = Record<string, string | undefined>;

/** Lower-case first, as curl and undici read them; an empty value counts as unset. */
function pick(env: Env, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return value?.trim() ? value.trim() : undefined;
}

/** The proxy settings in `env`, or undefined when no proxy applies at all. */
export function proxySettings(env: Env): ProxySettings | undefined {
  const httpProxy = pick(env, "http_proxy");
  const httpsProxy = pick(env, "https_proxy");
  const noProxy = pick(env, "no_proxy");
  if (!httpProxy && !httpsProxy) return undefined;
  if (noProxy === "*") return undefined;
  return {
    ...(httpProxy && { httpProxy }),
    ...(httpsProxy && { httpsProxy }),
    ...(noProxy && { noProxy }),
  };
}

/** Passwords in proxy URLs (`http://user:pass@proxy:3128`): secrets to mask like any other. */
export function proxySecrets(env: Env): string[] {
  const settings = proxySettings(env);
  const secrets: string[] = [];
  for (const url of [settings?.httpProxy, settings?.httpsProxy]) {
    if (!url) continue;
    try {
      const raw = new URL(url).password;
      if (raw) secrets.push(raw);
      const password = decodeURIComponent(raw);
      if (password && password !== raw) secrets.push(password);
    } catch {
      // An unparsable proxy URL is refused by networkFetch before any request is made.
    }
  }
  return secrets;
}

/** `host:port` of a base URL, as a NO_PROXY entry that matches exactly that service. */
function noProxyEntry(base: string): string | undefined {
  try {
    const url = new URL(base);
    const port = url.port || (url.protocol === "https:" ? "443" : "80");
    return `${url.hostname}:${port}`;
  } catch {
    return undefined;
  }
}

/**
 * NO_PROXY as undici can match it. curl and most tools take a bare IPv6 address (`::1`, common in
 * `localhost,127.0.0.1,::1`); undici reads `::1` as host `:` port 1 and matches nothing, so an
 * endpoint at `[::1]` went through the proxy, signed headers and session token included. Such an
 * entry is written the way undici compares hosts: bracketed and in its canonical form.
 */
function undiciNoProxy(value: string): string {
  return value
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((entry) => {
      if (entry.startsWith("[") || (entry.match(/:/g)?.length ?? 0) < 2) return entry;
      try {
        return new URL(`http://[${entry}]/`).hostname;
      } catch {
        return entry;
      }
    })
    .join(",");
}

/** A proxy setting undici cannot use is the user's to fix (exit 2), not an internal error: curl
 * accepts `proxy:3128` without a scheme, undici throws on it at the first request. The message
 * never shows the part before `@` (a password may be there). */
function checkProxyUrl(name: string, value: string): void {
  let ok = false;
  try {
    const url = new URL(value);
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
    ok = (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    ok = false;
  }
  if (ok) return;
  const at = value.lastIndexOf("@");
  const shown = at >= 0 ? `***@${value.slice(at + 1)}` : value;
  throw new UsageError(
    `${name} (or ${name.toLowerCase()}) is not the URL of an http: or https: proxy: "${shown}"; write it as http://HOST:PORT (user name and password percent-encoded)`,
  );
}

export interface NetworkFetchOptions {
  /** Base URLs that are always reached directly (the instance metadata service). */
  direct?: string[];
}

/**
 * `globalThis.fetch` when the environment names no proxy (nothing changes for most users);
 * otherwise a fetch whose requests go through it, except for NO_PROXY hosts and `direct` URLs.
 */
export function networkFetch(env: Env, options: NetworkFetchOptions = {}): typeof globalThis.fetch {
  const settings = proxySettings(env);
  if (!settings) return globalThis.fetch;
  if (settings.httpProxy) checkProxyUrl("HTTP_PROXY", settings.httpProxy);
  if (settings.httpsProxy) checkProxyUrl("HTTPS_PROXY", settings.httpsProxy);
  const direct = (options.direct ?? []).map(noProxyEntry).filter((e): e is string => !!e);
  const noProxy = [settings.noProxy && undiciNoProxy(settings.noProxy), ...direct]
    .filter(Boolean)
    .join(",");
  // undici is loaded on the first request through a proxy, not at start: most runs name no proxy,
  // and loading it costs every run about 10 MB of memory (a second HTTP stack beside the one
  // inside Node's fetch).
  let dispatcher: Promise<Dispatcher> | undefined;
  return async (input, init) => {
    dispatcher ??= import("undici").then(
      ({ EnvHttpProxyAgent }) =>
        // Every setting is passed explicitly (an empty string included), so the agent never falls
        // back to process.env: the environment it was given is the one that applies.
        new EnvHttpProxyAgent({
          httpProxy: settings.httpProxy ?? "",
          httpsProxy: settings.httpsProxy ?? "",
          noProxy,
        }),
    );
    return globalThis.fetch(input, {
      ...init,
      dispatcher: await dispatcher,
    } as unknown as RequestInit);
  };
}
