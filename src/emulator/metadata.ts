// A stand-in for the CVM metadata service's CAM role endpoints (tat-api.md §6.3), on 127.0.0.1:
// `/latest/meta-data/cam/security-credentials/` names the role, `/…/<role>` hands out its
// temporary credentials. Every credentials request gets freshly issued ones (the real service
// rotates them ahead of expiry; a new set each time is the strictest case for a client's cache).
import { randomBytes } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import { closeServer, listen } from "./listen.js";

const PREFIX = "/latest/meta-data/cam/security-credentials/";

export interface RoleCredential {
  secretId: string;
  secretKey: string;
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface FakeMetadataOptions {
  /** The role bound to the instance; absent: no role, both paths answer 404. */
  roleName?: string;
  /** @default 7200 */
  lifetimeSeconds?: number;
  /** Epoch milliseconds. @default Date.now */
  now?: () => number;
  /** `Code` in the credentials answer; anything but "Success" simulates a broken role. @default "Success" */
  code?: string;
  /** Accept connections but never answer, like a firewalled metadata address off-cloud. */
  stall?: boolean;
  /** Called with every credential issued, e.g. `(c) => emulator.addCredential(c)`. */
  onIssue?: (credential: RoleCredential) => void;
}

export interface FakeMetadata {
  /** Base URL, to pass as the metadata endpoint. */
  url: string;
  issued: RoleCredential[];
  /** Paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function startFakeMetadata(options: FakeMetadataOptions = {}): Promise<FakeMetadata> {
  const now = options.now ?? Date.now;
  const issued: RoleCredential[] = [];
  const requests: string[] = [];
  const { roleName } = options;

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    requests.push(path);
    if (options.stall) return;
    if (req.method !== "GET" || !roleName)
      return send(res, 404, "text/html", "<h1>404 Not Found</h1>");
    if (path === PREFIX) return send(res, 200, "text/plain", roleName);
    if (path !== `${PREFIX}${encodeURIComponent(roleName)}`) {
      return send(res, 404, "text/html", "<h1>404 Not Found</h1>");
    }
    const expiredTime = Math.floor(now() / 1000) + (options.lifetimeSeconds ?? 7200);
    const credential: RoleCredential = {
      secretId: `AKIDcvm${randomBytes(12).toString("hex")}`,
      secretKey: randomBytes(24).toString("base64url"),
      token: randomBytes(48).toString("base64url"),
      expiresAt: expiredTime * 1000,
    };
    const code = options.code ?? "Success";
    if (code === "Success") {
      issued.push(credential);
      options.onIssue?.(credential);
    }
    send(
      res,
      200,
      "application/json",
      JSON.stringify({
        TmpSecretId: credential.secretId,
        TmpSecretKey: credential.secretKey,
        ExpiredTime: expiredTime,
        Expiration: new Date(expiredTime * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
        Token: credential.token,
        Code: code,
      }),
    );
  });
  const url = await listen(server);
  return { url, issued, requests, close: () => closeServer(server) };
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body) });
  res.end(body);
}
