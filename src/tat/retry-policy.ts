// Which failures are worth another attempt, and how long to wait first. A pure table so that the
// policy can be read (and tested) in one place.
//
// Two questions decide: could the service have acted on the request (only matters for actions
// that change something — RunCommand has no idempotency token, a blind retry can run a script
// twice), and can trying again change the answer (a bad parameter or a missing permission cannot).
import { TatApiError, TatNetworkError } from "../errors.js";

/** retry: back off and try again · resign: sign again with a fresh timestamp, at once · fail: give up. */
export type RetryDecision = "retry" | "resign" | "fail";

export interface RetryClass {
  decision: RetryDecision;
  /** The service asked us to slow down: wait at least a full rate-limit window. */
  throttled: boolean;
}

interface Rule {
  /** An exact code, or a pattern (e.g. a code and all its sub-codes). */
  match: string | RegExp;
  decision: RetryDecision;
  /** True when the service certainly did nothing, so retrying is safe even for writes. */
  rejectedBeforeWork: boolean;
  throttled?: boolean;
}

// First match wins; a code no rule names fails, so an unknown code is never retried blindly.
const API_RULES: readonly Rule[] = [
  {
    match: /^RequestLimitExceeded(\..+)?$/,
    decision: "retry",
    rejectedBeforeWork: true,
    throttled: true,
  },
  // The request may have been stale because it queued behind the limiter or a slow credential
  // refresh; signing again with the current time fixes that (but not a wrong clock).
  { match: "AuthFailure.SignatureExpire", decision: "resign", rejectedBeforeWork: true },
  { match: /^InternalError(\..+)?$/, decision: "retry", rejectedBeforeWork: false },
  { match: /^ServiceUnavailable(\..+)?$/, decision: "retry", rejectedBeforeWork: false },
];

const NETWORK_RULES: readonly Rule[] = [
  // Never connected: nothing reached the service.
  { match: "ECONNREFUSED", decision: "retry", rejectedBeforeWork: true },
  { match: "HTTP_429", decision: "retry", rejectedBeforeWork: true, throttled: true },
  { match: "ECONNRESET", decision: "retry", rejectedBeforeWork: false },
  { match: "EPIPE", decision: "retry", rejectedBeforeWork: false },
  { match: "ECONNABORTED", decision: "retry", rejectedBeforeWork: false },
  { match: "ETIMEDOUT", decision: "retry", rejectedBeforeWork: false },
  { match: "EAI_AGAIN", decision: "retry", rejectedBeforeWork: false },
  { match: /^HTTP_5\d\d$/, decision: "retry", rejectedBeforeWork: false },
  // A proxy or load balancer answered with something that is not an API response.
  { match: "BAD_RESPONSE", decision: "retry", rejectedBeforeWork: false },
];

const FAIL: RetryClass = { decision: "fail", throttled: false };

/** Read-only actions: repeating them can do no harm. */
export function isIdempotentAction(action: string): boolean {
  return /^Describe[A-Z]/.test(action);
}

function matches(rule: Rule, code: string): boolean {
  return typeof rule.match === "string" ? code === rule.match : rule.match.test(code);
}

export function classifyCode(
  kind: "api" | "network",
  code: string,
  idempotent: boolean,
): RetryClass {
  const rules = kind === "api" ? API_RULES : NETWORK_RULES;
  const rule = rules.find((r) => matches(r, code));
  if (!rule) return FAIL;
  if (!idempotent && !rule.rejectedBeforeWork) return FAIL;
  return { decision: rule.decision, throttled: rule.throttled ?? false };
}

/** Anything that is not a TAT API or network error (credentials, usage, abort, bugs) fails. */
export function classifyError(error: unknown, idempotent: boolean): RetryClass {
  if (error instanceof TatApiError) return classifyCode("api", error.code, idempotent);
  if (error instanceof TatNetworkError) return classifyCode("network", error.code, idempotent);
  return FAIL;
}

/**
 * Network failures that no amount of waiting fixes: the name does not resolve, the port is one
 * fetch refuses to use, TLS is spoken to a plain port (or the reverse), a redirect we will not
 * follow, an answer too big to read, a 4xx page that is not an API answer.
 */
const PERMANENT_NETWORK: readonly RegExp[] = [
  /^ENOTFOUND$/,
  /^BAD_PORT$/,
  /^NOT_HTTP$/,
  /^(ERR_SSL_|ERR_TLS_|EPROTO$|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/,
  /^REDIRECT$/,
  /^BODY_TOO_LARGE$/,
  /^HTTP_4(?!29)\d\d$/,
];

/**
 * Whether the poller should stop at once instead of looking again until its deadline. The client
 * has already retried what a retry can fix (bounded: a few seconds), so what reaches the poller
 * and is here is final: a refusal (unknown codes included), a clock so far off that a fresh
 * signature expired too, or a network failure of the permanent kind (a refused connection counts
 * only on a host that is not this machine: a local emulator may still be starting).
 */
export function waitingCannotFix(error: unknown): boolean {
  if (error instanceof TatApiError) {
    if (error.code === "AuthFailure.SignatureExpire") return true;
    return classifyCode("api", error.code, true).decision === "fail";
  }
  if (error instanceof TatNetworkError) {
    return error.permanent || PERMANENT_NETWORK.some((p) => p.test(error.code));
  }
  return false;
}

export interface BackoffOptions {
  /** Delay before the first retry, before jitter. Default 300 ms. */
  baseMs?: number;
  /** Ceiling of any single delay. Default 10 s. */
  maxMs?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = { baseMs: 300, maxMs: 10_000 };
/** A throttled request waits at least one rate-limit window (TAT counts per second). */
const THROTTLE_FLOOR_MS = 2_000;

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so concurrent
 * callers spread out but none retries almost at once. `retry` is 1 for the first retry.
 */
export function backoffDelay(
  retry: number,
  throttled: boolean,
  random: () => number,
  options: BackoffOptions = {},
): number {
  const { baseMs, maxMs } = { ...DEFAULT_BACKOFF, ...options };
  let step = Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
  if (throttled) step = Math.max(step, Math.min(THROTTLE_FLOOR_MS, maxMs));
  return Math.round(step / 2 + random() * (step / 2));
}
