// `tat-assert demo --run`: a runbook from examples/ really runs, through the emulator's local
// agent (sh -c in a temporary directory on this machine), and is judged by `tat-assert run` —
// the author's loop with no cloud account. `--failing` runs the same runbook with a bug.
import { UsageError } from "../errors.js";
import { launchHook } from "../launch/gate-hook.js";
import { gateOnEmulator, root } from "./demo.js";
import type { CliIo } from "./main.js";

const dir = "examples/emulator-demo/runbook";

export async function runDemoRun(argv: string[], io: CliIo, failing = false): Promise<number> {
  const extra = argv.filter((a) => a !== "--run");
  if (extra.length > 0)
    throw new UsageError(`tat-assert demo --run takes no other argument: ${extra.join(" ")}`);
  const spec = `${root}${dir}/${failing ? "release-failing" : "release"}.yml`;
  return gateOnEmulator(`${root}${dir}/scenario.yml`, [spec], io, {
    banner: (url) =>
      `TAT emulator on ${url} with the local agent: the runbook really runs here (sh -c, in a temporary directory)`,
    localExec: true,
    launch: launchHook({ cancel: true, print: (line) => io.stdout.write(`${line}\n`) }),
  });
}
