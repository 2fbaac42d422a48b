// A stand-in for the GitHub Actions ID-token endpoint (reporting.md §4.6), on 127.0.0.1. It checks
// the runner's bearer request token and the requested audience, and hands out JWT-shaped tokens it
// can later recognise, so the fake STS can accept exactly the tokens this issuer produced.
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { closeServer, listen } from "./listen.js";

export interface FakeActionsOidcOptions {
  /** The runner's ACTIONS_ID_TOKEN_REQUEST_TOKEN. @default random */
  requestToken?: string;
  /** Audiences this issuer serves; others get HTTP 400. @default any */
  audiences?: readonly string[];
  /** The `sub` claim. @default "repo:octo-org/app:ref:refs/heads/main" */
  subject?: string;
  /** @default 300 (GitHub's ID tokens are short-lived) */
  lifetimeSeconds?: number;
  /** Epoch milliseconds. @default Date.now */
  now?: () => number;
}

export interface IssuedIdToken {
  token: string;
  audience: string;
  subject: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface FakeActionsOidc {
  /** ACTIONS_ID_TOKEN_REQUEST_URL: it carries a query string, as GitHub's does. */
  url: string;
  requestToken: string;
  issuer: string;
  /** Every token handed out, oldest first. */
  issued: IssuedIdToken[];
  /** Claims of a token this issuer produced and that has not expired; otherwise undefined. */
  verify(token: string): IssuedIdToken | undefined;
  /** The two variables a job with `id-token: write` sees. */
  env(): { ACTIONS_ID_TOKEN_REQUEST_URL: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN: string };
  close(): Promise<void>;
}

/** GitHub's default audience is the repository owner's URL. */
const DEFAULT_AUDIENCE = "https://github.com/octo-org";
const PATH = "/_apis/distributedtask/idtoken";

export async function startFakeActionsOidc(
  options: FakeActionsOidcOptions = {},
): Promise<FakeActionsOidc> {
  const requestToken = options.requestToken ?? randomBytes(16).toString("hex");
  const now = options.now ?? Date.now;
  const lifetimeMs = (options.lifetimeSeconds ?? 300) * 1000;
  const subject = options.subject ?? "repo:octo-org/app:ref:refs/heads/main";
  const issued: IssuedIdToken[] = [];
  const byToken = new Map<string, IssuedIdToken>();
  let issuer = "";

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method !== "GET" || url.pathname !== PATH)
      return json(res, 404, { message: "Not Found" });
    const auth = /^bearer (.+)$/i.exec(req.headers.authorization ?? "");
    if (auth?.[1] !== requestToken) return json(res, 401, { message: "Bad credentials" });
    const audience = url.searchParams.get("audience") || DEFAULT_AUDIENCE;
    if (options.audiences && !options.audiences.includes(audience)) {
      return json(res, 400, { message: `audience ${audience} is not allowed` });
    }
    const iat = Math.floor(now() / 1000);
    const claims = {
      iss: issuer,
      aud: audience,
      sub: subject,
      iat,
      nbf: iat,
      exp: iat + lifetimeMs / 1000,
      jti: randomUUID(),
    };
    const token = [
      base64url({ alg: "RS256", typ: "JWT", kid: "fake-actions-oidc" }),
      base64url(claims),
      randomBytes(32).toString("base64url"),
    ].join(".");
    const record = { token, audience, subject, expiresAt: now() + lifetimeMs };
    issued.push(record);
    byToken.set(token, record);
    json(res, 200, { value: token });
  };

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch {
      json(res, 500, { message: "fake OIDC issuer failed" });
    }
  });
  const base = await listen(server);
  issuer = `${base}/token`;
  const url = `${base}${PATH}?api-version=2.0`;
  return {
    url,
    requestToken,
    issuer,
    issued,
    verify(token) {
      const record = byToken.get(token);
      return record && now() < record.expiresAt ? record : undefined;
    },
    env: () => ({
      ACTIONS_ID_TOKEN_REQUEST_URL: url,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
    }),
    close: () => closeServer(server),
  };
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}
