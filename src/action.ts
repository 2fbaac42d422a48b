// The bundle entry of the GitHub Action (runs.using: node24, main: action-dist/index.mjs).

import { runAction } from "./action/main.js";
import { reportError } from "./cli/main.js";
import { abortOnSignals } from "./cli/signals.js";

// A cancelled job: the runner sends SIGINT, then SIGTERM; handled as in the CLI.
const signal = abortOnSignals();

process.exitCode = await runAction({
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.env.GITHUB_WORKSPACE || process.cwd(),
  signal,
}).catch((error: unknown) => reportError(error, process.stderr));
