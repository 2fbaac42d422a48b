// fetch (undici) fails with a bare TypeError("fetch failed") and hides the system error code in a
// chain of causes; the retry policy and the report need that code.
import { TatNetworkError } from "../errors.js";

const UNDICI_CODES: Record<string, string> = {
  UND_ERR_SOCKET: "ECONNRESET",
  UND_ERR_CLOSED: "ECONNRESET",
  UND_ERR_CONNECT_TIMEOUT: "ETIMEDOUT",
  UND_ERR_HEADERS_TIMEOUT: "ETIMEDOUT",
  UND_ERR_BODY_TIMEOUT: "ETIMEDOUT",
};

const DESCRIPTIONS: Record<string, string> = {
  ECONNRESET: "the connection was reset",
  ECONNREFUSED: "the connection was refused",
  ETIMEDOUT: "the request timed out",
  EAI_AGAIN: "the host name could not be resolved (temporary DNS failure)",
  EPIPE: "the connection was closed while sending",
  ECONNABORTED: "the connection was aborted",
  BAD_PORT: "fetch refuses this port (the Fetch standard blocks it)",
  NOT_HTTP: "the answer is not HTTP (a TLS port asked over http://?)",
  ENOTFOUND: "the host name does not resolve",
  ERR_SSL_WRONG_VERSION_NUMBER: "TLS was spoken to a port that does not speak TLS",
  ERR_SSL_PACKET_LENGTH_TOO_LONG: "TLS was spoken to a port that does not speak TLS",
};

/** The first system or undici error code found along the cause chain. */
export function findErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current; depth++) {
    if (typeof current !== "object") return undefined;
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && code !== "ERR_INVALID_STATE") {
      // llhttp's parse errors: whatever answered does not speak HTTP (often TLS on that port).
      if (code.startsWith("HPE_")) return "NOT_HTTP";
      return UNDICI_CODES[code] ?? code;
    }
    // Happy-eyeballs connects fail with an AggregateError of one error per address.
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      const inner = findErrorCode(errors[0]);
      if (inner) return inner;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The message says what happened in words; the action and the code are fields that every caller
 * shows in front of it ("DescribeInvocations ECONNREFUSED: cannot reach …"), so neither is repeated.
 */
export function toNetworkError(action: string, host: string, error: unknown): TatNetworkError {
  // undici refuses blocked ports with a bare "bad port" and no code.
  const code =
    findErrorCode(error) ?? (innermostMessage(error) === "bad port" ? "BAD_PORT" : undefined);
  const what =
    (code && DESCRIPTIONS[code]) ??
    innermostMessage(error) ??
    `network error${code ? ` ${code}` : ""}`;
  const message = `cannot reach ${host}: ${what}`;
  // Nothing listens there and nothing will: a local emulator may still be starting, a remote
  // service that refuses now refuses in ten minutes too.
  const permanent = code === "ECONNREFUSED" && !isLoopback(host);
  return new TatNetworkError(action, code ?? "ENETWORK", message, undefined, {
    cause: error,
    permanent,
  });
}

/** `host` as in a URL's host: name or address, with a port when not the default. */
export function isLoopback(host: string): boolean {
  const name = host
    .replace(/:\d+$/, "")
    .replace(/^\[(.*)\]$/, "$1")
    .toLowerCase();
  return (
    name === "localhost" ||
    name.endsWith(".localhost") ||
    name === "::1" ||
    /^127(\.\d{1,3}){3}$/.test(name)
  );
}

const MAX_CAUSE_LENGTH = 120;

/**
 * The deepest cause's own words ("bad port", "connect EHOSTUNREACH 10.0.0.1:443"): fetch's outer
 * "fetch failed" says nothing. These come from Node and undici, never from a response body.
 */
function innermostMessage(error: unknown): string | undefined {
  // Duck-typed: errors from fetch may come from another realm, where instanceof Error is false.
  const isError = (v: unknown): v is { message?: unknown; cause?: unknown; errors?: unknown } =>
    typeof v === "object" && v !== null;
  let deepest: unknown = error;
  for (let depth = 0; depth < 8 && isError(deepest); depth++) {
    const errors = deepest.errors;
    const next = deepest.cause ?? (Array.isArray(errors) ? errors[0] : undefined);
    if (!isError(next)) break;
    deepest = next;
  }
  if (!isError(deepest) || typeof deepest.message !== "string") return undefined;
  const text = deepest.message.replace(/\s+/g, " ").trim();
  if (!text) return undefined;
  return text.length > MAX_CAUSE_LENGTH ? `${text.slice(0, MAX_CAUSE_LENGTH - 3)}...` : text;
}

export function timeoutError(action: string, host: string, timeoutMs: number): TatNetworkError {
  return new TatNetworkError(action, "ETIMEDOUT", `no answer from ${host} within ${timeoutMs} ms`);
}
