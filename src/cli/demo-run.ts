// `tat-assert demo --run`: a runbook from examples/ really runs, through the emulator's local
// agent (sh -c in a temporary directory on this machine), and is judged by `tat-assert run` —
// the author's loop with no cloud account.
import { homedir } from "node:os";
import { fileURLToPath } from "node:url";
import { staticCredentials } from "../credentials/types.js";
import { loadScenario, startEmulator } from "../emulator/index.js";
import { UsageError } from "../errors.js";
import { runGate } from "../gate.js";
import { launchHook } from "../launch/gate-hook.js";
import type { CliIo } from "./main.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dir = "examples/emulator-demo/runbook";

export async function runDemoRun(argv: string[], io: CliIo): Promise<number> {
  const extra = argv.filter((a) => a !== "--run");
  if (extra.length > 0)
    throw new UsageError(`tat-assert demo --run takes no other argument: ${extra.join(" ")}`);
  const scenario = await loadScenario(`${root}${dir}/scenario.yml`);
  const emulator = await startEmulator({ scenario, localExec: true });
  try {
    const cred = emulator.credentials[0];
    if (!cred) throw new UsageError(`${dir}/scenario.yml declares no credentials`);
    io.stdout.write(
      `TAT emulator on ${emulator.url} with the local agent: the runbook really runs here (sh -c, in a temporary directory)\n`,
    );
    const report = await runGate(
      {
        patterns: [`${root}${dir}/release.yml`],
        endpoint: emulator.url,
        region: "ap-guangzhou",
        reporters: [],
        failFast: false,
        quiet: false,
        verbose: false,
        credentials: {},
        credentialProvider: staticCredentials(cred, "emulator demo credentials"),
        launch: launchHook({ cancel: true, print: (line) => io.stdout.write(`${line}\n`) }),
      },
      { ...io, cwd: root, homeDir: homedir() },
    );
    return report.exitCode;
  } finally {
    await emulator.close();
  }
}
