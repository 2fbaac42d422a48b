// Test helpers: raw HTTP to the emulator (node:http, so the Host header and body bytes are exactly
// what the test says) and a TC3-signed call built with src/tat/sign.ts.
import { request } from "node:http";
import type { Emulator, EmulatorCredential } from "../../src/emulator/index.js";
import { sign } from "../../src/tat/sign.js";

export interface RawResponse {
  status: number;
  contentType: string;
  text: string;
}

export function rawPost(
  url: string,
  headers: Record<string, string>,
  body: string | Buffer,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers["content-type"] ?? ""),
          text: Buffer.concat(chunks).toString("utf8"),
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

export interface CallOptions {
  credential?: EmulatorCredential;
  /** Signs with this key instead of the credential's. */
  signingKey?: string;
  /** UNIX seconds; default the current time. */
  timestamp?: number;
  /** Sent (and signed) Host header; default the emulator's host:port. */
  host?: string;
  region?: string | null;
  version?: string | null;
  token?: string;
  service?: string;
  signedHeaders?: string[];
  /** Replaces or removes (null) headers after signing. */
  after?: Record<string, string | null>;
  /** Raw body instead of JSON.stringify(params). */
  body?: string;
}

export interface ApiAnswer {
  status: number;
  /** `Response` of the envelope. */
  response: Record<string, unknown> & {
    RequestId?: string;
    Error?: { Code: string; Message: string };
  };
}

export async function call(
  emu: Emulator,
  action: string | null,
  params: unknown = {},
  opts: CallOptions = {},
): Promise<ApiAnswer> {
  const credential = opts.credential ?? (emu.credentials[0] as EmulatorCredential);
  const body = opts.body ?? JSON.stringify(params);
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    Host: opts.host ?? new URL(emu.url).host,
    "X-TC-Timestamp": String(timestamp),
  };
  if (action !== null) headers["X-TC-Action"] = action;
  if (opts.version !== null) headers["X-TC-Version"] = opts.version ?? "2020-10-28";
  if (opts.region !== null) headers["X-TC-Region"] = opts.region ?? "ap-guangzhou";
  const token = opts.token ?? credential.token;
  if (token !== undefined) headers["X-TC-Token"] = token;
  const sig = sign({
    method: "POST",
    headers,
    ...(opts.signedHeaders ? { signedHeaders: opts.signedHeaders } : {}),
    payload: body,
    service: opts.service ?? "tat",
    timestamp,
    secretId: credential.secretId,
    secretKey: opts.signingKey ?? credential.secretKey,
  });
  headers.Authorization = sig.authorization;
  for (const [k, v] of Object.entries(opts.after ?? {})) {
    if (v === null) delete headers[k];
    else headers[k] = v;
  }
  const res = await rawPost(emu.url, headers, body);
  const parsed = JSON.parse(res.text) as { Response: ApiAnswer["response"] };
  return { status: res.status, response: parsed.Response };
}

/** The error code of an answer, or "OK". */
export async function code(
  emu: Emulator,
  action: string | null,
  params: unknown = {},
  opts: CallOptions = {},
): Promise<string> {
  const { response } = await call(emu, action, params, opts);
  return response.Error?.Code ?? "OK";
}
