// The streaming judge of one spec: each task is judged the moment its full record arrives, and
// only its verdict is kept (check results, short excerpts), never its output. Running counts feed
// fail-fast without re-judging anything; the fleet rules run once at the end on these verdicts.
//
// Memory bound, per task: one TaskVerdict (a fixed number of results, one per check the spec
// declares; results that are the same for many tasks are one shared object) whose excerpts are
// each at most ~10 lines × 200 characters (excerpt.ts), identical
// excerpts stored once, all detached from the output (detach.ts). Nothing here grows with the
// size of an output, so 10,000 tasks with 24 KB outputs keep what 10,000 tasks with 2 KB keep.
import { detach } from "../detach.js";
import { byCodeUnits } from "../locale-free.js";
import type {
  AssertionResult,
  Counts,
  Observation,
  RunningOutput,
  SourceLocation,
  Spec,
  SpecVerdict,
  TaskObservation,
  TaskVerdict,
} from "../model.js";
import { buildPlan, type JudgePlan, judgeWithPlan } from "./capture-judge.js";
import type { CaptureScope } from "./capture-scope.js";
import { toResult } from "./check.js";
import { conclude } from "./conclude.js";
import { ConsistencyTally } from "./fleet-tally.js";
import { worst } from "./outcome.js";
import { SharedResults } from "./shared-results.js";

/** Passing tasks per spec whose output tails are kept: 1,000 × 2,000 characters is about the
 * 2 MiB a JUnit suite's output holds. */
export const PASSING_TAILS = 1_000;

export class SpecTally {
  private readonly base: JudgePlan;
  private readonly perInstance: Map<string, JudgePlan>;
  /** `fleet:` rules' running tallies of captured values. */
  private readonly consistency: ConsistencyTally | undefined;
  /** Where each instance's override is declared, for the verdicts it judged. */
  private readonly overrideAt: Map<string, SourceLocation>;
  private readonly verdicts = new Map<string, TaskVerdict>();
  /** Results that many tasks share: one object each (shared-results.ts). */
  private readonly shared = new SharedResults();
  private passingTails = 0;
  /** Outcomes of the tasks judged so far. */
  readonly counts: Counts = { pass: 0, fail: 0, error: 0, skip: 0 };
  /** Of the tasks judged fail or error, the first in report order (instance, then task id), for
   * fail-fast's message: the same whatever order the records arrived in. */
  firstNotPassed: TaskVerdict | undefined;
  /** Hits found in the output of tasks still running (failEarly), by task, then by the index of
   * the check: only the finding (message, excerpt), never the output. Such a task counts as
   * failed from then on; its final record is still judged (add), and the hit stays. */
  private readonly early = new Map<string, Map<number, AssertionResult>>();
  /** Tasks counted as failed on an early hit, until their final verdict is counted instead. */
  private readonly countedEarly = new Set<string>();

  /** `scope`: the captures of the specs this one `needs:` (judged before it). `explain`: passing
   * output checks say where they were found (src/report/explain.ts). */
  constructor(
    private readonly spec: Spec,
    options: { explain?: boolean; scope?: CaptureScope } = {},
  ) {
    const o = { explain: options.explain ?? false };
    this.base = buildPlan(spec.expect, options.scope, o);
    this.perInstance = new Map(
      spec.overrides.map((v) => [v.instanceId, buildPlan(v.expect, options.scope, o)]),
    );
    this.overrideAt = new Map(spec.overrides.map((v) => [v.instanceId, v.where]));
    this.consistency = spec.consistency?.length
      ? new ConsistencyTally(spec.consistency)
      : undefined;
  }

  /** Whether any task of the spec (expect, or an override) has checks that judge output while
   * it runs: only then is running tasks' output read. */
  failsEarlyAnywhere(): boolean {
    return (
      this.base.checks.some((c) => c.early !== undefined) ||
      [...this.perInstance.values()].some((plan) => plan.checks.some((c) => c.early !== undefined))
    );
  }

  /** Whether some check for this instance judges output while the task runs. */
  failsEarly(instanceId: string): boolean {
    return this.checksFor(instanceId).checks.some((c) => c.early !== undefined);
  }

  /**
   * Judges the output so far of a running task with its failEarly checks. A hit fails the task at
   * once (counts, firstNotPassed: fail-fast sees it); returns the findings, or undefined when
   * there is none (yet). A task already judged, or already failed early, is not judged again.
   */
  addRunning(output: RunningOutput): AssertionResult[] | undefined {
    if (this.verdicts.has(output.taskId) || this.early.has(output.taskId)) return undefined;
    const found = new Map<number, AssertionResult>();
    const plan = this.checksFor(output.instanceId);
    // Keyed by the index of the result the final verdict will have: captures are judged first.
    const offset = plan.captures.length;
    for (const [i, check] of plan.checks.entries()) {
      const judgement = check.early?.(output.texts);
      if (!judgement) continue;
      const result = toResult(check, judgement);
      result.message = `${result.message} (seen while running, at ${output.at})`;
      result.seenWhileRunningAt = output.at;
      if (result.excerpt !== undefined) result.excerpt = detach(result.excerpt);
      found.set(offset + i, result);
    }
    if (found.size === 0) return undefined;
    this.early.set(output.taskId, found);
    this.countedEarly.add(output.taskId);
    this.counts.fail++;
    const verdict: TaskVerdict = {
      taskId: output.taskId,
      instanceId: output.instanceId,
      outcome: "fail",
      results: [...found.values()],
    };
    if (before(verdict, this.firstNotPassed)) this.firstNotPassed = verdict;
    return verdict.results;
  }

  /** Judges a terminal task whose record is complete. The task's output is not kept. */
  add(task: TaskObservation): TaskVerdict {
    const verdict = this.overridden(
      this.withEarly(judgeWithPlan(task, this.checksFor(task.instanceId), "error", this.shared)),
    );
    // Counted as failed when the hit was seen; counted again below with its final verdict.
    if (this.countedEarly.delete(task.taskId)) this.counts.fail--;
    let excerpts: Map<string, string> | undefined;
    const { results } = verdict;
    for (let i = 0; i < results.length; i++) {
      const r = results[i] as AssertionResult;
      // A slice of the output would keep the whole output alive.
      if (r.found) r.found = { line: r.found.line, text: detach(r.found.text) };
      if (r.excerpt === undefined) continue;
      // The tail excerpt of several failed `matches` is the same text: keep it once.
      excerpts ??= new Map();
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
        // No output is known for such a task: an output check on it is "not fetched", an error;
        // unless a hit was seen while it ran, which no later output can undo.
        return this.overridden(
          this.withEarly(judgeWithPlan(task, this.checksFor(task.instanceId), unfinished)),
        );
      },
      consistency && ((tasks) => consistency.results(tasks)),
    );
  }

  /** The verdict with the hits seen while the task ran in place of what the same checks say
   * now: a hit in partial output is a hit in the final output, so it can only fail. When the
   * final output shows it too (the usual case), its result stays, marked seen while running. */
  private withEarly(verdict: TaskVerdict): TaskVerdict {
    const found = this.early.get(verdict.taskId);
    if (!found) return verdict;
    for (const [i, hit] of found) {
      const now = verdict.results[i];
      // Replaced, never edited: the result judged now may be one many tasks share.
      verdict.results[i] =
        now?.outcome === "fail" && now.check === hit.check
          ? {
              ...now,
              message: `${now.message} (seen while running, at ${hit.seenWhileRunningAt})`,
              seenWhileRunningAt: hit.seenWhileRunningAt as string,
            }
          : { ...hit };
    }
    verdict.outcome = worst(verdict.results.map((r) => r.outcome));
    return verdict;
  }

  /** The verdict marked with the override that judged its instance (`explain` shows it). */
  private overridden(verdict: TaskVerdict): TaskVerdict {
    const where = this.overrideAt.get(verdict.instanceId);
    if (where) verdict.override = where;
    return verdict;
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
  return (byCodeUnits(a.instanceId, b.instanceId) || byCodeUnits(a.taskId, b.taskId)) < 0;
}
