// A loopback HTTP server whose answers a test scripts one request at a time, for the client
// mechanics the emulator cannot hold still for (a request that never answers, exact headers).
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

export type Answer =
  | { json: unknown; status?: number }
  | { text: string; status: number }
  /** Raw bytes, written one chunk at a time with a pause between, so each arrives on its own. */
  | { chunks: Uint8Array[]; status?: number }
  | { reset: true }
  | { hold: true };

/** An empty answer that both Describe actions accept (each ignores the other's set). */
export const EMPTY_LIST = { TotalCount: 0, InvocationSet: [], InvocationTaskSet: [] };

export const ok = (fields: Record<string, unknown> = EMPTY_LIST, requestId = "rid-ok"): Answer => ({
  json: { Response: { ...fields, RequestId: requestId } },
});
export const apiError = (code: string, requestId = `rid-${code}`): Answer => ({
  json: {
    Response: { Error: { Code: code, Message: `message for ${code}` }, RequestId: requestId },
  },
});

export async function scriptServer(answers: Answer[] | ((n: number) => Answer)) {
  const received: Received[] = [];
  const held: ServerResponse[] = [];
  const arrivals: (() => void)[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const n = received.length;
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      for (const wake of arrivals.splice(0)) wake();
      const answer =
        typeof answers === "function" ? answers(n) : (answers[n] ?? answers[answers.length - 1]);
      if (!answer || "hold" in answer) {
        held.push(res);
        return;
      }
      if ("reset" in answer) {
        req.socket.destroy();
        return;
      }
      const status = answer.status ?? 200;
      if ("chunks" in answer) {
        res.writeHead(status, { "Content-Type": "application/json" });
        void (async () => {
          for (const chunk of answer.chunks) {
            res.write(chunk);
            await new Promise((r) => setTimeout(r, 20));
          }
          res.end();
        })();
        return;
      }
      const body = "json" in answer ? JSON.stringify(answer.json) : answer.text;
      res.writeHead(status, {
        "Content-Type": "json" in answer ? "application/json" : "text/html",
      });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    /** Resolves once `count` requests have arrived. */
    async arrived(count: number): Promise<void> {
      while (received.length < count) await new Promise<void>((r) => arrivals.push(r));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
