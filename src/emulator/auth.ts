// TC3-HMAC-SHA256 verification with the same code the client signs with (src/tat/sign.ts), over
// the headers — Host included — as received and the exact body bytes.
import type { IncomingHttpHeaders } from "node:http";
import { parseAuthorization, scopeDate, sign, signaturesEqual } from "../tat/sign.js";
import { TAT_SERVICE } from "../tat/types.js";
import { apiError } from "./responses.js";
import type { EmulatorCredential } from "./types.js";

/** Tencent rejects timestamps more than five minutes away from its clock. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

export interface AuthRequest {
  method: string;
  headers: IncomingHttpHeaders;
  body: Uint8Array;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

/** Returns the credential that signed the request, or throws the API's AuthFailure.* answer. */
export function authenticate(
  req: AuthRequest,
  findCredential: (secretId: string) => EmulatorCredential | undefined,
  wallNowMs: number,
): EmulatorCredential {
  const authorization = header(req.headers, "authorization");
  if (!authorization) {
    throw apiError("AuthFailure.InvalidAuthorization", "The Authorization header is missing.");
  }
  const parsed = parseAuthorization(authorization);
  if (!parsed) {
    throw apiError(
      "AuthFailure.InvalidAuthorization",
      "The Authorization header is not a well-formed TC3-HMAC-SHA256 authorization.",
    );
  }
  if (parsed.service !== TAT_SERVICE) {
    throw apiError(
      "AuthFailure.InvalidAuthorization",
      `The credential scope names service \`${parsed.service}\`; this endpoint is \`${TAT_SERVICE}\`.`,
    );
  }
  if (!parsed.signedHeaders.includes("content-type") || !parsed.signedHeaders.includes("host")) {
    throw apiError(
      "AuthFailure.InvalidAuthorization",
      "SignedHeaders must include content-type and host.",
    );
  }
  const rawTimestamp = header(req.headers, "x-tc-timestamp");
  if (rawTimestamp === undefined) {
    throw apiError("MissingParameter", "The request is missing the X-TC-Timestamp header.");
  }
  if (!/^\d{1,12}$/.test(rawTimestamp)) {
    throw apiError("InvalidParameter", "X-TC-Timestamp must be UNIX time in seconds.");
  }
  const timestamp = Number(rawTimestamp);
  if (Math.abs(wallNowMs / 1000 - timestamp) > MAX_CLOCK_SKEW_SECONDS) {
    throw apiError(
      "AuthFailure.SignatureExpire",
      "Signature expired: X-TC-Timestamp differs from the server time by more than 5 minutes.",
    );
  }
  if (parsed.date !== scopeDate(timestamp)) {
    throw apiError(
      "AuthFailure.SignatureFailure",
      "The credential scope date is not the UTC date of X-TC-Timestamp.",
    );
  }
  const credential = findCredential(parsed.secretId);
  if (!credential) {
    throw apiError("AuthFailure.SecretIdNotFound", "The SecretId is not found.");
  }
  const received: Record<string, string> = {};
  for (const name of parsed.signedHeaders) received[name] = header(req.headers, name) ?? "";
  const signatureFor = (headers: Record<string, string>) =>
    sign({
      method: req.method,
      headers,
      signedHeaders: parsed.signedHeaders,
      payload: req.body,
      service: parsed.service,
      timestamp,
      secretId: credential.secretId,
      secretKey: credential.secretKey,
    }).signature;
  // The official Node SDK sends `Host: name:port` but signs the name without the port. Real
  // endpoints never carry a port, so both readings are accepted; the host as received is first.
  const hostWithoutPort = (received.host ?? "").replace(/:\d+$/, "");
  const candidates = [received];
  if (hostWithoutPort !== received.host) candidates.push({ ...received, host: hostWithoutPort });
  if (!candidates.some((h) => signaturesEqual(signatureFor(h), parsed.signature))) {
    throw apiError(
      "AuthFailure.SignatureFailure",
      "The provided credentials could not be validated. Please check your signature is correct.",
    );
  }
  const token = header(req.headers, "x-tc-token") || undefined;
  if (credential.token !== undefined && token !== credential.token) {
    throw apiError("AuthFailure.TokenFailure", "The session token is missing or invalid.");
  }
  if (credential.token === undefined && token !== undefined) {
    throw apiError("AuthFailure.TokenFailure", "A session token was sent for a long-term key.");
  }
  if (credential.expiresAt !== undefined && wallNowMs >= credential.expiresAt) {
    throw apiError("AuthFailure.TokenFailure", "The temporary credential has expired.");
  }
  return credential;
}
