// `tat-assert --replay scenario.yml specs…`: the gate against an in-process emulator serving a
// scenario (usually one `tat-assert record` wrote): no network, no credentials. By default the
// emulator starts at the end of the recording, so every task shows what it finally did at the first
// poll; `--replay-speed N` plays the recorded timelines instead, N scenario seconds per second.

import { homedir } from "node:os";
import { staticCredentials } from "../credentials/types.js";
import type { Clock } from "../emulator/clock.js";
import { loadScenario, startEmulator } from "../emulator/index.js";
import type { Scenario } from "../emulator/types.js";
import { TatAssertError, UsageError } from "../errors.js";
import { envSecrets, type GateOptions, runGate } from "../gate.js";
import type { CliIo } from "./main.js";

/** Real time, shifted once the emulator has taken its origin. */
function shiftedClock(): Clock & { shift(ms: number): void } {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    shift(ms: number) {
      offset += ms;
    },
  };
}

/** When the last recorded step happens, in scenario ms (0 for a scenario with no steps). */
export function scenarioEndMs(scenario: Scenario): number {
  let end = 0;
  for (const inv of scenario.invocations)
    for (const task of inv.tasks) for (const step of task.timeline) end = Math.max(end, step.atMs);
  return end;
}

export async function runReplay(
  file: string,
  speed: number | undefined,
  options: Omit<GateOptions, "credentials" | "credentialProvider" | "endpoint">,
  io: CliIo,
): Promise<number> {
  const scenario = await loadScenario(file).catch((error: unknown) => {
    if (error instanceof TatAssertError) throw error;
    throw new UsageError(`cannot read --replay file ${file} (${unreadable(error)})`);
  });
  const credential = scenario.credentials[0];
  if (!credential) {
    throw new UsageError(`${file} declares no credentials: add an emulator-only pair to replay it`);
  }
  const clock = shiftedClock();
  const emulator = await startEmulator({
    scenario,
    ...(speed === undefined ? { clock } : { speed }),
  });
  if (speed === undefined) clock.shift(scenarioEndMs(scenario) + 1000);
  try {
    const region = options.region ?? io.env.TENCENTCLOUD_REGION ?? scenario.recorded?.region;
    const report = await runGate(
      {
        ...options,
        ...(region !== undefined && { region }),
        endpoint: emulator.url,
        ...(emulator.cosUrl && { cosEndpoint: emulator.cosUrl }),
        credentials: {},
        credentialProvider: staticCredentials(credential, `replay of ${file}`),
        // Not used, but a recording may hold them (a hand-written one, or one a runbook printed
        // them into): masked like any secret.
        mask: [...(options.mask ?? []), ...envSecrets(io.env)],
        // Written over, the recording would be lost with the run that read it.
        inputs: [...(options.inputs ?? []), { path: file, what: "--replay file" }],
      },
      // The replay answers for the account: no key from the environment is read or needed.
      { ...io, env: withoutCredentials(io.env), homeDir: homedir() },
    );
    return report.exitCode;
  } finally {
    await emulator.close();
  }
}

function withoutCredentials(env: Record<string, string | undefined>) {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    if (!/^TENCENTCLOUD_(SECRET|SESSION|TOKEN|SECURITY)/.test(k)) out[k] = v;
  }
  return out;
}

/** Why a file could not be read, in words; the errno stays for the rest. */
function unreadable(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "not found";
  if (code === "EISDIR") return "a folder";
  if (code === "EACCES") return "permission denied";
  return code ?? String(error);
}
