// Reads one task's full output object from COS with the caller's credentials. Every way this can
// go wrong is an answer (`unverifiable` with the reason), never an exception, so a check that
// needed the object reports *could not verify* naming it. Only the caller's own abort throws.
import type { CredentialProvider } from "../credentials/types.js";
import { plainLine } from "../report/sanitize.js";
import { cosErrorCode, readPrefix } from "./cos-error.js";
import { parseCosUrl } from "./cos-url.js";
import { cosAuthorization, keyTimeAt } from "./sign.js";

/** The most of one output object read into memory: 64 MiB. A larger log makes its output checks
 * *could not verify* (the reason names the limit) rather than exhausting the runner. */
export const DEFAULT_MAX_COS_BYTES = 64 * 1024 * 1024;
/** How long one object read may take, headers to last byte. */
export const DEFAULT_COS_TIMEOUT_MS = 120_000;

export interface CosFetchOptions {
  credentials: CredentialProvider;
  fetch?: typeof globalThis.fetch;
  /** Default DEFAULT_MAX_COS_BYTES. */
  maxBytes?: number;
  /** Default DEFAULT_COS_TIMEOUT_MS. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Endpoint override (emulator, private gateway): bucket URLs are fetched path-style from it. */
  cosEndpoint?: string;
  /** Wall clock for the signature's validity window; default Date.now. */
  now?: () => number;
}

export type CosFetchResult = { bytes: Uint8Array } | { unverifiable: string };

function mib(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
}

export async function fetchCosOutput(
  outputUrl: string,
  options: CosFetchOptions,
): Promise<CosFetchResult> {
  const parsed = parseCosUrl(outputUrl, options.cosEndpoint);
  if ("reason" in parsed) return { unverifiable: parsed.reason };
  const { requestUrl } = parsed.object;
  const where = plainLine(`${requestUrl.host}${requestUrl.pathname}`);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_COS_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_COS_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const failed = (err: unknown): CosFetchResult => {
    options.signal?.throwIfAborted();
    if (timeout.aborted) {
      return {
        unverifiable: `COS object ${where}: no complete answer within ${Math.round(timeoutMs / 100) / 10}s`,
      };
    }
    // Only the error's kind: a fetch error can carry the request, and with it the Authorization.
    const cause = (err as { cause?: { code?: unknown } })?.cause?.code;
    const kind = typeof cause === "string" ? cause : "connection failed or cut short";
    return { unverifiable: `COS object ${where}: read failed (${plainLine(kind)})` };
  };

  const credentials = await options.credentials.get(options.signal);
  const headers: Record<string, string> = {
    Authorization: await cosAuthorization({
      secretId: credentials.secretId,
      secretKey: credentials.secretKey,
      method: "get",
      pathname: requestUrl.pathname,
      host: requestUrl.host,
      keyTime: keyTimeAt((options.now ?? Date.now)()),
    }),
  };
  if (credentials.token) headers["x-cos-security-token"] = credentials.token;

  let res: Response;
  try {
    res = await (options.fetch ?? globalThis.fetch)(requestUrl, {
      method: "GET",
      headers,
      redirect: "manual",
      signal,
    });
  } catch (err) {
    return failed(err);
  }

  if (res.status >= 300 && res.status < 400) {
    res.body?.cancel().catch(() => {});
    const location = res.headers.get("location");
    let to = "no Location";
    if (location) {
      try {
        to = `to ${new URL(location, requestUrl).host}`;
      } catch {
        to = "to an invalid Location";
      }
    }
    return {
      unverifiable: `COS object ${where}: answered HTTP ${res.status} redirecting ${plainLine(to)}; redirects are not followed`,
    };
  }
  if (res.status !== 200) {
    const named = cosErrorCode(await readPrefix(res.body));
    const what = named
      ? `${named.code}${named.message ? ` (${named.message})` : ""}`
      : "no COS error code in the answer";
    return { unverifiable: `COS object ${where}: HTTP ${res.status} ${what}` };
  }

  const declared = Number(res.headers.get("content-length") ?? Number.NaN);
  const tooBig = (): CosFetchResult => ({
    unverifiable: `COS object ${where} is larger than the ${mib(maxBytes)} read limit`,
  });
  if (declared > maxBytes) {
    res.body?.cancel().catch(() => {});
    return tooBig();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (res.body) {
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.length;
        if (size > maxBytes) {
          reader.cancel().catch(() => {});
          return tooBig();
        }
        chunks.push(value);
      }
    } catch (err) {
      return failed(err);
    }
  }
  // With a content coding, Content-Length counts the coded bytes, not the ones read.
  const coded = (res.headers.get("content-encoding") ?? "identity") !== "identity";
  if (Number.isFinite(declared) && !coded && size !== declared) {
    return {
      unverifiable: `COS object ${where}: answer cut short (${size} of ${declared} bytes)`,
    };
  }
  return { bytes: Buffer.concat(chunks) };
}
