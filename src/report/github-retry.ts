// Bounded retries for GitHub writes: server errors back off exponentially; rate limits wait as
// long as GitHub asks (Retry-After, x-ratelimit-reset) but never longer than a cap, so a report
// cannot hold a CI job hostage.

export interface RetryPolicy {
  /** Further attempts after the first. @default 3 */
  retries?: number;
  /** First back-off for server errors, doubled each time. @default 1000 */
  baseDelayMs?: number;
  /** A rate limit asking for a longer wait gives up instead. @default 60000 */
  maxDelayMs?: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  /** No retry whose wait would end at or after this (epoch ms): the caller's time is up. */
  deadlineMs?: number;
}

interface HttpLikeError {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

function header(error: HttpLikeError, name: string): string | undefined {
  const v = error.response?.headers?.[name];
  return v === undefined ? undefined : String(v);
}

export function isRateLimited(error: unknown): boolean {
  const e = error as HttpLikeError;
  if (e?.status === 429) return true;
  if (e?.status !== 403) return false;
  return (
    header(e, "retry-after") !== undefined ||
    header(e, "x-ratelimit-remaining") === "0" ||
    /rate limit/i.test(e.message ?? "")
  );
}

/** 403 that is not a rate limit: the token may not write checks (e.g. pull requests from forks). */
export function isForbidden(error: unknown): boolean {
  return (error as HttpLikeError)?.status === 403 && !isRateLimited(error);
}

/** Milliseconds to wait before the next attempt, or undefined when retrying would not help. */
export function retryDelay(
  error: unknown,
  attempt: number,
  policy: RetryPolicy,
): number | undefined {
  const e = error as HttpLikeError;
  const max = policy.maxDelayMs ?? 60_000;
  if (isRateLimited(e)) {
    const after = Number(header(e, "retry-after"));
    const reset = Number(header(e, "x-ratelimit-reset"));
    let wait = 60_000; // GitHub: without a header, wait at least a minute
    if (Number.isFinite(after) && header(e, "retry-after") !== undefined) wait = after * 1000;
    else if (header(e, "x-ratelimit-remaining") === "0" && Number.isFinite(reset))
      wait = reset * 1000 - policy.now() + 1000;
    wait = Math.max(0, wait);
    return wait <= max ? wait : undefined;
  }
  const status = e?.status;
  // No status: the request never got an answer (network); 5xx: GitHub's side.
  if (status === undefined || status >= 500)
    return Math.min(max, (policy.baseDelayMs ?? 1000) * 2 ** attempt);
  return undefined;
}

export async function withRetry<T>(fn: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  const retries = policy.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const delay = attempt < retries ? retryDelay(error, attempt, policy) : undefined;
      if (delay === undefined) throw error;
      if (policy.deadlineMs !== undefined && policy.now() + delay >= policy.deadlineMs) throw error;
      await policy.sleep(delay);
    }
  }
}
