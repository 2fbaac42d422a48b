// The HTTP front: routing on X-TC-Action, the order of checks, faults and the rate limit.
// State and behaviour live in store.ts/actions.ts; wire envelopes in responses.ts.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { TAT_VERSION } from "../tat/types.js";
import { ACTIONS, OTHER_TAT_ACTIONS } from "./actions.js";
import { authenticate } from "./auth.js";
import { type Clock, scaledClock } from "./clock.js";
import { cosObjects, startCosEmulator } from "./cos.js";
import { Faults } from "./faults.js";
import { rewriteAnswer, sendGzipBomb, sendOversize } from "./hostile-answers.js";
import { closeServer, listen } from "./listen.js";
import { LocalAgent } from "./local-agent.js";
import { RateLimiter } from "./rate-limit.js";
import { ApiErrorAnswer, apiError, errorEnvelope, successEnvelope } from "./responses.js";
import { DropConnection } from "./run-actions.js";
import { RunWorld } from "./run-world.js";
import { Store } from "./store.js";
import type { EmulatorCredential, FaultRule, Scenario } from "./types.js";
import { isoStamp } from "./wire.js";

/** Tencent's limit for TC3-signed POST bodies. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface EmulatorOptions {
  /** Parsed scenario (see loadScenario / parseScenario / buildScenario / generateFleet). */
  scenario: Scenario;
  /** Default "127.0.0.1". */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Drives task timelines; default real time scaled by `speed`. */
  clock?: Clock;
  /** Scenario seconds per real second when no clock is given (default scenario.speed, else 1). */
  speed?: number;
  /** Wall clock for signature expiry, credential expiry and the rate limit; default Date.now. */
  wallNow?: () => number;
  /** Waits out injected latency (real milliseconds); default setTimeout. Tests pass a recorder. */
  sleep?: (ms: number) => Promise<void>;
  /** Really run shell commands on Linux instances as local subprocesses (local-agent.ts). Off
   * unless asked for: it executes whatever a client sends. */
  localExec?: boolean;
}

export interface EmulatorStats {
  /** Requests received per X-TC-Action ("(none)" when missing). */
  requests: Record<string, number>;
  /** Requests refused with RequestLimitExceeded, per action. */
  rateLimited: Record<string, number>;
  /** Answers that were not a success, per API error code; injected HTTP errors count as
   * `HTTP_<status>` and injected resets as `ConnectionReset`. */
  errors: Record<string, number>;
  /** Bytes of the successful and API-error answer bodies sent, per action: what a client downloads,
   * counted where it is sent so that counting costs the client nothing. */
  responseBytes: Record<string, number>;
}

export interface Emulator {
  /** e.g. "http://127.0.0.1:41234". */
  url: string;
  /** The COS endpoint serving tasks' `outputUrl` objects (emulator/cos.ts), when the scenario has
   * any: pass it as `cosEndpoint`. */
  cosUrl?: string;
  /** What the COS endpoint was asked (requests, refusals by COS error code), when it runs. */
  cosStats?: () => { requests: number; errors: Record<string, number> };
  /** Every credential accepted now (the scenario's plus those added since). */
  credentials: EmulatorCredential[];
  clock: Clock;
  addCredential(c: EmulatorCredential): void;
  injectFault(rule: FaultRule): void;
  stats(): EmulatorStats;
  close(): Promise<void>;
}

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooBig = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(tooBig ? undefined : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Sends the answer; returns the bytes of its body. */
function send(res: ServerResponse, status: number, contentType: string, body: string): number {
  const bytes = Buffer.byteLength(body);
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": bytes });
  res.end(body);
  return bytes;
}

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const { scenario } = options;
  const wallNow = options.wallNow ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const clock = options.clock ?? scaledClock(options.speed ?? scenario.speed ?? 1);
  const origin = clock.now();
  const stamp = isoStamp(origin);
  const store = new Store(scenario);
  const agent = options.localExec ? new LocalAgent(() => clock.now() - origin) : undefined;
  const run = new RunWorld(scenario.run, scenario.invocations, { store, ...(agent && { agent }) });
  const faults = new Faults(scenario.faults);
  const limiter = new RateLimiter();
  const credentials = new Map<string, EmulatorCredential>();
  for (const c of scenario.credentials) credentials.set(c.secretId, c);
  const stats: EmulatorStats = { requests: {}, rateLimited: {}, errors: {}, responseBytes: {} };

  // Checks in the order the service applies them: request shape, authentication, rate limit,
  // then the action itself. Throws ApiErrorAnswer for API errors.
  function answer(req: IncomingMessage, action: string, body: Buffer): string {
    if (req.method !== "POST") {
      throw apiError("UnsupportedProtocol", "The emulator accepts POST requests only.");
    }
    if (!action)
      throw apiError("MissingParameter", "The request is missing the X-TC-Action header.");
    if (!(action in ACTIONS) && !OTHER_TAT_ACTIONS.has(action)) {
      throw apiError("InvalidAction", `The action \`${action}\` is not found.`);
    }
    const version = headerValue(req, "x-tc-version");
    if (!version)
      throw apiError("MissingParameter", "The request is missing the X-TC-Version header.");
    if (version !== TAT_VERSION) {
      throw apiError(
        "NoSuchVersion",
        `The API version \`${version}\` does not exist; use ${TAT_VERSION}.`,
      );
    }
    if (!headerValue(req, "x-tc-region")) {
      throw apiError("MissingParameter", "The request is missing the X-TC-Region header (Region).");
    }
    const contentType = headerValue(req, "content-type") ?? "";
    if (!/^application\/json\b/i.test(contentType)) {
      throw apiError("InvalidParameter", "The Content-Type must be application/json.");
    }
    const now = wallNow();
    authenticate(
      { method: req.method, headers: req.headers, body },
      (id) => credentials.get(id),
      now,
    );
    if (!limiter.admit(action, now)) {
      bump(stats.rateLimited, action);
      throw apiError(
        "RequestLimitExceeded",
        "Your current request rate exceeds the limit of 20 per second.",
      );
    }
    const handler = ACTIONS[action];
    if (!handler) {
      throw apiError("UnsupportedOperation", `The emulator does not implement \`${action}\`.`);
    }
    let parsed: unknown;
    try {
      parsed = body.length === 0 ? {} : JSON.parse(body.toString("utf8"));
    } catch {
      throw apiError("InvalidParameter", "The request body is not valid JSON.");
    }
    const region = headerValue(req, "x-tc-region");
    return successEnvelope(handler(parsed, { store, t: clock.now() - origin, stamp, run, region }));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const action = headerValue(req, "x-tc-action") ?? "";
    bump(stats.requests, action || "(none)");
    const decision = faults.decide(action, clock.now() - origin);
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    const fault = decision.action;
    if (fault?.kind === "reset") {
      bump(stats.errors, "ConnectionReset");
      req.socket.destroy();
      return;
    }
    if (fault?.kind === "http") {
      bump(stats.errors, `HTTP_${fault.status}`);
      send(res, fault.status, "text/html", fault.body);
      return;
    }
    if (fault?.kind === "redirect") {
      bump(stats.errors, "Redirect");
      res.writeHead(302, { Location: fault.location, "Content-Length": 0 });
      res.end();
      return;
    }
    let text: string;
    try {
      if (fault?.kind === "error") throw apiError(fault.code, fault.message);
      if (body === undefined) {
        throw apiError("RequestSizeLimitExceeded", "The request body is larger than 10 MB.");
      }
      text = answer(req, action, body);
    } catch (err) {
      if (err instanceof DropConnection) {
        bump(stats.errors, "ConnectionReset");
        req.socket.destroy();
        return;
      }
      if (!(err instanceof ApiErrorAnswer)) throw err;
      bump(stats.errors, err.code);
      text = errorEnvelope(err.code, err.message);
    }
    if (fault?.kind === "rewrite") text = rewriteAnswer(text, fault.rewrite);
    if (fault?.kind === "oversize") return sendOversize(res, text, fault.bytes);
    if (fault?.kind === "gzipBomb") return sendGzipBomb(res, text, fault.bytes);
    const bytes = send(res, 200, "application/json", text);
    const key = action || "(none)";
    stats.responseBytes[key] = (stats.responseBytes[key] ?? 0) + bytes;
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      bump(stats.errors, "InternalError");
      if (!res.headersSent) {
        send(res, 200, "application/json", errorEnvelope("InternalError", String(err)));
      } else res.destroy();
    });
  });
  const url = await listen(server, options.host, options.port);
  const objects = cosObjects(scenario);
  const cos =
    objects.size === 0
      ? undefined
      : await startCosEmulator({
          objects,
          findCredential: (id) => credentials.get(id),
          wallNow,
          ...(options.host && { host: options.host }),
        });

  return {
    url,
    ...(cos && { cosUrl: cos.url, cosStats: () => cos.stats() }),
    get credentials() {
      return [...credentials.values()];
    },
    clock,
    addCredential(c) {
      credentials.set(c.secretId, c);
    },
    injectFault(rule) {
      faults.add(rule);
    },
    stats() {
      return structuredClone(stats);
    },
    async close() {
      await agent?.close();
      await cos?.close();
      return closeServer(server);
    },
  };
}
