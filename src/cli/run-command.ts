// `tat-assert run [options] SPEC...`: start the `run:` specs' commands, then judge them like the
// gate does. It says what it will start before starting it; --dry-run stops there; --no-cancel
// leaves unfinished tasks running when the wait ends early.
import { homedir } from "node:os";
import { Readable, Writable } from "node:stream";
import { UsageError } from "../errors.js";
import { EXIT } from "../exit-code.js";
import { envSecrets, loadGateSpecs, runGate, STDIN_NAME } from "../gate.js";
import { launchHook } from "../launch/gate-hook.js";
import { describeLaunch } from "../launch/launch.js";
import { readStdin } from "../load-specs.js";
import { createRedactor, logText } from "../report/sanitize.js";
import { type Shard, shardFiles } from "../shard.js";
import { LIMITS } from "../spec/limits.js";
import { parseCommandLine } from "./args.js";
import { expandSpecPatterns } from "./expand.js";
import type { CliIo } from "./main.js";

export const RUN_USAGE = `Usage: tat-assert run [options] <spec files or globs...>

Starts the command of every spec with \`run:\` (RunCommand, or InvokeCommand of a saved
command), prints the invocation ids, waits for the tasks and judges them like the gate.
Specs with \`target:\` are judged as usual. See docs/run.md.

  --dry-run      print what would be started (command, instances, region), start nothing
  --no-cancel    when the wait ends early (deadline, Ctrl-C, --fail-fast), leave unfinished
                 tasks running instead of cancelling them with CancelInvocation

Every option of \`tat-assert --help\` applies (--region, --endpoint, --timeout, --reporter,
--fail-fast, credentials, …).
`;

export async function runCommand(argv: string[], io: CliIo): Promise<number> {
  const dryRun = argv.includes("--dry-run");
  const cancel = !argv.includes("--no-cancel");
  // The common parser answers --help too: with spec files it is a usage error there, never an
  // exit 0 that started and checked nothing.
  const parsed = parseCommandLine(argv.filter((a) => a !== "--dry-run" && a !== "--no-cancel"));
  if (parsed.command === "help" && parsed.topic === undefined) {
    io.stdout.write(RUN_USAGE);
    return EXIT.PASS;
  }
  if (parsed.command !== "run") {
    throw new UsageError("tat-assert run takes options and spec files; see tat-assert run --help");
  }
  // A recording holds what tasks did; `run` starts commands. Taken as the gate's option it was
  // ignored, and the commands were started on the real endpoint instead of an offline replay.
  if (parsed.replay !== undefined) {
    throw new UsageError(
      "tat-assert run starts commands and cannot take --replay: to judge a recorded run offline, use tat-assert --replay FILE SPEC…",
    );
  }
  // The specs are read here and again by the gate; standard input can be read only once.
  // Past the limit, what was read stands for all of it: the gate then says it is too large.
  const stdinBytes = parsed.patterns.includes("-")
    ? ((await readStdin(io.stdin ?? process.stdin)) ?? Buffer.alloc(LIMITS.fileBytes + 1, " "))
    : undefined;
  const withStdin = <T extends CliIo>(base: T): T =>
    stdinBytes === undefined ? base : { ...base, stdin: Readable.from([stdinBytes]) };
  // Every file, not this job's share: a share may hold only `target:` specs. --strict applies
  // here too, or a preview would exit 0 on warnings the run refuses.
  // A run loads them again and prints their warnings then: printed here only for a preview.
  const quietIo = dryRun
    ? io
    : { ...io, stderr: new Writable({ write: (_c, _e, done) => done() }) };
  const specs = await loadGateSpecs(parsed.patterns, withStdin(quietIo), parsed.strict);
  if (!specs.some((s) => s.run)) {
    throw new UsageError(
      "no spec given to tat-assert run has `run:`: to judge tasks that already ran, use tat-assert SPEC",
    );
  }
  const region = parsed.region ?? io.env.TENCENTCLOUD_REGION;
  if (dryRun) {
    // The script is shown with what was interpolated into it: masked and made safe, as in a run.
    const mask = createRedactor(envSecrets(io.env));
    const say = (text: string) => io.stdout.write(logText(mask(text)));
    const share = await shareOf(parsed.patterns, io.cwd, parsed.shard);
    for (const spec of specs.filter((s) => s.run && !s.skip && share(s.file))) {
      for (const line of describeLaunch(spec, spec.region ?? region)) say(`${line}\n`);
    }
    io.stdout.write("--dry-run: nothing was started\n");
    return EXIT.PASS;
  }
  const report = await runGate(
    {
      ...parsed,
      credentials: {
        ...(parsed.profile && { profile: parsed.profile }),
        ...(parsed.roleArn && { roleArn: parsed.roleArn }),
        ...(parsed.providerId && { providerId: parsed.providerId }),
        ...(parsed.oidcAudience && { oidcAudience: parsed.oidcAudience }),
        ...(parsed.stsEndpoint && { stsEndpoint: parsed.stsEndpoint }),
      },
      github: {
        ...(parsed.githubToken && { token: parsed.githubToken }),
        ...(parsed.checkName && { checkName: parsed.checkName }),
      },
      launch: launchHook({ cancel, print: (line) => io.stdout.write(`${line}\n`) }),
    },
    { ...withStdin(io), homeDir: homedir() },
  );
  return report.exitCode;
}

/** Whether a spec file is in this job's share (--shard), as the run would take it; standard input
 * is in every share, as loadGateSpecs reads it in every job. */
async function shareOf(
  patterns: string[],
  cwd: string,
  shard: Shard | undefined,
): Promise<(file: string) => boolean> {
  if (!shard) return () => true;
  const files = patterns.filter((p) => p !== "-");
  const share = new Set(shardFiles(await expandSpecPatterns(files, cwd), shard));
  return (file) => file === STDIN_NAME || share.has(file);
}
