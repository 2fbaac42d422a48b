// How the emulator sends the malformed answers of fault rules (faults.ts decides which): a
// rewritten Response, a body too large to read, a gzip bomb. Each starts with a valid answer, so
// a client that does not stop reading would even parse it.
import type { ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";

/** The answer text with its successful `Response` changed by `rewrite`; error answers unchanged. */
export function rewriteAnswer(text: string, rewrite: (r: Record<string, unknown>) => void): string {
  const parsed = JSON.parse(text) as { Response: Record<string, unknown> };
  if (parsed.Response.Error !== undefined) return text;
  rewrite(parsed.Response);
  return JSON.stringify(parsed);
}

const CHUNK = 64 * 1024;
const SPACES = Buffer.alloc(CHUNK, 0x20);

/** `text` then whitespace up to `bytes`, chunked with no Content-Length, stopping if the client
 * goes away. */
export function sendOversize(res: ServerResponse, text: string, bytes: number): void {
  res.writeHead(200, { "Content-Type": "application/json" });
  let left = bytes - Buffer.byteLength(text);
  res.write(text);
  res.on("error", () => {});
  const pump = (): void => {
    while (left > 0 && !res.destroyed) {
      const n = Math.min(CHUNK, left);
      left -= n;
      if (!res.write(n === CHUNK ? SPACES : SPACES.subarray(0, n))) {
        res.once("drain", pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

/** One gzip member of a MiB of spaces; a bomb is many of them after the answer's own member
 * (gzip allows members to follow one another), so the emulator never holds the inflated size. */
const MIB = 1024 * 1024;
let spaceMember: Buffer | undefined;

export function sendGzipBomb(res: ServerResponse, text: string, bytes: number): void {
  spaceMember ??= gzipSync(Buffer.alloc(MIB, 0x20), { level: 9 });
  const members = Math.max(0, Math.ceil((bytes - Buffer.byteLength(text)) / MIB));
  const parts = [gzipSync(text), ...Array.from({ length: members }, () => spaceMember as Buffer)];
  const body = Buffer.concat(parts);
  res.on("error", () => {});
  res.writeHead(200, {
    "Content-Type": "application/json",
    "Content-Encoding": "gzip",
    "Content-Length": body.length,
  });
  res.end(body);
}
