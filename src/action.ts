// The bundle entry of the GitHub Action (runs.using: node24, main: action-dist/index.mjs).
// A cancelled job: the runner sends SIGINT, then SIGTERM; handled as in the CLI, from the start.
import { signal } from "./cli/early-signals.js";

// Before the rest is loaded: a fleet run's memory is mostly garbage otherwise (heap-policy.ts).
(await import("./heap-policy.js")).boundGarbage();

const { runAction } = await import("./action/main.js");
const { reportError } = await import("./cli/main.js");

const code = await runAction({
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.env.GITHUB_WORKSPACE || process.cwd(),
  signal,
}).catch((error: unknown) => reportError(error, process.stderr));
process.exitCode = code;
// As the CLI: the step always ends, whatever a reporter left running.
const flushed = (stream: NodeJS.WriteStream) =>
  new Promise<void>((done) => stream.write("", () => done()));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);
