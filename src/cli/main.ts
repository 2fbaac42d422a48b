// The command line: argv → options → the gate; the one catch-all that turns errors into exit codes.
import { homedir } from "node:os";
import { formatIssue, SpecError, TatAssertError } from "../errors.js";
import { EXIT, exitCodeForError } from "../exit-code.js";
import { type GateIo, loadGateSpecs, runGate } from "../gate.js";
import { VERSION } from "../version.js";
import { type GateArgs, parseCommandLine, USAGE } from "./args.js";

/** The process as the bin hands it in: a part of GateIo, so the two cannot drift apart. */
export type CliIo = Pick<GateIo, "stdout" | "stderr" | "env" | "cwd" | "signal">;

export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    const args = parseCommandLine(argv);
    switch (args.command) {
      case "help":
        io.stdout.write(USAGE);
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
      case "demo": {
        const { runDemo } = await import("./demo.js");
        return await runDemo(args.failing, args.argv, io);
      }
      case "validate":
        return await validate(args, io);
      case "run":
        return await gate(args, io);
    }
  } catch (error) {
    return reportError(error, io.stderr);
  }
}

async function validate(args: GateArgs, io: CliIo): Promise<number> {
  const specs = await loadGateSpecs(args.patterns, io);
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

export function reportError(error: unknown, stderr: NodeJS.WritableStream): number {
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
