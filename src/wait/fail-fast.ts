// --fail-fast: stop waiting once a spec can no longer pass. Judged on the tasks judged so far
// (running counts kept by the spec's tally, never a re-evaluation), with the same per-task
// judgement the final verdict uses, so fail-fast never stops on something the report would pass.
import type { SpecTally } from "../match/tally.js";
import type { Spec } from "../model.js";

/** `total`: tasks seen so far, judged or not. `known`: they are every task of the target (the
 * whole target seen, no task list known to be short): only then can a ratio not be lifted. */
export function cannotPass(
  spec: Spec,
  tally: SpecTally,
  total: number,
  known = true,
): string | undefined {
  // Values that already differ (fleet: same / distinct / equals) can never be made to agree.
  const drift = tally.consistencyCannotPass();
  if (drift) return `fail-fast: ${drift}; stopped waiting for the rest`;
  const failed = tally.notPassed;
  if (failed === 0) return undefined;
  const quorum = spec.quorum;
  if (quorum) {
    const overMax = quorum.maxFailures !== undefined && failed > quorum.maxFailures;
    // A filters target can still gain tasks (a new invocation its filters select), and so can any
    // target not seen whole yet (an invocation id not visible yet, a task list still short):
    // passing tasks would lift the ratio. There only failures past maxFailures, which no task can
    // undo, stop the wait.
    const underRatio =
      known &&
      spec.target.kind !== "filters" &&
      quorum.minPassRatio !== undefined &&
      (total - failed) / total < quorum.minPassRatio;
    if (!overMax && !underRatio) return undefined;
  }
  const first = tally.firstNotPassed;
  return `fail-fast: ${first?.instanceId} failed${failed > 1 ? ` (and ${failed - 1} more)` : ""}; stopped waiting for the rest`;
}
