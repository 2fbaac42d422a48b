// Verdicts + observations → the RunReport, the only thing reporters receive. Computes the exit
// code through exit-code.ts so there is one mapping.
import { EXIT, type ExitCode, exitCodeForOutcome, worstExitCode } from "./exit-code.js";
import { worst } from "./match/outcome.js";
import type {
  Counts,
  Observation,
  Outcome,
  RunReport,
  Spec,
  SpecReport,
  SpecVerdict,
  TaskReport,
} from "./model.js";

export function emptyCounts(): Counts {
  return { pass: 0, fail: 0, error: 0, skip: 0 };
}

export function specReport(spec: Spec, observation: Observation, verdict: SpecVerdict): SpecReport {
  const byId = new Map(observation.tasks.map((t) => [t.taskId, t]));
  const tasks: TaskReport[] = [];
  const counts = emptyCounts();
  for (const v of verdict.tasks) {
    const observed = byId.get(v.taskId);
    if (!observed) continue;
    tasks.push({ ...v, observed });
    counts[v.outcome]++;
  }
  const { tasks: _omit, ...observationSummary } = observation;
  const report: SpecReport = {
    name: spec.name,
    file: spec.file,
    where: spec.where,
    target: spec.target,
    outcome: verdict.outcome,
    observation: observationSummary,
    tasks,
    fleet: verdict.fleet,
    counts,
    durationMs: Date.parse(observation.endedAt) - Date.parse(observation.startedAt),
  };
  if (spec.region) report.region = spec.region;
  return report;
}

export function specExitCode(report: SpecReport): ExitCode {
  // The API refusing is its own class of problem: the user must fix credentials or permissions.
  if (report.observation.state === "api-error") return EXIT.API;
  return exitCodeForOutcome(report.outcome);
}

export interface RunSummaryInput {
  version: string;
  startedAt: number;
  endedAt: number;
  specs: SpecReport[];
  errors?: RunReport["errors"];
  /** Exit codes from problems outside any spec (credentials, reporters). */
  extraExitCodes?: ExitCode[];
}

export function runReport(input: RunSummaryInput): RunReport {
  const counts = emptyCounts();
  for (const s of input.specs) counts[s.outcome]++;
  const errors = input.errors ?? [];
  const exitCode = worstExitCode([
    ...input.specs.map(specExitCode),
    ...(input.extraExitCodes ?? []),
  ]);
  const outcomes: Outcome[] = input.specs.map((s) => s.outcome);
  if (errors.length > 0) outcomes.push("error");
  return {
    reportVersion: 1,
    tool: { name: "tat-assert", version: input.version },
    startedAt: new Date(input.startedAt).toISOString(),
    endedAt: new Date(input.endedAt).toISOString(),
    durationMs: input.endedAt - input.startedAt,
    // No spec at all never passes: nothing was verified.
    outcome: input.specs.length === 0 ? "error" : worst(outcomes),
    exitCode,
    specs: input.specs,
    counts,
    errors,
  };
}
