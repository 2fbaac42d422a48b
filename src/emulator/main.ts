// `tat-assert emulator --scenario FILE`: serve a scenario on loopback for demos and manual tries.
// It prints the scenario's credentials on purpose: they are emulator-only demo values, and a user
// needs them to point tat-assert (or tccli, or an SDK) at the emulator.
import { parseArgs } from "node:util";
import { formatIssue, SpecError } from "../errors.js";
import { EXIT } from "../exit-code.js";
import { loadScenario } from "./scenario.js";
import { startEmulator } from "./server.js";

export const EMULATOR_USAGE = `Usage: tat-assert emulator --scenario FILE [--port N] [--host H] [--speed X] [--local-exec]

Serves a local emulator of the Tencent Cloud TAT API (DescribeInvocationTasks,
DescribeInvocations, RunCommand, InvokeCommand, CancelInvocation) driven by a
scenario file (see docs/scenario.md and docs/run.md).

  --scenario FILE   scenario file, YAML or JSON (required)
  --port N          TCP port (default 0: any free port)
  --host H          address to listen on (default 127.0.0.1)
  --speed X         scenario seconds per real second (default: the scenario's, else 1)
  --local-exec      REALLY RUN shell commands sent with RunCommand/InvokeCommand to Linux
                    instances, as local subprocesses (sh -c) on this machine (docs/run.md)
  -h, --help        show this help

Stops on Ctrl-C (SIGINT) or SIGTERM.
`;

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

type Parsed =
  | { help: true }
  | {
      help: false;
      scenario: string;
      port: number;
      host: string;
      speed: number | undefined;
      localExec: boolean;
    };

function parse(argv: string[]): Parsed {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      scenario: { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
      speed: { type: "string" },
      help: { type: "boolean", short: "h" },
      "local-exec": { type: "boolean" },
    },
  });
  if (values.help) return { help: true };
  if (positionals.length > 0) throw new Error(`unexpected argument \`${positionals[0]}\``);
  if (!values.scenario) throw new Error("--scenario FILE is required");
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be an integer from 0 to 65535, got \`${values.port}\``);
  }
  let speed: number | undefined;
  if (values.speed !== undefined) {
    speed = Number(values.speed);
    if (!Number.isFinite(speed) || speed <= 0) {
      throw new Error(`--speed must be a positive number, got \`${values.speed}\``);
    }
  }
  return {
    help: false,
    scenario: values.scenario,
    port,
    host: values.host ?? "127.0.0.1",
    speed,
    localExec: values["local-exec"] ?? false,
  };
}

function untilStopped(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      signal?.removeEventListener("abort", stop);
      resolve();
    };
    if (signal?.aborted) return resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    signal?.addEventListener("abort", stop, { once: true });
  });
}

export async function runEmulatorCommand(
  argv: string[],
  io: Io,
  signal?: AbortSignal,
): Promise<number> {
  let args: Parsed;
  try {
    args = parse(argv);
  } catch (err) {
    io.stderr.write(`tat-assert emulator: ${(err as Error).message}\n\n${EMULATOR_USAGE}`);
    return EXIT.INVALID;
  }
  if (args.help) {
    io.stdout.write(EMULATOR_USAGE);
    return EXIT.PASS;
  }
  let scenario: Awaited<ReturnType<typeof loadScenario>>;
  try {
    scenario = await loadScenario(args.scenario);
  } catch (err) {
    if (err instanceof SpecError) {
      io.stderr.write(`invalid scenario ${args.scenario}:\n`);
      for (const issue of err.issues) io.stderr.write(`  ${formatIssue(issue)}\n`);
    } else {
      io.stderr.write(`cannot read scenario ${args.scenario}: ${(err as Error).message}\n`);
    }
    return EXIT.INVALID;
  }
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator({
      scenario,
      host: args.host,
      port: args.port,
      ...(args.speed === undefined ? {} : { speed: args.speed }),
      localExec: args.localExec,
    });
  } catch (err) {
    io.stderr.write(`cannot listen on ${args.host}:${args.port}: ${(err as Error).message}\n`);
    return EXIT.INVALID;
  }
  const tasks = scenario.invocations.reduce((n, inv) => n + inv.tasks.length, 0);
  const lines = [
    `TAT emulator listening on ${emulator.url}`,
    `scenario ${args.scenario}: ${scenario.invocations.length} invocation(s), ${tasks} task(s)`,
    "accepted credentials (emulator-only values from the scenario, not real keys):",
    ...emulator.credentials.map(
      (c) =>
        `  TENCENTCLOUD_SECRET_ID=${c.secretId} TENCENTCLOUD_SECRET_KEY=${c.secretKey}` +
        (c.token ? ` TENCENTCLOUD_SESSION_TOKEN=${c.token}` : ""),
    ),
    ...(args.localExec
      ? ["--local-exec: shell commands sent to Linux instances RUN ON THIS MACHINE (sh -c)"]
      : []),
    `try: tat-assert --endpoint ${emulator.url} --region ap-guangzhou SPEC.yml`,
    "Ctrl-C stops it.",
  ];
  io.stdout.write(`${lines.join("\n")}\n`);
  await untilStopped(signal);
  await emulator.close();
  io.stdout.write("TAT emulator stopped\n");
  return EXIT.PASS;
}
