import { createServer, request } from "node:http";
import type { Socket } from "node:net";
import { afterEach, describe, expect, test } from "@jest/globals";
import { closeServer, listen } from "../../src/emulator/listen.js";

const hello = () => createServer((_req, res) => res.end("hello"));

// Should closeServer ever leave a connection open, the test fails instead of keeping jest alive.
const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
});

describe("listen / closeServer", () => {
  test("binds a free loopback port and resolves a URL that answers", async () => {
    const server = hello();
    const url = await listen(server);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(url)).text()).toBe("hello");
    await closeServer(server);
    expect(server.listening).toBe(false);
  });

  test("a port already taken rejects instead of hanging", async () => {
    const first = hello();
    const port = Number(new URL(await listen(first)).port);
    const second = hello();
    await expect(listen(second, "127.0.0.1", port)).rejects.toMatchObject({ code: "EADDRINUSE" });
    await closeServer(first);
  });

  test("close does not wait for a request the server is still holding", async () => {
    let held!: () => void;
    const arrived = new Promise<void>((resolve) => {
      held = resolve;
    });
    // Never answers, like an injected latency fault still sleeping.
    const server = createServer(() => held());
    server.on("connection", (s) => sockets.push(s));
    const url = await listen(server);
    const client = new Promise<string>((resolve) => {
      request(url, () => resolve("answered"))
        .on("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message))
        .end();
    });
    await arrived;
    await closeServer(server);
    expect(server.listening).toBe(false);
    expect(await client).toBe("ECONNRESET");
  });
});
