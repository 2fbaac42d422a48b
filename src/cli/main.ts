// The command line: argv → options → the gate; the one catch-all that turns errors into exit codes.
import { homedir } from "node:os";
import { formatIssue, SpecError, TatAssertError } from "../errors.js";
import { EXIT, exitCodeForError } from "../exit-code.js";
import type { GateIo } from "../gate.js";
import { boundGarbage } from "../heap-policy.js";
import { envSecrets, loadGateSpecs } from "../load-specs.js";
import { createRedactor, logText, safeStream } from "../report/sanitize.js";
import { VERSION } from "../version.js";
import {
  DEMO_USAGE,
  type GateArgs,
  type HelpTopic,
  type ParsedArgs,
  parseCommandLine,
  USAGE,
  VALIDATE_USAGE,
} from "./args.js";

/** The process as the bin hands it in: a part of GateIo, so the two cannot drift apart. */
export type CliIo = Pick<GateIo, "stdout" | "stderr" | "env" | "cwd" | "signal" | "stdin">;

export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    const args = parseCommandLine(argv);
    if (WAITS_ON_TASKS[args.command]) boundGarbage();
    switch (args.command) {
      case "help":
        io.stdout.write(await usage(args.topic));
        return EXIT.PASS;
      case "version":
        io.stdout.write(`${VERSION}\n`);
        return EXIT.PASS;
      case "emulator": {
        const { runEmulatorCommand } = await import("../emulator/main.js");
        return await runEmulatorCommand(args.argv, io, io.signal);
      }
      case "record": {
        const { runRecord } = await import("./record.js");
        return await runRecord(args.argv, io);
      }
      case "launch": {
        const { runCommand } = await import("./run-command.js");
        return await runCommand(args.argv, io);
      }
      case "demo": {
        if (args.argv.includes("--run")) {
          const { runDemoRun } = await import("./demo-run.js");
          return await runDemoRun(args.argv, io, args.failing);
        }
        const { runDemo } = await import("./demo.js");
        return await runDemo(args.failing, args.argv, io);
      }
      case "validate":
        return await validate(args, io);
      case "run":
        return await gate(args, io);
      case "explain": {
        const { runExplain } = await import("./explain.js");
        return await runExplain(args, io, gate);
      }
    }
  } catch (error) {
    return reportError(error, safeStream(io.stderr, createRedactor(envSecrets(io.env))));
  }
}

/** Commands that wait on tasks and judge them, where a fleet's records pass through the heap:
 * only these need the heap policy. The others (validate above all: many small allocations, no
 * fleet) ran up to 30 % slower under it, for collections that freed nothing worth having. Every
 * command is listed, so a new one is a type error until it is placed. */
const WAITS_ON_TASKS: Record<ParsedArgs["command"], boolean> = {
  run: true,
  explain: true,
  launch: true,
  record: true,
  demo: true,
  validate: false,
  help: false,
  version: false,
  emulator: false,
};

async function usage(topic: HelpTopic | undefined): Promise<string> {
  switch (topic) {
    case undefined:
      return USAGE;
    case "validate":
      return VALIDATE_USAGE;
    case "demo":
      return DEMO_USAGE;
    case "emulator":
      return (await import("../emulator/main.js")).EMULATOR_USAGE;
    case "explain":
      return (await import("./explain.js")).EXPLAIN_USAGE;
  }
}

async function validate(args: GateArgs, io: CliIo): Promise<number> {
  const specs = await loadGateSpecs(args.patterns, io, args.strict);
  io.stdout.write(`${specs.length} spec${specs.length === 1 ? "" : "s"} valid\n`);
  return EXIT.PASS;
}

async function gate(args: GateArgs, io: CliIo): Promise<number> {
  if (args.replay !== undefined) {
    const { runReplay } = await import("./replay.js");
    const { replay, replaySpeed, command: _command, ...options } = args;
    return await runReplay(replay, replaySpeed, { ...options, github: {} }, io);
  }
  const credentials = {
    ...(args.profile && { profile: args.profile }),
    ...(args.roleArn && { roleArn: args.roleArn }),
    ...(args.providerId && { providerId: args.providerId }),
    ...(args.oidcAudience && { oidcAudience: args.oidcAudience }),
    ...(args.stsEndpoint && { stsEndpoint: args.stsEndpoint }),
  };
  // Loaded for the commands that run a gate only: `validate` needs none of it.
  const { runGate } = await import("../gate.js");
  const report = await runGate(
    {
      ...args,
      credentials,
      github: {
        ...(args.githubToken && { token: args.githubToken }),
        ...(args.checkName && { checkName: args.checkName }),
      },
    },
    { ...io, homeDir: homedir() },
  );
  return report.exitCode;
}

export function reportError(error: unknown, stream: NodeJS.WritableStream): number {
  // Messages quote spec values and API answers: printed through the sanitiser, never raw.
  const stderr = { write: (text: string) => stream.write(logText(text)) };
  if (error instanceof SpecError) {
    for (const issue of error.issues) stderr.write(`${formatIssue(issue)}\n`);
    stderr.write(`${error.issues.length} problem${error.issues.length === 1 ? "" : "s"} found\n`);
    return EXIT.INVALID;
  }
  if (error instanceof TatAssertError) {
    stderr.write(`tat-assert: ${error.message}\n`);
    return exitCodeForError(error.kind);
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  stderr.write(`tat-assert: internal error, please report it:\n${detail}\n`);
  return EXIT.INTERNAL;
}
