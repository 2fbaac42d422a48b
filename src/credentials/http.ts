// One HTTP exchange with a deadline that covers the body too, and failures described in words a
// user can act on. Callers never see raw fetch errors, which can carry request URLs or headers.
import { readBody } from "../net/read-body.js";

export interface HttpAnswer {
  status: number;
  body: string;
}

/** A request that got no usable HTTP answer (refused, timed out, aborted, a body too large or not
 * UTF-8). The message is safe to show. */
export class HttpFailure extends Error {
  override readonly name = "HttpFailure";
  constructor(
    message: string,
    /** e.g. `ECONNREFUSED`, `ENOTFOUND`, `TIMEOUT`, `ABORTED`, `BODY_TOO_LARGE`, `NOT_UTF8`. */
    readonly code: string,
    /** An HTTP answer came, and was refused for its body. */
    readonly answered = false,
  ) {
    super(message);
  }
}

export interface HttpRequest {
  fetch: typeof globalThis.fetch;
  url: string;
  init?: RequestInit;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

/** The most a credential answer may hold: each is a small JSON document or a role name (about 2
 * KB); a service that streams more is not the one we asked, and is not read to the end. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

export async function httpRequest(req: HttpRequest): Promise<HttpAnswer> {
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  let status: number;
  let body: Awaited<ReturnType<typeof readBody>>;
  try {
    // fetch follows redirects by default and replays a 307/308's body to the new host: STS would
    // hand the OIDC token in its body to wherever an answer points. A redirect is an answer here
    // (its status is reported), never a request to another host.
    const res = await req.fetch(req.url, { ...req.init, signal, redirect: "manual" });
    status = res.status;
    body = await readBody(res, MAX_ANSWER_BYTES);
  } catch (err) {
    if (req.signal?.aborted) throw new HttpFailure("the request was cancelled", "ABORTED");
    if (timeout.aborted) {
      throw new HttpFailure(`no answer within ${req.timeoutMs} ms`, "TIMEOUT");
    }
    const code = networkCode(err);
    throw new HttpFailure(
      code ? `connection failed (${code})` : "connection failed",
      code ?? "NETWORK",
    );
  }
  if ("text" in body) return { status, body: body.text };
  // Callers read the body of a success only; any other status is reported as that status.
  if (status < 200 || status > 299) return { status, body: "" };
  if ("tooLarge" in body) {
    throw new HttpFailure(
      `HTTP ${status}, but the answer is larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB (not read to the end)`,
      "BODY_TOO_LARGE",
      true,
    );
  }
  throw new HttpFailure(`HTTP ${status}, but the answer is not UTF-8 text`, "NOT_UTF8", true);
}

/** `HTTP 307`, saying so when the status is a redirect (a user may have expected it followed). */
export function describeStatus(status: number): string {
  return status >= 300 && status < 400
    ? `HTTP ${status} (a redirect; redirects are not followed: credentials go to the configured endpoint only)`
    : `HTTP ${status}`;
}

function networkCode(err: unknown): string | undefined {
  // undici wraps the socket error: TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } }).
  const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === "string" ? cause.code : undefined;
}
