// GitHub Action entry point (bundled into action-dist/index.mjs): inputs → the CLI's options →
// the same run → step outputs. The console output and exit code are the CLI's.
import { homedir } from "node:os";
import { reportError } from "../cli/main.js";
import { EXIT } from "../exit-code.js";
import { runGate } from "../gate.js";
import type { RunReport } from "../model.js";
import { readInputs } from "./inputs.js";
import { maskCommand, writeOutputs } from "./outputs.js";

export interface ActionIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
  cwd: string;
  signal?: AbortSignal;
  fetch?: typeof globalThis.fetch;
}

export async function runAction(io: ActionIo): Promise<number> {
  // Secrets are masked before anything else is printed, even before inputs are checked.
  for (const name of ["SECRET-KEY", "SESSION-TOKEN", "GITHUB-TOKEN"]) {
    const v = io.env[`INPUT_${name}`]?.trim();
    if (v) io.stdout.write(maskCommand(v));
  }
  let exitCode: number;
  let report: RunReport | undefined;
  let failOn: "any" | "never" = "any";
  try {
    const inputs = readInputs(io.env);
    failOn = inputs.failOn;
    report = await runGate(inputs.gate, {
      stdout: io.stdout,
      stderr: io.stderr,
      env: io.env,
      cwd: io.cwd,
      homeDir: homedir(),
      ...(io.signal && { signal: io.signal }),
      ...(io.fetch && { fetch: io.fetch }),
    });
    exitCode = report.exitCode;
  } catch (error) {
    exitCode = reportError(error, io.stdout);
    io.stdout.write(`::error title=tat-assert::${escapeData(firstLine(error))}\n`);
  }
  const reporters = (readInputsSafe(io.env)?.gate.reporters ?? []).filter((r) => r.includes(":"));
  await writeOutputs(io.env.GITHUB_OUTPUT, {
    result: resultName(exitCode),
    "exit-code": String(exitCode),
    passed: String(report?.counts.pass ?? 0),
    failed: String(report?.counts.fail ?? 0),
    errors: String(report?.counts.error ?? 0),
    skipped: String(report?.counts.skip ?? 0),
    "junit-path": reporters.find((r) => r.startsWith("junit:"))?.slice("junit:".length) ?? "",
    "json-path": reporters.find((r) => r.startsWith("json:"))?.slice("json:".length) ?? "",
  });
  return failOn === "never" ? EXIT.PASS : exitCode;
}

function resultName(exitCode: number): "passed" | "failed" | "error" {
  if (exitCode === EXIT.PASS) return "passed";
  if (exitCode === EXIT.FAIL) return "failed";
  return "error";
}

function readInputsSafe(env: Record<string, string | undefined>) {
  try {
    return readInputs(env);
  } catch {
    return undefined;
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}

function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
