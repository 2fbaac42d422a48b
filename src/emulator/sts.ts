// A stand-in for STS AssumeRoleWithWebIdentity (tat-api.md §6.4), on 127.0.0.1. It checks the
// request the way the service documents it (unsigned with `Authorization: SKIP`, no X-TC-Token,
// X-TC-* headers, required parameters), accepts only the web identity tokens it is told to, and
// issues expiring temporary credentials. `onIssue` lets the TAT emulator accept those credentials
// (`emulator.addCredential`), so a test can follow them all the way to a signed TAT request.
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import { closeServer, listen } from "./listen.js";

export const STS_VERSION = "2018-08-13";
const ACTION = "AssumeRoleWithWebIdentity";
const MAX_DURATION_SECONDS = 43_200;
const ROLE_ARN = /^qcs::cam::uin\/\d+:role(?:Name)?\/[\w+=,.@-]+$/;
const SESSION_NAME = /^[\w+=,.@-]{2,128}$/;
/** The API rejects timestamps this far from its clock (seconds). */
const MAX_SKEW_SECONDS = 300;

export interface IssuedCredential {
  secretId: string;
  secretKey: string;
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface FakeStsOptions {
  /** The web identity token expected, or a test of it (e.g. `(t) => !!oidc.verify(t)`). */
  acceptToken: string | ((token: string) => boolean);
  /** Roles that exist. @default any well-formed `qcs::cam::uin/<uin>:roleName/<name>` */
  roleArns?: readonly string[];
  /** @default "OIDC" */
  providerId?: string;
  /** Lifetime of issued credentials; overrides the request's DurationSeconds. @default DurationSeconds, else 7200 */
  lifetimeSeconds?: number;
  /** Epoch milliseconds. @default Date.now */
  now?: () => number;
  /** Called with every credential issued, e.g. `(c) => emulator.addCredential(c)`. */
  onIssue?: (credential: IssuedCredential) => void;
}

export interface StsRequestRecord {
  action: string | undefined;
  authorization: string | undefined;
  region: string | undefined;
  /** Parameters as sent, except WebIdentityToken. */
  params: Record<string, unknown>;
}

export interface FakeSts {
  url: string;
  issued: IssuedCredential[];
  requests: StsRequestRecord[];
  /** Answers the next request with this error instead of credentials. */
  failNext(code: string, message: string): void;
  close(): Promise<void>;
}

class StsFault extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startFakeSts(options: FakeStsOptions): Promise<FakeSts> {
  const now = options.now ?? Date.now;
  const issued: IssuedCredential[] = [];
  const requests: StsRequestRecord[] = [];
  const pendingFaults: StsFault[] = [];
  const accept = options.acceptToken;
  const tokenAccepted = typeof accept === "string" ? (t: string) => t === accept : accept;

  function answer(req: IncomingMessage, body: string): Record<string, unknown> {
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v.join(", ") : v;
    };
    let params: Record<string, unknown> = {};
    try {
      params = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    } catch {
      // reported by checkParams, after the header checks the service applies first
    }
    const { WebIdentityToken: _, ...logged } = params;
    requests.push({
      action: header("x-tc-action"),
      authorization: header("authorization"),
      region: header("x-tc-region"),
      params: logged,
    });
    const fault = pendingFaults.shift();
    if (fault) throw fault;
    if (req.method !== "POST") throw new StsFault("UnsupportedProtocol", "Only POST is supported.");
    checkHeaders(header, now());
    const p = checkParams(params, options.providerId ?? "OIDC");
    if (!tokenAccepted(p.WebIdentityToken)) {
      throw new StsFault(
        "InvalidParameter.WebIdentityTokenError",
        "The WebIdentityToken is invalid or expired.",
      );
    }
    const roleKnown = options.roleArns
      ? options.roleArns.includes(p.RoleArn)
      : ROLE_ARN.test(p.RoleArn);
    if (!roleKnown) {
      throw new StsFault(
        "InternalError.GetRoleError",
        `The role \`${p.RoleArn}\` could not be found.`,
      );
    }
    const duration = p.DurationSeconds;
    const lifetime = options.lifetimeSeconds ?? duration ?? 7200;
    const expiredTime = Math.floor(now() / 1000) + lifetime;
    const credential: IssuedCredential = {
      secretId: `AKIDsts${randomBytes(12).toString("hex")}`,
      secretKey: randomBytes(24).toString("base64url"),
      token: randomBytes(48).toString("base64url"),
      expiresAt: expiredTime * 1000,
    };
    issued.push(credential);
    options.onIssue?.(credential);
    return {
      Credentials: {
        Token: credential.token,
        TmpSecretId: credential.secretId,
        TmpSecretKey: credential.secretKey,
      },
      ExpiredTime: expiredTime,
      Expiration: new Date(expiredTime * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
    };
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const requestId = randomUUID();
      let response: Record<string, unknown>;
      try {
        response = { ...answer(req, Buffer.concat(chunks).toString("utf8")), RequestId: requestId };
      } catch (err) {
        const fault =
          err instanceof StsFault
            ? err
            : new StsFault("InternalError.SystemError", "The fake STS failed.");
        response = { Error: { Code: fault.code, Message: fault.message }, RequestId: requestId };
      }
      const text = JSON.stringify({ Response: response });
      // Like the real API, errors travel in HTTP 200 bodies.
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(text),
      });
      res.end(text);
    });
  });
  const url = await listen(server);
  return {
    url,
    issued,
    requests,
    failNext(code, message) {
      pendingFaults.push(new StsFault(code, message));
    },
    close: () => closeServer(server),
  };
}

/** The X-TC-* headers of an unsigned call, in the order the service checks them. */
function checkHeaders(header: (name: string) => string | undefined, nowMs: number): void {
  const action = header("x-tc-action");
  if (!action) throw new StsFault("MissingParameter", "The X-TC-Action header is missing.");
  if (action !== ACTION) {
    throw new StsFault("InvalidAction", `The action \`${action}\` is not served here.`);
  }
  const version = header("x-tc-version");
  if (version !== STS_VERSION) {
    throw new StsFault(
      "NoSuchVersion",
      `The API version \`${version ?? ""}\` does not exist; use ${STS_VERSION}.`,
    );
  }
  if (!header("x-tc-region")) {
    throw new StsFault("MissingParameter", "The X-TC-Region header is missing.");
  }
  if (header("authorization") !== "SKIP") {
    throw new StsFault(
      "AuthFailure.InvalidAuthorization",
      "AssumeRoleWithWebIdentity is called unsigned: send `Authorization: SKIP`.",
    );
  }
  if (header("x-tc-token") !== undefined) {
    throw new StsFault(
      "AuthFailure.TokenFailure",
      "AssumeRoleWithWebIdentity takes no X-TC-Token.",
    );
  }
  const timestamp = Number(header("x-tc-timestamp"));
  if (!Number.isInteger(timestamp)) {
    throw new StsFault("MissingParameter", "The X-TC-Timestamp header is missing.");
  }
  if (Math.abs(timestamp - nowMs / 1000) > MAX_SKEW_SECONDS) {
    throw new StsFault(
      "AuthFailure.SignatureExpire",
      "The request timestamp is more than 5 minutes off.",
    );
  }
  if (!/^application\/json\b/i.test(header("content-type") ?? "")) {
    throw new StsFault("InvalidParameter.ParamError", "The body must be JSON.");
  }
}

interface WebIdentityParams {
  ProviderId: string;
  WebIdentityToken: string;
  RoleArn: string;
  RoleSessionName: string;
  DurationSeconds?: number;
}

function checkParams(params: Record<string, unknown>, providerId: string): WebIdentityParams {
  for (const name of ["ProviderId", "WebIdentityToken", "RoleArn", "RoleSessionName"]) {
    if (typeof params[name] !== "string" || params[name] === "") {
      throw new StsFault("MissingParameter", `The parameter \`${name}\` is missing.`);
    }
  }
  const p = params as unknown as WebIdentityParams;
  if (p.ProviderId !== providerId) {
    throw new StsFault(
      "InvalidParameter.ParamError",
      `Unknown identity provider \`${p.ProviderId}\`.`,
    );
  }
  if (!SESSION_NAME.test(p.RoleSessionName)) {
    throw new StsFault(
      "InvalidParameter.ParamError",
      "RoleSessionName must be 2-128 characters of [\\w+=,.@-].",
    );
  }
  const d = p.DurationSeconds as unknown;
  if (
    d !== undefined &&
    !(Number.isInteger(d) && (d as number) >= 1 && (d as number) <= MAX_DURATION_SECONDS)
  ) {
    throw new StsFault(
      "InvalidParameter.ParamError",
      `DurationSeconds must be 1 to ${MAX_DURATION_SECONDS}.`,
    );
  }
  return p;
}
