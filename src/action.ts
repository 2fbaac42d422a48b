// The bundle entry of the GitHub Action (runs.using: node24, main: action-dist/index.mjs).
import { runAction } from "./action/main.js";

const controller = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => controller.abort(new Error(`cancelled by ${signal}`)));
}
process.exitCode = await runAction({
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.env.GITHUB_WORKSPACE ?? process.cwd(),
  signal: controller.signal,
});
