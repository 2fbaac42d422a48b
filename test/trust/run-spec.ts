// The end of every review2 gate test: one spec's YAML, run against a TAT endpoint (the emulator,
// or a hostile server in front of it) on the test's manual clock, as the CLI runs it.
import { expect } from "@jest/globals";
import { staticCredentials } from "../../src/credentials/types.js";
import type { ManualClock } from "../../src/emulator/index.js";
import type { RunReport, Spec } from "../../src/model.js";
import { run } from "../../src/run.js";
import { parseSpecs } from "../../src/spec/load.js";
import { TatClient } from "../../src/tat/client.js";
import { RateLimiter } from "../../src/tat/rate-limiter.js";
import { tatReader } from "../../src/wait/tat-reader.js";

export interface SpecRun {
  endpoint: string;
  credential: { secretId: string; secretKey: string };
  clock: ManualClock;
  /** The spec; it must load without issues. */
  yaml: string;
  failFast: boolean;
}

export async function runSpec(o: SpecRun): Promise<RunReport> {
  const client = new TatClient({
    endpoint: o.endpoint,
    region: "ap-guangzhou",
    credentials: staticCredentials(o.credential),
    limiter: new RateLimiter(),
  });
  const { specs, issues } = parseSpecs(o.yaml, "spec.yml", { env: {} });
  expect(issues).toEqual([]);
  return await run({
    specs: specs as Spec[],
    api: tatReader(client),
    reporters: [],
    version: "test",
    now: () => o.clock.now(),
    sleep: async (ms) => o.clock.advance(ms),
    random: () => 0,
    failFast: o.failFast,
  });
}
