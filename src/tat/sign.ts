// TC3-HMAC-SHA256 (Tencent Cloud API 3.0), as a pure function of its inputs so that it can be
// checked against Tencent's worked examples byte for byte. The emulator verifies with the same
// code, so a signing bug fails the emulator tests rather than hiding behind a matching mistake.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export const ALGORITHM = "TC3-HMAC-SHA256";

export interface SignInput {
  method: string;
  /** Canonical URI; always "/" for the API. */
  path?: string;
  /** Canonical query string; "" for POST. */
  query?: string;
  /** Every header named in `signedHeaders`, any case. */
  headers: Record<string, string>;
  /** Lower-case header names to sign; default `content-type` and `host`. */
  signedHeaders?: readonly string[];
  /** The exact body bytes that will be sent. */
  payload: string | Uint8Array;
  service: string;
  /** UNIX seconds; also the value of X-TC-Timestamp. */
  timestamp: number;
  secretId: string;
  secretKey: string;
}

export interface Signature {
  canonicalRequest: string;
  hashedCanonicalRequest: string;
  credentialScope: string;
  stringToSign: string;
  signature: string;
  authorization: string;
}

const sha256Hex = (data: string | Uint8Array): string =>
  createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string): Buffer =>
  createHmac("sha256", key).update(data, "utf8").digest();

/** UTC date of a UNIX timestamp: the date in the credential scope (never local time). */
export function scopeDate(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

export function sign(input: SignInput): Signature {
  const signed = [...(input.signedHeaders ?? ["content-type", "host"])]
    .map((h) => h.toLowerCase())
    .sort();
  const lowerHeaders = new Map<string, string>();
  for (const [k, v] of Object.entries(input.headers)) lowerHeaders.set(k.trim().toLowerCase(), v);
  const canonicalHeaders = signed
    .map((name) => `${name}:${(lowerHeaders.get(name) ?? "").trim().toLowerCase()}\n`)
    .join("");
  const signedHeaders = signed.join(";");
  const canonicalRequest = [
    input.method.toUpperCase(),
    input.path ?? "/",
    input.query ?? "",
    canonicalHeaders,
    signedHeaders,
    sha256Hex(input.payload),
  ].join("\n");
  const date = scopeDate(input.timestamp);
  const credentialScope = `${date}/${input.service}/tc3_request`;
  const hashedCanonicalRequest = sha256Hex(canonicalRequest);
  const stringToSign = [
    ALGORITHM,
    String(input.timestamp),
    credentialScope,
    hashedCanonicalRequest,
  ].join("\n");
  const secretDate = hmac(`TC3${input.secretKey}`, date);
  const secretService = hmac(secretDate, input.service);
  const secretSigning = hmac(secretService, "tc3_request");
  const signature = createHmac("sha256", secretSigning).update(stringToSign, "utf8").digest("hex");
  const authorization = `${ALGORITHM} Credential=${input.secretId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return {
    canonicalRequest,
    hashedCanonicalRequest,
    credentialScope,
    stringToSign,
    signature,
    authorization,
  };
}

export interface ParsedAuthorization {
  secretId: string;
  date: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** Parses an Authorization header; `undefined` when it is not a well-formed TC3 header. */
export function parseAuthorization(header: string): ParsedAuthorization | undefined {
  const m =
    /^TC3-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{4}-\d{2}-\d{2})\/([^/,\s]+)\/tc3_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
      header.trim(),
    );
  if (!m) return undefined;
  const [, secretId, date, service, signedHeaders, signature] = m as unknown as string[];
  return {
    secretId: secretId as string,
    date: date as string,
    service: service as string,
    signedHeaders: (signedHeaders as string).split(";"),
    signature: signature as string,
  };
}

/** Constant-time comparison of two hex signatures. */
export function signaturesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}
