// The library: the same pipeline the CLI runs, stage by stage, for tools that embed tat-assert.

export { type CredentialOptions, resolveCredentials } from "./credentials/chain.js";
export {
  type CredentialProvider,
  type Credentials,
  staticCredentials,
} from "./credentials/types.js";
export { loadScenario, manualClock, parseScenario, startEmulator } from "./emulator/index.js";
export * from "./errors.js";
export { EXIT, type ExitCode } from "./exit-code.js";
export { type GateIo, type GateOptions, loadGateSpecs, runGate } from "./gate.js";
export { evaluate } from "./match/evaluate.js";
export { SpecTally } from "./match/tally.js";
export type * from "./model.js";
export { type Probe, plan } from "./plan/plan.js";
export { consoleReporter } from "./report/console.js";
export { automaticReporters, createReporters, type ReporterContext } from "./report/registry.js";
export type { Reporter, RunStart, SpecProgress } from "./report/reporter.js";
export { type RunInput, run } from "./run.js";
export { parseShard, type Shard, shardFiles } from "./shard.js";
export { type LoadResult, loadSpecFiles, parseSpecs } from "./spec/load.js";
export { runReport, specReport } from "./summarize.js";
export { type CallOptions, TatClient, type TatClientOptions } from "./tat/client.js";
export { listInvocations, listInvocationTasks } from "./tat/paginate.js";
export { sign } from "./tat/sign.js";
export { VERSION } from "./version.js";
export { type BatchingOptions, batchingReader } from "./wait/batching-reader.js";
export { type ObserveDeps, observe } from "./wait/observe.js";
export { type TatReader, tatReader } from "./wait/tat-reader.js";
