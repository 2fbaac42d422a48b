// The streaming judge of one spec: each task is judged the moment its full record arrives, and
// only its verdict is kept (check results, short excerpts), never its output. Running counts feed
// fail-fast without re-judging anything; the fleet rules run once at the end on these verdicts.
//
// Memory bound, per task: one TaskVerdict (a fixed number of results, one per check the spec
// declares) whose excerpts are each at most ~10 lines × 200 characters (excerpt.ts), identical
// excerpts stored once, all detached from the output (detach.ts). Nothing here grows with the
// size of an output, so 10,000 tasks with 24 KB outputs keep what 10,000 tasks with 2 KB keep.
import { detach } from "../detach.js";
import type {
  Counts,
  Observation,
  Spec,
  SpecVerdict,
  TaskObservation,
  TaskVerdict,
} from "../model.js";
import { buildPlan, type JudgePlan, judgeWithPlan } from "./capture-judge.js";
import type { CaptureScope } from "./capture-scope.js";
import { conclude } from "./conclude.js";
import { ConsistencyTally } from "./fleet-tally.js";

/** Passing tasks per spec whose output tails are kept: 1,000 × 2,000 characters is about the
 * 2 MiB a JUnit suite's output holds. */
export const PASSING_TAILS = 1_000;

export class SpecTally {
  private readonly base: JudgePlan;
  private readonly perInstance: Map<string, JudgePlan>;
  /** `fleet:` rules' running tallies of captured values. */
  private readonly consistency: ConsistencyTally | undefined;
  private readonly verdicts = new Map<string, TaskVerdict>();
  private passingTails = 0;
  /** Outcomes of the tasks judged so far. */
  readonly counts: Counts = { pass: 0, fail: 0, error: 0, skip: 0 };
  /** Of the tasks judged fail or error, the first in report order (instance, then task id), for
   * fail-fast's message: the same whatever order the records arrived in. */
  firstNotPassed: TaskVerdict | undefined;

  /** `scope`: the captures of the specs this one `needs:` (judged before it). */
  constructor(
    private readonly spec: Spec,
    scope?: CaptureScope,
  ) {
    this.base = buildPlan(spec.expect, scope);
    this.perInstance = new Map(
      spec.overrides.map((o) => [o.instanceId, buildPlan(o.expect, scope)]),
    );
    this.consistency = spec.consistency?.length
      ? new ConsistencyTally(spec.consistency)
      : undefined;
  }

  /** Judges a terminal task whose record is complete. The task's output is not kept. */
  add(task: TaskObservation): TaskVerdict {
    const verdict = judgeWithPlan(task, this.checksFor(task.instanceId));
    const excerpts = new Map<string, string>();
    for (const r of verdict.results) {
      if (r.excerpt === undefined) continue;
      // The tail excerpt of several failed `matches` is the same text: keep it once.
      let kept = excerpts.get(r.excerpt);
      if (kept === undefined) {
        kept = detach(r.excerpt);
        excerpts.set(r.excerpt, kept);
      }
      r.excerpt = kept;
    }
    const previous = this.verdicts.get(task.taskId);
    if (previous) this.counts[previous.outcome]--;
    this.consistency?.add(verdict, previous);
    this.verdicts.set(task.taskId, verdict);
    this.counts[verdict.outcome]++;
    if (
      (verdict.outcome === "fail" || verdict.outcome === "error") &&
      before(verdict, this.firstNotPassed)
    ) {
      this.firstNotPassed = verdict;
    }
    return verdict;
  }

  /** Whether the report needs the last lines of this task's output: always for a task that did
   * not pass; for passing ones only the first PASSING_TAILS of a spec, which is more than a JUnit
   * suite shows (2 MiB), so a spec's kept tails stay bounded however many tasks pass. */
  keepsTail(verdict: TaskVerdict): boolean {
    if (verdict.outcome !== "pass") return true;
    this.passingTails++;
    return this.passingTails <= PASSING_TAILS;
  }

  /** Tasks judged fail or error so far. */
  get notPassed(): number {
    return this.counts.fail + this.counts.error;
  }

  /** The spec's verdict over every task the wait saw: judged ones as judged, the others (not
   * terminal, or their record never came) judged now on what is known of them. */
  verdict(observation: Observation): SpecVerdict {
    const unfinished = observation.state === "stopped" ? "skip" : "error";
    const consistency = this.consistency;
    return conclude(
      this.spec,
      observation,
      (task) => {
        const judged = this.verdicts.get(task.taskId);
        if (judged) return judged;
        // No output is known for such a task: an output check on it is "not fetched", an error.
        return judgeWithPlan(task, this.checksFor(task.instanceId), unfinished);
      },
      consistency && ((tasks) => consistency.results(tasks)),
    );
  }

  /** Why the `fleet:` rules can no longer hold (values already differ), for fail-fast. */
  consistencyCannotPass(): string | undefined {
    return this.consistency?.cannotPass();
  }

  private checksFor(instanceId: string): JudgePlan {
    return this.perInstance.get(instanceId) ?? this.base;
  }
}

function before(a: TaskVerdict, b: TaskVerdict | undefined): boolean {
  if (!b) return true;
  return (a.instanceId.localeCompare(b.instanceId) || a.taskId.localeCompare(b.taskId)) < 0;
}
