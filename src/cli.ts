#!/usr/bin/env node
// The bin entry. Signal handlers come first (a static import with no imports of its own), so a
// cancel during start-up is handled like any other; heavy modules load lazily so --version and
// --help answer at once.
import { signal } from "./cli/early-signals.js";

// Everything else is loaded after the signal handlers are in place, the compile cache included.
// V8's compiled code for our modules and the dependencies' is kept on disk (Node's own cache
// folder in the OS temp dir) and reused by the next run, as tsc does: starting up is mostly
// compiling about 200 modules. Node 22.1 and later; Node 20 has no such cache and runs as before.
(await import("node:module")).enableCompileCache?.();
// The heap policy (heap-policy.ts) is set by main() for the commands that wait on tasks only.

const argv = process.argv.slice(2);
let code: number;
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "version")) {
  const { VERSION } = await import("./version.js");
  process.stdout.write(`${VERSION}\n`);
  code = 0;
} else {
  const { main } = await import("./cli/main.js");
  code = await main(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    signal,
  });
}
process.exitCode = code;
// The process always ends: a reporter abandoned after its time, or a socket kept alive, must not
// hold a CI job. Leave once what was written has reached stdout and stderr.
const flushed = (stream: NodeJS.WriteStream) =>
  new Promise<void>((done) => stream.write("", () => done()));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);
