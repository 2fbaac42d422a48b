// `tat-assert demo`: the embedded default. Starts the TAT emulator on loopback with a demo
// scenario and runs the real gate against it over real HTTP, so a newcomer sees a realistic run
// (several instances, tasks that take a few seconds, output assertions) with no cloud account.
import { homedir } from "node:os";
import { fileURLToPath } from "node:url";
import { staticCredentials } from "../credentials/types.js";
import { loadScenario, startEmulator } from "../emulator/index.js";
import { UsageError } from "../errors.js";
import { type GateOptions, runGate } from "../gate.js";
import type { CliIo } from "./main.js";

export const root = fileURLToPath(new URL("../..", import.meta.url));

export async function runDemo(
  failing: boolean,
  argv: string[],
  io: CliIo,
  o: { explain?: boolean } = {},
): Promise<number> {
  if (argv.length > 0)
    throw new UsageError(`tat-assert demo takes only --failing, not ${argv.join(" ")}`);
  const scenarioFile = `${root}specs/scenarios/${failing ? "failing" : "demo"}.yml`;
  const patterns = failing ? [`${root}examples/emulator-demo/*.yml`] : [`${root}specs/*.yml`];
  return gateOnEmulator(scenarioFile, patterns, io, {
    banner: (url) => `TAT emulator on ${url} (scenario ${relativeToRoot(scenarioFile)})`,
    ...(o.explain && { explain: true }),
  });
}

/** The real gate over `patterns` against an emulator serving `scenarioFile` on loopback: the one
 * way every demo runs. */
export async function gateOnEmulator(
  scenarioFile: string,
  patterns: string[],
  io: CliIo,
  o: {
    banner: (url: string) => string;
    localExec?: boolean;
    launch?: GateOptions["launch"];
    explain?: boolean;
  },
): Promise<number> {
  const scenario = await loadScenario(scenarioFile);
  const emulator = await startEmulator({ scenario, ...(o.localExec && { localExec: true }) });
  try {
    const cred = emulator.credentials[0];
    if (!cred) throw new UsageError(`${relativeToRoot(scenarioFile)} declares no credentials`);
    io.stdout.write(`${o.banner(emulator.url)}\n`);
    const report = await runGate(
      {
        patterns,
        endpoint: emulator.url,
        ...(emulator.cosUrl && { cosEndpoint: emulator.cosUrl }),
        region: "ap-guangzhou",
        reporters: [],
        failFast: false,
        quiet: false,
        verbose: false,
        credentials: {},
        credentialProvider: staticCredentials(cred, "emulator demo credentials"),
        ...(o.launch && { launch: o.launch }),
        ...(o.explain && { explain: true }),
      },
      // The emulator is on loopback: never through a proxy the environment names.
      { ...io, cwd: root, homeDir: homedir(), fetch: globalThis.fetch },
    );
    return report.exitCode;
  } finally {
    await emulator.close();
  }
}

function relativeToRoot(path: string): string {
  return path.startsWith(root) ? path.slice(root.length) : path;
}
