// One signed TAT request as plain data: URL, headers and the exact body bytes that were signed.
// Pure, so the header set can be checked without a server.
import type { Credentials } from "../credentials/types.js";
import type { ResolvedEndpoint } from "./endpoint.js";
import { sign } from "./sign.js";
import { TAT_SERVICE, TAT_VERSION } from "./types.js";

export interface BuildRequestInput {
  endpoint: ResolvedEndpoint;
  action: string;
  /** The JSON body, already serialised: it is signed and sent byte for byte. */
  body: string;
  region?: string;
  language?: string;
  credentials: Credentials;
  /** UNIX seconds. */
  timestamp: number;
  /** Value of X-TC-RequestClient, e.g. "tat-assert/0.1.0". */
  requestClient: string;
}

export interface BuiltRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export const CONTENT_TYPE = "application/json";

export function buildRequest(input: BuildRequestInput): BuiltRequest {
  const { endpoint, credentials } = input;
  // Host is signed but not set by us: fetch derives it from the URL, and `endpoint.host` is exactly
  // what it sends (port only when not the default), so the signature covers the real header.
  const signed = sign({
    method: "POST",
    headers: { "content-type": CONTENT_TYPE, host: endpoint.host },
    signedHeaders: ["content-type", "host"],
    payload: input.body,
    service: TAT_SERVICE,
    timestamp: input.timestamp,
    secretId: credentials.secretId,
    secretKey: credentials.secretKey,
  });
  const headers: Record<string, string> = {
    Authorization: signed.authorization,
    "Content-Type": CONTENT_TYPE,
    "X-TC-Action": input.action,
    "X-TC-Version": TAT_VERSION,
    "X-TC-Timestamp": String(input.timestamp),
    "X-TC-RequestClient": input.requestClient,
  };
  if (input.region) headers["X-TC-Region"] = input.region;
  if (credentials.token) headers["X-TC-Token"] = credentials.token;
  if (input.language) headers["X-TC-Language"] = input.language;
  return { url: endpoint.url, headers, body: input.body };
}
