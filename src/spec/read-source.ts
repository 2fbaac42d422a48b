// A spec file read and its YAML walked into plain values with their positions: the part of
// loading that needs no schema and no rules, and whose result is plain data, so that a worker
// thread can do it (load-worker.ts) and the loader judges the documents (load.ts).
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import type { SpecIssue } from "../errors.js";
import { LIMITS, size } from "./limits.js";
import type { FileTask } from "./parallel-load.js";
import { readYaml, type SourceDocument } from "./yaml-source.js";

/** A file's YAML documents, or the one reason it has none to read. */
export type FileSource = { documents: SourceDocument[] } | { issue: SpecIssue };

/** Reads one file and walks its YAML; a file that cannot be read is one issue. */
export function readSource(
  { file, full }: FileTask,
  env: Record<string, string | undefined>,
): FileSource {
  const read = readBounded(full);
  if (typeof read !== "string") {
    return {
      issue: read.size !== undefined ? tooLargeFile(file, read.size) : unreadable(file, read.error),
    };
  }
  return textSource(read, file, env);
}

/** Walks one file's text; `file` is used for locations only. */
export function textSource(
  text: string,
  file: string,
  env: Record<string, string | undefined>,
): FileSource {
  // Characters never outnumber bytes: a text under the limit in characters may still be over it in
  // bytes, but a file read from disk was checked in bytes already.
  if (text.length > LIMITS.fileBytes) return { issue: tooLargeFile(file, Buffer.byteLength(text)) };
  return { documents: readYaml(text.replace(/^\uFEFF/, ""), file, env) };
}

// Measured on 1,000 spec files: a synchronous read costs about 30 µs of CPU, an asynchronous
// one (promise, thread pool, file handle) 200 to 370 µs, and the reads never waited on a disk.
// Parsing is the work, so files are read where they are parsed, and the event loop gets a turn
// every chunk of files (parallel-load.ts) instead of after every one.

type Read = string | { size?: number; error?: unknown };

/** The file's text, or its size when it is over the limit (then it is never read past it). */
function readBounded(path: string): Read {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const stats = fstatSync(fd);
    if (stats.isDirectory()) return { error: Object.assign(new Error(), { code: "EISDIR" }) };
    if (stats.size > LIMITS.fileBytes) return { size: stats.size };
    // A pipe or device (/dev/stdin, a FIFO) has no size up front: it is read at most one byte past
    // the limit, so /dev/zero is an error too, not a hang.
    const most = LIMITS.fileBytes + 1;
    let buffer = Buffer.allocUnsafe(Math.min(most, stats.isFile() ? stats.size + 1 : 64 * 1024));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length === most) return { size: length };
        const larger = Buffer.allocUnsafe(Math.min(most, buffer.length * 2));
        buffer.copy(larger, 0, 0, length);
        buffer = larger;
      }
      const got = readSync(fd, buffer, length, buffer.length - length, null);
      if (got === 0) return buffer.toString("utf8", 0, length);
      length += got;
    }
  } catch (error) {
    return { error };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function tooLargeFile(file: string, bytes: number): SpecIssue {
  return {
    where: { file, line: 1, col: 1 },
    path: "",
    message: `the file is ${size(bytes)}; a spec file is at most ${size(LIMITS.fileBytes)}`,
    fix: "split it into several spec files",
  };
}

function unreadable(file: string, error: unknown): SpecIssue {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === "ENOENT"
      ? "no such file"
      : code === "EISDIR"
        ? "it is a directory"
        : code === "EACCES"
          ? "permission denied"
          : `${code ?? "error"}`;
  return { where: { file, line: 1, col: 1 }, path: "", message: `cannot read the file: ${reason}` };
}
