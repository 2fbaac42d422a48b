// The client's transport limits against a real loopback server: redirects are not followed and
// carry nothing elsewhere, bodies are capped whether declared or streamed, compressed or not.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { gzipSync } from "node:zlib";
import { afterEach, expect, test } from "@jest/globals";
import { staticCredentials } from "../../src/credentials/types.js";
import { TatNetworkError } from "../../src/errors.js";
import { MAX_RESPONSE_BYTES, TatClient } from "../../src/tat/client.js";
import { waitingCannotFix } from "../../src/tat/retry-policy.js";
import { speaksTls } from "../../src/tat/tls-probe.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections?.();
    await new Promise<void>((r) => s.close(() => r()));
  }
});

async function serve(
  handler: Parameters<typeof createServer>[1],
): Promise<{ url: string; host: string }> {
  const s = createServer(handler);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const host = `127.0.0.1:${(s.address() as AddressInfo).port}`;
  return { url: `http://${host}`, host };
}

const client = (endpoint: string) =>
  new TatClient({
    endpoint,
    region: "ap-guangzhou",
    credentials: staticCredentials({
      secretId: "AKIDTRANSPORT",
      secretKey: "transport-secret",
      token: "session-token-xyz",
    }),
    retries: 2,
    sleep: async () => {},
  });

async function failure(endpoint: string): Promise<TatNetworkError> {
  const e = await client(endpoint)
    .describeInvocations({ InvocationIds: ["inv-1"] })
    .catch((x: unknown) => x);
  expect(e).toBeInstanceOf(TatNetworkError);
  return e as TatNetworkError;
}

test("a 307 (which would resend the body and headers) is refused at once; the target sees nothing", async () => {
  const seen: IncomingHttpHeaders[] = [];
  const thief = await serve((req, res) => {
    seen.push(req.headers);
    res.end("{}");
  });
  let asked = 0;
  const api = await serve((_, res) => {
    asked++;
    res.writeHead(307, { Location: `${thief.url}/steal` });
    res.end();
  });
  const e = await failure(api.url);
  expect(e.code).toBe("REDIRECT");
  expect(e.detail).toBe(
    `${api.host} answered HTTP 307 redirecting to ${thief.host}; redirects are not followed (credentials go to the configured endpoint only)`,
  );
  expect(waitingCannotFix(e)).toBe(true);
  expect(asked).toBe(1); // not retried
  expect(seen).toEqual([]);
});

test("a Content-Length over the cap is refused before the body is read", async () => {
  let written = 0;
  const api = await serve((_, res) => {
    res.writeHead(200, { "Content-Length": MAX_RESPONSE_BYTES + 1 });
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const pump = () => {
      while (written < MAX_RESPONSE_BYTES && !res.destroyed) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
    };
    res.on("error", () => {});
    pump();
  });
  const e = await failure(api.url);
  expect(e.code).toBe("BODY_TOO_LARGE");
  expect(written).toBeLessThan(MAX_RESPONSE_BYTES);
});

test("a deflate bomb without a Content-Length stops at the cap of decoded bytes", async () => {
  const member = gzipSync(Buffer.alloc(1024 * 1024, 0x20));
  const body = Buffer.concat(Array.from({ length: 40 }, () => member));
  const api = await serve((_, res) => {
    res.writeHead(200, { "Content-Encoding": "gzip", "Content-Type": "application/json" });
    res.on("error", () => {});
    res.end(body);
  });
  const e = await failure(api.url);
  expect(e.code).toBe("BODY_TOO_LARGE");
  expect(e.detail).toContain("larger than 32 MiB (decoded)");
});

test("a large answer under the cap (4 MiB) is read and parsed", async () => {
  const answer = JSON.stringify({
    Response: { TotalCount: 0, InvocationSet: [], RequestId: "r-big" },
  });
  const padding = " ".repeat(4 * 1024 * 1024);
  const api = await serve((_, res) => {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(answer + padding);
  });
  const r = await client(api.url).describeInvocations({ InvocationIds: ["inv-1"] });
  expect(r.RequestId).toBe("r-big");
});

test("an answer whose characters are split across chunks reads whole (decoded as it streams)", async () => {
  const id = "r-部署-✓-\u{1F680}";
  const body = Buffer.from(
    JSON.stringify({ Response: { TotalCount: 0, InvocationSet: [], RequestId: id } }),
  );
  const api = await serve(async (_, res) => {
    res.writeHead(200, { "Content-Type": "application/json" });
    // One byte per write, each flushed on its own: every multi-byte character is cut.
    for (const byte of body) {
      res.write(Buffer.of(byte));
      await new Promise((r) => setImmediate(r));
    }
    res.end();
  });
  const r = await client(api.url).describeInvocations({ InvocationIds: ["inv-1"] });
  expect(r.RequestId).toBe(id);
});

test("the TLS probe tells a TLS port (even one that refuses our handshake) from a plain one", async () => {
  const plain = await serve((_, res) => res.end("{}"));
  expect(await speaksTls("127.0.0.1", Number(new URL(plain.url).port))).toBe(false);
  const tls = createTlsServer({
    ciphers: "PSK-AES128-GCM-SHA256",
    maxVersion: "TLSv1.2",
    pskCallback: () => Buffer.alloc(16),
  });
  tls.on("tlsClientError", () => {});
  servers.push(tls as unknown as Server);
  await new Promise<void>((r) => tls.listen(0, "127.0.0.1", r));
  expect(await speaksTls("127.0.0.1", (tls.address() as AddressInfo).port)).toBe(true);
});
