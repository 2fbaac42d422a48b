// The bundle entry of the GitHub Action (runs.using: node24, main: action-dist/index.mjs).

import { runAction } from "./action/main.js";
import { reportError } from "./cli/main.js";

const controller = new AbortController();
let signals = 0;
// A cancelled job: the runner sends SIGINT, then SIGTERM. As in the CLI, the first stops the wait
// and still writes the reports (exit 3); a second leaves at once.
const onSignal = (name: NodeJS.Signals) => {
  signals++;
  if (signals > 1) process.exit(3);
  process.stderr.write(`\ntat-assert: ${name} received: stopping the wait and writing reports\n`);
  controller.abort(new Error(`cancelled by ${name}`));
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

process.exitCode = await runAction({
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.env.GITHUB_WORKSPACE || process.cwd(),
  signal: controller.signal,
}).catch((error: unknown) => reportError(error, process.stderr));
