// Every local fake (TAT, STS, instance metadata, Actions OIDC) binds and stops the same way.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Binds `server` (port 0 = any free port) and resolves its base URL, e.g. "http://127.0.0.1:41234". */
export async function listen(server: Server, host = "127.0.0.1", port = 0): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return `http://${urlHost}:${(server.address() as AddressInfo).port}`;
}

/** Stops accepting and drops kept-alive connections, so close() never waits on an idle client. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}
