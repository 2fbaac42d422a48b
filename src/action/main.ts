// GitHub Action entry point (bundled into action-dist/index.mjs): inputs → the CLI's options →
// the same runGate → step outputs. The console output, the error messages and the exit code are
// the CLI's; the step fails with the console's closing lines.
import { existsSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { resolve } from "node:path";
import { Writable } from "node:stream";
import { type CliIo, reportError } from "../cli/main.js";
import { SpecError } from "../errors.js";
import { EXIT } from "../exit-code.js";
import { envSecrets, type GateIo, runGate } from "../gate.js";
import { launchHook } from "../launch/gate-hook.js";
import type { RunReport } from "../model.js";
import { closingLines } from "../report/console.js";
import { repoPath } from "../report/findings.js";
import { createRedactor, safeStream } from "../report/sanitize.js";
import { type ActionInputs, readInputs, secretInputs } from "./inputs.js";
import { maskCommand, resultName, stepMessage, writeOutputs } from "./outputs.js";

export interface ActionIo extends CliIo, Pick<GateIo, "fetch"> {
  /** @default os.homedir() */
  homeDir?: string;
}

/** Exit codes that `fail-on: never` still fails on: the action is misconfigured or broken. */
const ALWAYS_FAIL: readonly number[] = [EXIT.INVALID, EXIT.INTERNAL];

/** Runs the gate as a step; returns the step's exit code. */
export async function runAction(io: ActionIo): Promise<number> {
  // A report file older than this run is a leftover, not this run's report.
  const startedAt = Date.now() - 1000;
  // Masked before anything else is printed, even before the inputs are checked.
  for (const secret of secretInputs(io.env)) io.stdout.write(maskCommand(secret));

  let inputs: ActionInputs | undefined;
  let report: RunReport | undefined;
  let exitCode: number;
  let message: string;
  let at: { file: string; line: number } | undefined;
  try {
    inputs = readInputs(io.env);
    // mode: run starts the `run:` specs (printing each invocation id at once); gate refuses them.
    const launch =
      inputs.mode === "run"
        ? launchHook({ cancel: inputs.cancel, print: (l) => io.stdout.write(`${l}\n`) })
        : undefined;
    report = await runGate(launch ? { ...inputs.gate, launch } : inputs.gate, {
      stdout: io.stdout,
      stderr: io.stderr,
      env: io.env,
      cwd: io.cwd,
      homeDir: io.homeDir ?? homedir(),
      ...(io.signal && { signal: io.signal }),
      ...(io.fetch && { fetch: io.fetch }),
    });
    exitCode = report.exitCode;
    message = closingLines(report).join("\n");
  } catch (error) {
    // The CLI's own words, printed where the CLI prints them, and kept for the step's annotation.
    let code: number = EXIT.INTERNAL;
    const text = captured((stream) => {
      // Masked with every secret known here: the inputs and the environment's.
      const secrets = [...secretInputs(io.env), ...envSecrets(io.env)];
      code = reportError(error, safeStream(stream, createRedactor(secrets)));
    });
    io.stderr.write(text);
    exitCode = code;
    message = text;
    const first = error instanceof SpecError ? error.issues[0] : undefined;
    if (first) {
      at = {
        file: repoPath(first.where.file, io.cwd, io.env.GITHUB_WORKSPACE),
        line: first.where.line,
      };
    }
  }

  const failOn = inputs?.failOn ?? "any";
  const stepCode = failOn === "never" && !ALWAYS_FAIL.includes(exitCode) ? EXIT.PASS : exitCode;
  if (exitCode !== EXIT.PASS) {
    io.stdout.write(stepMessage(stepCode === EXIT.PASS ? "warning" : "error", message, at));
  }
  // A path is an output only when its report was written: it exists now and no reporter failed on
  // it (a run stopped before its first poll still writes its reports).
  const written = (name: "junit" | "json" | "html", path: string | undefined): string => {
    if (!path || !existsSync(resolve(io.cwd, path)) || writtenAt(resolve(io.cwd, path)) < startedAt)
      return "";
    const failed = report?.errors.some((e) => e.kind === "reporter" && e.code?.startsWith(name));
    return failed ? "" : path;
  };
  const paths = {
    junit: written("junit", inputs?.reportPaths.junit),
    json: written("json", inputs?.reportPaths.json),
    html: written("html", inputs?.reportPaths.html),
  };
  const unwritten = await writeOutputs(io.env.GITHUB_OUTPUT, {
    result: resultName(exitCode, report),
    "exit-code": String(exitCode),
    passed: String(report?.counts.pass ?? 0),
    failed: String(report?.counts.fail ?? 0),
    errors: String(report?.counts.error ?? 0),
    skipped: String(report?.counts.skip ?? 0),
    "junit-path": paths.junit,
    "json-path": paths.json,
    "html-path": paths.html,
    "invocation-ids": (report?.launches ?? []).flatMap((l) => l.invocationIds).join(" "),
  }).then(
    () => undefined,
    (error: unknown) => error,
  );
  // The runner's file for step outputs could not be written: a later step reading `result` would
  // find nothing. A report of the run that could not be written (exit 5), not a bug in tat-assert
  // (exit 70, which an unhandled error here used to give).
  if (unwritten !== undefined) {
    const why = (unwritten as NodeJS.ErrnoException).code ?? "an error";
    io.stdout.write(
      stepMessage(
        "error",
        `the step's outputs could not be written to GITHUB_OUTPUT (${why}): a later step cannot read result, exit-code or the report paths`,
      ),
    );
    // As a report that could not be written: it turns only a pass into a failure of its own.
    return stepCode === EXIT.PASS ? EXIT.REPORT : stepCode;
  }
  return stepCode;
}

/** What `write` prints to a stream, as one string. */
function captured(write: (stream: NodeJS.WritableStream) => void): string {
  let text = "";
  write(
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        text += chunk.toString();
        done();
      },
    }),
  );
  return text;
}

function writtenAt(path: string): number {
  return statSync(path).mtimeMs;
}
