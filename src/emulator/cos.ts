// A COS bucket endpoint beside the TAT emulator: serves each scenario task's full output at its
// `outputUrl`, path-style (`GET /<bucket>-<appid>/<key>`, what a client configured with this
// endpoint as `cosEndpoint` sends), after checking the COS signature with the same SDK function
// the client signs with. Errors are COS's XML documents; per-task faults: accessDenied, noSuchKey,
// slow (no answer for a minute), truncated (half the declared body, then the connection drops).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { parseCosUrl } from "../cos/cos-url.js";
import { cosAuthorization, parseCosAuthorization } from "../cos/sign.js";
import { closeServer, listen } from "./listen.js";
import { outputBytes } from "./output.js";
import type { EmulatorCredential, Scenario, ScenarioTask } from "./types.js";

export const COS_FAULTS = ["accessDenied", "noSuchKey", "slow", "truncated"] as const;
export type CosFault = (typeof COS_FAULTS)[number];

/** How long the `slow` fault keeps a request waiting before it answers. */
export const COS_SLOW_MS = 60_000;

export interface CosObjectEntry {
  bytes: Uint8Array;
  fault?: CosFault;
}

/** The objects a scenario's tasks uploaded, by `<bucket>-<appid>/<key>`. */
export function cosObjects(scenario: Scenario): Map<string, CosObjectEntry> {
  const objects = new Map<string, CosObjectEntry>();
  for (const inv of scenario.invocations) {
    for (const task of inv.tasks) {
      if (!task.outputUrl || task.outputUploadCOSErrorInfo) continue;
      const parsed = parseCosUrl(task.outputUrl);
      if (!("object" in parsed) || !parsed.object.bucket) continue;
      // A task given only its kept part (`dropped`) has no whole log here: serving the kept part
      // as the whole would let a check pass on what TAT never showed. 404, as a missing object.
      const partial = task.dropped !== undefined && task.cosOutput === undefined;
      const fault = task.cosFault ?? (partial ? "noSuchKey" : undefined);
      objects.set(`${parsed.object.bucket}/${parsed.object.key}`, {
        bytes: partial ? new Uint8Array() : fullOutput(task),
        ...(fault && { fault }),
      });
    }
  }
  return objects;
}

/** What TAT uploads: the whole output, or the scenario's `cosOutput` when it gives one. */
function fullOutput(task: ScenarioTask): Uint8Array {
  if (task.cosOutput !== undefined) {
    return Buffer.alloc(
      Buffer.byteLength(task.cosOutput) * (task.cosOutputRepeat ?? 1),
      task.cosOutput,
    );
  }
  const once = outputBytes(task.outputBytes ?? task.output);
  return once.length === 0 ? once : Buffer.alloc(once.length * task.outputRepeat, once);
}

export interface CosEmulatorOptions {
  objects: Map<string, CosObjectEntry>;
  findCredential(secretId: string): EmulatorCredential | undefined;
  wallNow?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  host?: string;
}

export interface CosEmulator {
  url: string;
  /** Requests received, and those refused, by COS error code. */
  stats(): { requests: number; errors: Record<string, number> };
  close(): Promise<void>;
}

const xml = (s: string) =>
  s.replace(/[<>&]/g, (c) => (c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&amp;"));

class CosError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

async function authenticate(
  req: IncomingMessage,
  pathname: string,
  options: CosEmulatorOptions,
): Promise<void> {
  const value = header(req, "authorization");
  if (!value) throw new CosError(403, "AccessDenied", "Access Denied.");
  const auth = parseCosAuthorization(value);
  if (!auth) throw new CosError(403, "AccessDenied", "The Authorization header is malformed.");
  const credential = options.findCredential(auth.secretId);
  if (!credential) {
    throw new CosError(
      403,
      "InvalidAccessKeyId",
      "The access key Id format you provided is invalid.",
    );
  }
  if (
    !auth.headerList.includes("host") ||
    auth.headerList.length !== 1 ||
    auth.urlParamList.length > 0
  ) {
    throw new CosError(
      403,
      "AccessDenied",
      "The emulator expects a signature over the host header only.",
    );
  }
  const expected = await cosAuthorization({
    secretId: credential.secretId,
    secretKey: credential.secretKey,
    method: (req.method ?? "GET").toLowerCase(),
    pathname,
    host: header(req, "host") ?? "",
    keyTime: auth.keyTime,
  });
  if (parseCosAuthorization(expected)?.signature !== auth.signature) {
    throw new CosError(
      403,
      "SignatureDoesNotMatch",
      "The Signature you specified does not match what we calculated.",
    );
  }
  const [start, end] = auth.keyTime.split(";").map(Number) as [number, number];
  const now = (options.wallNow ?? Date.now)() / 1000;
  if (now < start || now > end) throw new CosError(403, "AccessDenied", "Request has expired.");
  const token = header(req, "x-cos-security-token");
  if ((credential.token ?? undefined) !== (token || undefined)) {
    throw new CosError(403, "InvalidAccessKeyId", "The security token is missing or invalid.");
  }
  if (credential.expiresAt !== undefined && now * 1000 >= credential.expiresAt) {
    throw new CosError(400, "ExpiredToken", "The provided token has expired.");
  }
}

export async function startCosEmulator(options: CosEmulatorOptions): Promise<CosEmulator> {
  const counts = { requests: 0, errors: {} as Record<string, number> };
  const sleep =
    options.sleep ??
    ((ms: number, signal: AbortSignal) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        signal.addEventListener("abort", () => {
          clearTimeout(timer);
          resolve();
        });
      }));

  function sendError(res: ServerResponse, err: CosError, resource: string): void {
    counts.errors[err.code] = (counts.errors[err.code] ?? 0) + 1;
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${err.code}</Code><Message>${xml(err.message)}</Message><Resource>${xml(resource)}</Resource><RequestId>emulator</RequestId></Error>`;
    res.writeHead(err.status, {
      "Content-Type": "application/xml",
      "Content-Length": Buffer.byteLength(body),
    });
    res.end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    counts.requests++;
    const pathname = (req.url ?? "/").split("?")[0] ?? "/";
    try {
      if (req.method !== "GET") {
        throw new CosError(405, "MethodNotAllowed", "The emulator serves GET only.");
      }
      await authenticate(req, pathname, options);
      const object = options.objects.get(pathname.replace(/^\//, ""));
      if (!object || object.fault === "noSuchKey") {
        throw new CosError(404, "NoSuchKey", "The specified key does not exist.");
      }
      if (object.fault === "accessDenied")
        throw new CosError(403, "AccessDenied", "Access Denied.");
      if (object.fault === "slow") {
        const gone = new AbortController();
        res.on("close", () => gone.abort());
        await sleep(COS_SLOW_MS, gone.signal);
        if (gone.signal.aborted) return;
      }
      res.writeHead(200, {
        "Content-Type": "text/plain",
        "Content-Length": object.bytes.length,
      });
      if (object.fault === "truncated") {
        res.write(object.bytes.subarray(0, Math.floor(object.bytes.length / 2)), () =>
          res.destroy(),
        );
        return;
      }
      res.end(object.bytes);
    } catch (err) {
      if (!(err instanceof CosError)) throw err;
      sendError(res, err, pathname);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, new CosError(500, "InternalError", String(err)), "");
      else res.destroy();
    });
  });
  const url = await listen(server, options.host);
  return {
    url,
    stats: () => structuredClone(counts),
    close: () => closeServer(server),
  };
}
