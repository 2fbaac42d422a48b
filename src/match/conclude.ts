// The fleet rules over the tasks' verdicts: zero tasks, coverage, quorum, an unfinished wait, and
// how fail-fast's stop reads. Shared by the streaming judge (tally.ts) and evaluate().
import type {
  AssertionResult,
  Observation,
  ObservedTask,
  Outcome,
  Spec,
  SpecVerdict,
  TaskVerdict,
} from "../model.js";
import { coverageCheck } from "./coverage-check.js";
import { worst } from "./outcome.js";
import { quorumCheck } from "./quorum-check.js";
import { tasksCheck } from "./tasks-check.js";
import { waitCheck } from "./wait-check.js";

/** The spec's verdict from its tasks' verdicts: `verdictOf` gives each task's, in the order of
 * `observation.tasks`; `consistency` gives the `fleet:` rules' results over them. */
export function conclude(
  spec: Spec,
  observation: Observation,
  verdictOf: (task: ObservedTask) => TaskVerdict,
  consistency?: (tasks: readonly TaskVerdict[]) => AssertionResult[],
): SpecVerdict {
  if (spec.skip || observation.state === "skipped") return skipped(spec);
  const tasks = observation.tasks.map(verdictOf);
  const fleet: AssertionResult[] = [tasksCheck(spec, observation)];
  if (spec.coverage) fleet.push(coverageCheck(spec.coverage, observation));
  // Stopped early: the quorum is judged as if every task not waited for had passed. When it does
  // not hold even so, the tasks that were judged decide it, and that stands.
  let decided: AssertionResult | undefined;
  if (spec.quorum) {
    const quorum = quorumCheck(spec.quorum, tasks);
    if (observation.state === "stopped" && quorum.outcome === "error") {
      const best = quorumCheck(
        spec.quorum,
        tasks.map((t) => (t.outcome === "skip" ? { ...t, outcome: "pass" as const } : t)),
      );
      if (best.outcome !== "pass") {
        decided = {
          ...best,
          message: `${best.message} (even if every task not waited for had passed)`,
        };
      }
    }
    fleet.push(decided ?? quorum);
  }
  if (consistency) fleet.push(...consistency(tasks));
  const wait = waitCheck(spec, observation);
  if (wait) fleet.push(wait);
  if (observation.state === "stopped") {
    // Stopped by fail-fast: what could not be checked was not waited for; it is not an error.
    for (const [i, r] of fleet.entries()) {
      if (r.outcome === "error" && r !== decided) {
        fleet[i] = { ...r, outcome: "skip", message: `not checked, stopped early: ${r.message}` };
      }
    }
  }
  // With a quorum, task outcomes reach the spec only through the quorum result.
  const outcomes: Outcome[] = fleet.map((r) => r.outcome);
  // One per task: spread into push, 100,000 of them overflowed the call stack.
  if (!spec.quorum) for (const t of tasks) outcomes.push(t.outcome);
  let outcome = worst(outcomes);
  // Stopped early (fail-fast) with nothing failed: unfinished tasks were not checked, so the spec
  // did not pass either.
  if (
    observation.state === "stopped" &&
    outcome === "pass" &&
    tasks.some((t) => t.outcome === "skip")
  ) {
    outcome = "skip";
  }
  return { outcome, tasks, fleet };
}

export function skipped(spec: Spec): SpecVerdict {
  const reason = spec.skip?.value;
  return {
    outcome: "skip",
    tasks: [],
    fleet: [
      {
        check: "tasks",
        outcome: "skip",
        expected: "not checked",
        actual: "not polled",
        message: reason ? `skipped: ${reason}` : "skipped",
        where: spec.skip?.where ?? spec.where,
      },
    ],
  };
}
