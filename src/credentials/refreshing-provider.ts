// Temporary credentials (OIDC, CVM role) expire while a long wait is still polling. This provider
// caches them and fetches new ones shortly before they expire, so no request is ever signed with
// credentials about to lapse.
//
// Refresh policy: renew once the credentials are within `min(5 minutes, half their lifetime)` of
// expiry. Five minutes matches the API's 5-minute clock-skew tolerance (and the Python SDK); the
// half-lifetime cap keeps short-lived credentials (a 15-minute session, a test's 60 s) from being
// refreshed on every call. Concurrent callers share one refresh. When a refresh fails while the
// cached credentials are still valid, those are returned and the next call tries again.
import type { CredentialProvider, Credentials } from "./types.js";

export const MAX_REFRESH_MARGIN_MS = 5 * 60_000;

/** How long before `expiresAt` credentials obtained at `obtainedAt` are renewed. */
export function refreshMarginMs(obtainedAt: number, expiresAt: number): number {
  return Math.min(MAX_REFRESH_MARGIN_MS, Math.max(0, (expiresAt - obtainedAt) / 2));
}

export interface RefreshingProviderOptions {
  source: string;
  /** Fetches a fresh set; its own timeouts apply, so one caller cancelling does not cancel others. */
  fetchCredentials: () => Promise<Credentials>;
  now: () => number;
  /** Credentials already fetched while the chain was probing this source. */
  initial?: Credentials;
}

export function refreshingProvider(options: RefreshingProviderOptions): CredentialProvider {
  const { fetchCredentials, now } = options;
  let current: { credentials: Credentials; refreshAt: number } | undefined;
  let inflight: Promise<Credentials> | undefined;

  const remember = (credentials: Credentials): Credentials => {
    const obtainedAt = now();
    const { expiresAt } = credentials;
    const refreshAt =
      expiresAt === undefined
        ? Number.POSITIVE_INFINITY
        : expiresAt - refreshMarginMs(obtainedAt, expiresAt);
    current = { credentials, refreshAt };
    return credentials;
  };
  if (options.initial) remember(options.initial);

  const refresh = (): Promise<Credentials> => {
    inflight ??= fetchCredentials()
      .then(remember)
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  };

  return {
    source: options.source,
    async get(signal) {
      signal?.throwIfAborted();
      if (current && now() < current.refreshAt) return current.credentials;
      const stale = current?.credentials;
      try {
        return await raceAbort(refresh(), signal);
      } catch (err) {
        if (signal?.aborted) throw err;
        if (stale?.expiresAt !== undefined && now() < stale.expiresAt) return stale;
        throw err;
      }
    },
  };
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}
