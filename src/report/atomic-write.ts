// A killed run must never leave half a report where CI will read it: write a sibling temporary
// file, flush it, then rename over the target (atomic within one file system). What is not a
// regular file is written through, never replaced: a FIFO, a character device (/dev/stdout,
// /dev/full, a run as root included) or what a symlink points to.
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { type FileHandle, lstat, mkdir, open, realpath, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** A report's text: one string, or pieces written as they come (a large JSON report is never
 * one string in memory). */
export type ReportText = string | Iterable<string>;

/** Pieces joined up to about 64 KiB: one write per piece of a few hundred bytes costs more than
 * the copy. */
function* batched(data: ReportText): Generator<string> {
  if (typeof data === "string") {
    yield data;
    return;
  }
  let pending = "";
  for (const piece of data) {
    pending += piece;
    if (pending.length >= 64 * 1024) {
      yield pending;
      pending = "";
    }
  }
  if (pending !== "") yield pending;
}

export async function writeFileAtomic(path: string, data: ReportText): Promise<void> {
  const link = await lstat(path).catch(() => undefined);
  const target = link ? await stat(path).catch(() => undefined) : undefined;
  // A dangling symlink, a FIFO, a device, a socket: open and write where it leads.
  if (target?.isFIFO()) return writeToFifo(path, data);
  if (link && !target?.isFile()) return writeThrough(path, data);
  // A symlink to a regular file: replace the file it points to, keep the link.
  const real = link?.isSymbolicLink() ? await realpath(path) : path;
  const dir = dirname(real);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(real)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    const handle = await open(temp, "w");
    try {
      await handle.writeFile(batched(data), "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, real);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function writeThrough(path: string, data: ReportText): Promise<void> {
  const handle = await open(path, "w");
  try {
    await handle.writeFile(batched(data), "utf8");
  } finally {
    await handle.close();
  }
}

/** A pause that never keeps the process alive on its own. */
const pause = (ms: number) =>
  new Promise<void>((done) => {
    setTimeout(done, ms).unref();
  });

/**
 * A FIFO is opened without blocking: a blocking open waits in a libuv thread for a reader, and a
 * thread stuck there would even stop the process from exiting. Until a reader comes (or the
 * reporter is abandoned) the open is retried; a full pipe is waited out the same way.
 */
async function writeToFifo(path: string, data: ReportText): Promise<void> {
  let handle: FileHandle | undefined;
  while (!handle) {
    try {
      handle = await open(path, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENXIO") throw error;
      await pause(50);
    }
  }
  try {
    for (const text of batched(data)) {
      const bytes = Buffer.from(text, "utf8");
      let offset = 0;
      while (offset < bytes.length) {
        try {
          offset += (await handle.write(bytes, offset)).bytesWritten;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
          await pause(10);
        }
      }
    }
  } finally {
    await handle.close();
  }
}

const REASONS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is used up",
  EISDIR: "it is a folder",
  ENOTDIR: "a file is in the way of one of its folders",
  EEXIST: "a file is in the way of one of its folders",
  ENAMETOOLONG: "the name is too long",
};

/** The reason a report could not be written, in words, with the system's code. */
export function writeFailure(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const reason = e?.code ? REASONS[e.code] : undefined;
  return reason ? `${reason} (${e.code})` : String(e?.message ?? error);
}

/**
 * Writes a report to `path`, or to `stdout` when the path is `-`. A failure names the path and
 * says why, once: the caller reports it as "reporter NAME failed: …".
 */
export async function writeReport(
  path: string,
  data: ReportText,
  stdout: { write(text: string, done: (error?: Error | null) => void): unknown },
): Promise<void> {
  try {
    if (path === "-") {
      for (const text of batched(data)) {
        await new Promise<void>((resolve, reject) =>
          stdout.write(text, (error) => (error ? reject(error) : resolve())),
        );
      }
      return;
    }
    await writeFileAtomic(path, data);
  } catch (error) {
    throw new Error(
      `could not write ${path === "-" ? "standard output" : path}: ${writeFailure(error)}`,
    );
  }
}
