// Shared fixtures for the credential tests: a throwaway HOME, a settable clock, and a metadata
// URL that refuses connections so no test ever reaches the real metadata host.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface TempHome {
  dir: string;
  write(relativePath: string, text: string): Promise<string>;
  remove(): Promise<void>;
}

export async function tempHome(): Promise<TempHome> {
  const dir = await mkdtemp(join(tmpdir(), "tat-assert-cred-"));
  return {
    dir,
    async write(relativePath, text) {
      const path = join(dir, relativePath);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text);
      return path;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface TestClock {
  now: () => number;
  advance(ms: number): void;
}

/** Starts at a fixed instant so expiry arithmetic is the same on every run. */
export function testClock(startMs = Date.UTC(2026, 10, 28, 12, 0, 0)): TestClock {
  let t = startMs;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
  };
}

/** A local URL nothing listens on: connections are refused at once. */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Everything an error carries that could end up in a log: message, stack, own fields, cause. */
export function serialise(err: unknown): string {
  if (!(err instanceof Error)) return JSON.stringify(err);
  return JSON.stringify({
    name: err.name,
    message: err.message,
    stack: err.stack,
    fields: { ...err },
    cause: err.cause === undefined ? undefined : serialise(err.cause),
  });
}

export { rejection } from "../helpers/rejection.js";
