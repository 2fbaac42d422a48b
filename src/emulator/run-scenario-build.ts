// Schema-valid `instances`, `commands`, `onRun` and `dropAfterCreate` → the RunScenario, with the
// checks a schema cannot express (ids used twice, timelines that do not parse).

import type {
  RawDropAfterCreate,
  RawInstance,
  RawRunRule,
  RawSavedCommand,
  RunScenario,
} from "./run-types.js";
import type { DataPath } from "./source-map.js";
import { parseTimeline } from "./timeline-parse.js";

/** The scenario keys of this file, as written. */
export interface RawRunFields {
  instances?: RawInstance[];
  commands?: RawSavedCommand[];
  onRun?: RawRunRule[];
  dropAfterCreate?: RawDropAfterCreate;
}

type Report = (path: DataPath, message: string, fix?: string) => void;

/** Undefined when the scenario has none of the keys. */
export function buildRunScenario(raw: RawRunFields, report: Report): RunScenario | undefined {
  if (!raw.instances && !raw.commands && !raw.onRun && !raw.dropAfterCreate) return undefined;
  const seen = new Set<string>();
  for (const [i, inst] of (raw.instances ?? []).entries()) {
    if (seen.has(inst.id))
      report(["instances", i, "id"], `instance \`${inst.id}\` is listed twice`);
    seen.add(inst.id);
  }
  const commandIds = new Set<string>();
  for (const [i, c] of (raw.commands ?? []).entries()) {
    if (commandIds.has(c.id)) report(["commands", i, "id"], `command \`${c.id}\` is listed twice`);
    commandIds.add(c.id);
    if (c.enableParameter === false && c.defaultParameters) {
      report(
        ["commands", i, "defaultParameters"],
        "default parameters need enableParameter",
        "remove `enableParameter: false`",
      );
    }
  }
  for (const [i, rule] of (raw.onRun ?? []).entries()) {
    if (rule.timeline === undefined) continue;
    const parsed = parseTimeline(rule.timeline);
    if ("problem" in parsed) {
      report(["onRun", i, "timeline"], parsed.problem);
      continue;
    }
    const last = parsed.entries[parsed.entries.length - 1]?.status;
    if (last === "SUCCESS" && rule.exitCode !== undefined && rule.exitCode !== 0) {
      report(["onRun", i, "exitCode"], "a task that ends in SUCCESS exits 0", "end it in FAILED");
    }
    if (last === "FAILED" && rule.exitCode === 0) {
      report(["onRun", i, "exitCode"], "a task that ends in FAILED exits non-zero");
    }
  }
  const run: RunScenario = { commands: raw.commands ?? [], onRun: raw.onRun ?? [] };
  if (raw.instances) run.instances = raw.instances;
  if (raw.dropAfterCreate) run.dropAfterCreate = raw.dropAfterCreate;
  return run;
}
