// The TAT emulator: a local node:http server that behaves like the documented TAT API
// (signatures, limits, errors, timelines), driven by a scenario. Used by tests and demos.
export { type Clock, type ManualClock, manualClock, scaledClock } from "./clock.js";
export type { Duration } from "./duration.js";
export { type FleetOptions, generateFleet } from "./fleet.js";
export { buildScenario, loadScenario, parseScenario } from "./scenario.js";
export type {
  RawCredential,
  RawFleet,
  RawInvocation,
  RawScenario,
  RawTask,
  RawTaskFields,
} from "./scenario-build.js";
export { SCENARIO_SCHEMA } from "./scenario-schema.js";
export {
  type Emulator,
  type EmulatorOptions,
  type EmulatorStats,
  startEmulator,
} from "./server.js";
export type {
  EmulatorCredential,
  FaultRule,
  Scenario,
  ScenarioInvocation,
  ScenarioTask,
  TimelineEntry,
} from "./types.js";
