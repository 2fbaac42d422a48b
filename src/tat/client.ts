// The signed TAT API client: one place that turns an action and its parameters into a verified
// answer, with rate limiting, bounded retries and timeouts. It knows nothing about specs or
// polling; paginate.ts walks result sets on top of it.
//
// Every attempt: fetch credentials from the provider (it caches and refreshes them) → wait for a
// rate-limit slot → sign with the current time → POST with a per-request timeout → parse.
import pRetry, { AbortError } from "p-retry";
import type { CredentialProvider } from "../credentials/types.js";
import { MalformedResponseError, TatApiError, TatNetworkError } from "../errors.js";
import type { ApiErrorRecord } from "../model.js";
import { readBody } from "../net/read-body.js";
import { VERSION } from "../version.js";
import { type ResolvedEndpoint, resolveEndpoint } from "./endpoint.js";
import { timeoutError, toNetworkError } from "./network-error.js";
import { defaultRateLimiter, type RateLimiter, rateLimitKey } from "./rate-limiter.js";
import { buildRequest } from "./request-builder.js";
import { parseResponse } from "./response-parser.js";
import {
  type BackoffOptions,
  backoffDelay,
  classifyError,
  isIdempotentAction,
  type RetryClass,
} from "./retry-policy.js";
import type {
  CancelInvocationRequest,
  CancelInvocationResponse,
  InvokeCommandRequest,
  InvokeCommandResponse,
  RunCommandRequest,
  RunCommandResponse,
} from "./run-command-types.js";
import { realSleep, type Sleep } from "./sleep.js";
import { speaksTls } from "./tls-probe.js";
import type {
  DescribeCommandsRequest,
  DescribeCommandsResponse,
  DescribeInvocationsRequest,
  DescribeInvocationsResponse,
  DescribeInvocationTasksRequest,
  DescribeInvocationTasksResponse,
} from "./types.js";

/** Per request, from sending to the last byte of the answer. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
/** Retries after the first attempt (so at most 5 requests per call). */
export const DEFAULT_RETRIES = 4;
/**
 * The most an answer may be, counted as the body is read after fetch has undone any gzip/deflate/br
 * (so a compressed bomb stops being decoded here) and checked against Content-Length before
 * reading. The largest real answer (100 tasks × 24 KiB of output as base64) is about 3.3 MiB.
 */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

export interface TatClientOptions {
  /**
   * "https://tat.tencentcloudapi.com" by default; also accepts a bare host
   * ("tat.intl.tencentcloudapi.com", "tat.ap-guangzhou.tencentcloudapi.com") or any http(s) URL
   * without a path (the emulator: "http://127.0.0.1:PORT").
   */
  endpoint?: string;
  /** Default region (X-TC-Region); each call may override. Omitted from the request when unset. */
  region?: string;
  credentials: CredentialProvider;
  fetch?: typeof globalThis.fetch;
  /** Epoch ms, for X-TC-Timestamp and the error records. Default `Date.now`. */
  now?: () => number;
  /** Used for retry backoff. Default: a real, abortable timer. */
  sleep?: Sleep;
  /** Per request timeout in ms. Default {@link DEFAULT_REQUEST_TIMEOUT_MS} (15 s). */
  requestTimeoutMs?: number;
  /**
   * Retries after the first attempt for retryable failures. Default {@link DEFAULT_RETRIES} (4).
   * `0` disables every retry, including the one re-sign after `AuthFailure.SignatureExpire`.
   */
  retries?: number;
  /** Default: one process-wide limiter shared by every client (20 requests/s per endpoint+action). */
  limiter?: RateLimiter;
  /** Every error met, each with `recovered: true` when a later attempt of the same call succeeded. */
  onApiError?: (record: ApiErrorRecord) => void;
  language?: "en-US" | "zh-CN";
  /** Backoff between retries. Default 300 ms doubling up to 10 s, ±50 % jitter. */
  backoff?: BackoffOptions;
  /** Source of jitter in [0, 1). Default `Math.random`. */
  random?: () => number;
}

export interface CallOptions {
  region?: string;
  signal?: AbortSignal;
  /** Every error this call met, like the client's `onApiError`; lets a caller keep its own history. */
  onApiError?: (record: ApiErrorRecord) => void;
}

interface Failure {
  error: unknown;
  class: RetryClass;
}

export class TatClient {
  readonly endpoint: ResolvedEndpoint;
  readonly region: string | undefined;
  readonly #credentials: CredentialProvider;
  readonly #fetch: typeof globalThis.fetch;
  readonly #now: () => number;
  readonly #sleep: Sleep;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #limiter: RateLimiter;
  readonly #onApiError: ((record: ApiErrorRecord) => void) | undefined;
  readonly #language: string | undefined;
  readonly #backoff: BackoffOptions;
  readonly #random: () => number;

  constructor(options: TatClientOptions) {
    this.endpoint = resolveEndpoint(options.endpoint);
    this.region = options.region;
    this.#credentials = options.credentials;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? realSleep;
    this.#timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#retries = options.retries ?? DEFAULT_RETRIES;
    this.#limiter = options.limiter ?? defaultRateLimiter;
    this.#onApiError = options.onApiError;
    this.#language = options.language;
    this.#backoff = options.backoff ?? {};
    this.#random = options.random ?? Math.random;
    if (!(this.#timeoutMs > 0) || !Number.isFinite(this.#timeoutMs)) {
      throw new TypeError(`requestTimeoutMs must be a positive number, got ${this.#timeoutMs}.`);
    }
    if (!Number.isInteger(this.#retries) || this.#retries < 0) {
      throw new TypeError(`retries must be a non-negative integer, got ${this.#retries}.`);
    }
  }

  /**
   * Calls any TAT action and resolves to the unwrapped `Response` object: the action's fields plus
   * `RequestId` (the `{"Response": …}` envelope is removed). Rejects with TatApiError (the service
   * said no), TatNetworkError (it could not be asked), whatever the credential provider threw, or
   * — on abort — the signal's reason, promptly and without retrying.
   */
  async request<T>(action: string, params: object, options: CallOptions = {}): Promise<T> {
    const { signal } = options;
    const region = options.region ?? this.region;
    const body = JSON.stringify(params);
    const idempotent = isIdempotentAction(action);
    const met: Omit<ApiErrorRecord, "recovered">[] = [];
    let resigned = false;
    let last: Failure | undefined;
    try {
      const result = await pRetry(
        async () => {
          last = undefined;
          try {
            signal?.throwIfAborted();
            return await this.#attempt<T>(action, body, region, signal);
          } catch (error) {
            if (signal?.aborted) throw new AbortError(asError(signal.reason));
            this.#record(met, action, error);
            const cls = classifyError(error, idempotent);
            const giveUp = cls.decision === "fail" || (cls.decision === "resign" && resigned);
            if (cls.decision === "resign") resigned = true;
            last = { error, class: cls };
            if (giveUp) throw new AbortError(asError(error));
            throw error;
          }
        },
        {
          retries: this.#retries,
          // p-retry is the loop; the waiting is ours so that tests can inject a clock.
          minTimeout: 0,
          onFailedAttempt: async ({ retriesLeft, retriesConsumed }) => {
            if (retriesLeft <= 0 || !last || last.class.decision === "resign") return;
            const delay = backoffDelay(
              retriesConsumed + 1,
              last.class.throttled,
              this.#random,
              this.#backoff,
            );
            await this.#sleep(delay, signal);
          },
          // No `signal` here: aborts are handled above and in the sleep, so that p-retry never
          // sees a non-Error abort reason.
        },
      );
      this.#emit(met, true, options.onApiError);
      return result;
    } catch (error) {
      this.#emit(met, false, options.onApiError);
      if (signal?.aborted) throw signal.reason;
      throw error;
    }
  }

  describeInvocationTasks(
    req: DescribeInvocationTasksRequest,
    o?: CallOptions,
  ): Promise<DescribeInvocationTasksResponse> {
    return this.request("DescribeInvocationTasks", req, o);
  }

  describeInvocations(
    req: DescribeInvocationsRequest,
    o?: CallOptions,
  ): Promise<DescribeInvocationsResponse> {
    return this.request("DescribeInvocations", req, o);
  }

  /** Starts a command. Never retried once the request may have reached the service (no idempotency
   * token): a lost answer surfaces as a TatNetworkError for the caller to resolve (src/launch). */
  async runCommand(req: RunCommandRequest, o?: CallOptions): Promise<RunCommandResponse> {
    return this.request("RunCommand", req, o);
  }

  /** Runs a saved command; retried only like {@link runCommand}. */
  async invokeCommand(req: InvokeCommandRequest, o?: CallOptions): Promise<InvokeCommandResponse> {
    return this.request("InvokeCommand", req, o);
  }

  async cancelInvocation(
    req: CancelInvocationRequest,
    o?: CallOptions,
  ): Promise<CancelInvocationResponse> {
    return this.request("CancelInvocation", req, o);
  }

  describeCommands(
    req: DescribeCommandsRequest,
    o?: CallOptions,
  ): Promise<DescribeCommandsResponse> {
    return this.request("DescribeCommands", req, o);
  }

  async #attempt<T>(
    action: string,
    body: string,
    region: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    const credentials = await this.#credentials.get(signal);
    await this.#limiter.acquire(rateLimitKey(this.endpoint.origin, action), signal);
    const req = buildRequest({
      endpoint: this.endpoint,
      action,
      body,
      ...(region !== undefined && { region }),
      ...(this.#language !== undefined && { language: this.#language }),
      credentials,
      timestamp: Math.floor(this.#now() / 1000),
      requestClient: `tat-assert/${VERSION}`,
    });
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let status: number;
    let text: string;
    try {
      const res = await this.#fetch(req.url, {
        method: "POST",
        headers: req.headers,
        body: req.body,
        signal: combined,
        // Signed headers and the session token go to the configured endpoint and nowhere else.
        redirect: "manual",
      });
      status = res.status;
      if (status >= 300 && status < 400) {
        await res.body?.cancel().catch(() => {});
        throw redirectError(action, this.endpoint.host, status, res.headers.get("location"));
      }
      text = await readCapped(res, action, this.endpoint.host);
    } catch (error) {
      // Ours, from reading the answer: already what the caller should see.
      if (error instanceof TatNetworkError || error instanceof TatApiError) throw error;
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) throw timeoutError(action, this.endpoint.host, this.#timeoutMs);
      const failure = toNetworkError(action, this.endpoint.host, error);
      if (failure.code === "ECONNRESET" && (await this.#tlsOnPlainEndpoint())) {
        throw new TatNetworkError(
          action,
          "NOT_HTTP",
          `cannot reach ${this.endpoint.host}: it speaks TLS, but the endpoint says http://`,
          undefined,
          { cause: error },
        );
      }
      throw failure;
    }
    return parseResponse<T>(action, status, text);
  }

  /** Asked once per client, on the first reset of an http:// endpoint. */
  #tlsProbe: Promise<boolean> | undefined;

  #tlsOnPlainEndpoint(): Promise<boolean> {
    const url = new URL(this.endpoint.url);
    if (url.protocol !== "http:") return Promise.resolve(false);
    this.#tlsProbe ??= speaksTls(url.hostname.replace(/^\[|\]$/g, ""), Number(url.port || 80));
    return this.#tlsProbe;
  }

  #record(met: Omit<ApiErrorRecord, "recovered">[], action: string, error: unknown): void {
    const at = new Date(this.#now()).toISOString();
    if (error instanceof TatApiError) {
      met.push({
        action,
        code: error.code,
        message: error.apiMessage,
        at,
        ...rid(error.requestId),
      });
    } else if (error instanceof TatNetworkError) {
      met.push({ action, code: error.code, message: error.detail, at });
    }
  }

  #emit(
    met: Omit<ApiErrorRecord, "recovered">[],
    recovered: boolean,
    perCall: ((record: ApiErrorRecord) => void) | undefined,
  ): void {
    for (const record of met) {
      this.#onApiError?.({ ...record, recovered });
      perCall?.({ ...record, recovered });
    }
  }
}

function redirectError(
  action: string,
  host: string,
  status: number,
  location: string | null,
): TatNetworkError {
  let to = "no Location";
  if (location) {
    try {
      to = new URL(location, `http://${host}`).host;
    } catch {
      to = "an unreadable Location";
    }
  }
  return new TatNetworkError(
    action,
    "REDIRECT",
    `${host} answered HTTP ${status} redirecting to ${to}; redirects are not followed (credentials go to the configured endpoint only)`,
    status,
  );
}

function tooLarge(action: string, host: string, status: number): TatNetworkError {
  return new TatNetworkError(
    action,
    "BODY_TOO_LARGE",
    `${host} sent an answer larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB (decoded); it was not read to the end`,
    status,
  );
}

/** The body as text, refusing more than MAX_RESPONSE_BYTES without holding more than that, and a
 * body that is not UTF-8: a success answer with such bytes is malformed (the one parser never sees
 * it); any other status is reported as that status, as a proxy's page always is. */
async function readCapped(res: Response, action: string, host: string): Promise<string> {
  const body = await readBody(res, MAX_RESPONSE_BYTES);
  if ("text" in body) return body.text;
  if ("tooLarge" in body) throw tooLarge(action, host, res.status);
  if (res.status >= 200 && res.status <= 299) {
    throw new MalformedResponseError(
      action,
      "Response",
      "bytes that are not UTF-8",
      "must be UTF-8 JSON",
      undefined,
    );
  }
  throw new TatNetworkError(
    action,
    `HTTP_${res.status}`,
    `HTTP ${res.status} without an API response (a body that is not UTF-8 text)`,
    res.status,
  );
}

const rid = (requestId: string | undefined) => (requestId === undefined ? {} : { requestId });

/** p-retry's AbortError wants an Error; an abort reason or a provider's throw may be anything. */
function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
