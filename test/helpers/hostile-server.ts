// A hostile server between tat-assert and the TAT emulator: a real loopback HTTP server that
// forwards every request untouched (Host included, so the emulator still verifies the signature)
// and lets a test rewrite each answer before it goes back. The emulator stays the source of
// well-formed data; the test says how it is made to lie.
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

export interface HostileRequest {
  action: string;
  /** The request body, parsed. */
  params: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  /** 0 for the first request of this action, 1 for the next, … */
  nth: number;
}

/** The emulator's answer: `response` is `Response` of the body and may be changed in place. */
export interface Upstream {
  status: number;
  body: { Response: Record<string, unknown> };
  response: Record<string, unknown>;
}

/** What to send instead; `undefined` sends the (possibly changed) upstream answer. */
export type Replacement =
  | { json: unknown; status?: number }
  | { status: number; headers?: Record<string, string | number>; body?: string | Buffer }
  | { destroy: true }
  | { send: (res: ServerResponse) => void };

export type Rewriter = (req: HostileRequest, upstream: Upstream) => Replacement | undefined;

export interface HostileServer {
  url: string;
  requests: HostileRequest[];
  /** Requests per action. */
  count(action: string): number;
  close(): Promise<void>;
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}

function forward(
  upstream: URL,
  req: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (res) => {
        readAll(res).then(
          (b) => resolve({ status: res.statusCode ?? 0, text: b.toString("utf8") }),
          reject,
        );
      },
    );
    out.on("error", reject);
    out.end(body);
  });
}

export async function hostileServer(
  upstreamUrl: string,
  rewrite: Rewriter,
): Promise<HostileServer> {
  const upstream = new URL(upstreamUrl);
  const requests: HostileRequest[] = [];
  const seen = new Map<string, number>();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readAll(req);
    const action = String(req.headers["x-tc-action"] ?? "");
    const nth = seen.get(action) ?? 0;
    seen.set(action, nth + 1);
    let params: Record<string, unknown> = {};
    try {
      params = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
    } catch {}
    const hr: HostileRequest = { action, params, headers: req.headers, nth };
    requests.push(hr);
    const answer = await forward(upstream, req, body);
    const parsed = JSON.parse(answer.text) as Upstream["body"];
    const replacement = rewrite(hr, {
      status: answer.status,
      body: parsed,
      response: parsed.Response,
    });
    if (!replacement) {
      const text = JSON.stringify(parsed);
      res.writeHead(answer.status, {
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(text),
      });
      res.end(text);
    } else if ("destroy" in replacement) {
      req.socket.destroy();
    } else if ("send" in replacement) {
      replacement.send(res);
    } else if ("json" in replacement) {
      const text = JSON.stringify(replacement.json);
      res.writeHead(replacement.status ?? 200, { "Content-Type": "application/json" });
      res.end(text);
    } else {
      res.writeHead(replacement.status, replacement.headers ?? {});
      res.end(replacement.body ?? "");
    }
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(599);
      res.destroy();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    count: (action) => seen.get(action) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The first record of a Describe answer's set (tasks or invocations), to corrupt in place. */
export function firstRecord(response: Record<string, unknown>): Record<string, unknown> {
  const set = (response.InvocationTaskSet ?? response.InvocationSet) as Record<string, unknown>[];
  const first = set[0];
  if (!first) throw new Error("the answer holds no record");
  return first;
}
