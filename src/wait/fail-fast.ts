// --fail-fast: stop waiting once a spec can no longer pass. Judged on terminal tasks only, with the
// same evaluation the final verdict uses, so fail-fast never stops on something the report would pass.
import { evaluate } from "../match/evaluate.js";
import type { Observation, Spec } from "../model.js";

export function cannotPass(spec: Spec, observation: Observation): string | undefined {
  const done = observation.tasks.filter((t) => t.terminal);
  if (done.length === 0) return undefined;
  const verdict = evaluate(spec, { ...observation, state: "terminal", tasks: done });
  const failed = verdict.tasks.filter((t) => t.outcome === "fail" || t.outcome === "error");
  if (failed.length === 0) return undefined;
  const total = observation.tasks.length;
  const quorum = spec.quorum;
  if (quorum) {
    const overMax = quorum.maxFailures !== undefined && failed.length > quorum.maxFailures;
    const underRatio =
      quorum.minPassRatio !== undefined && (total - failed.length) / total < quorum.minPassRatio;
    if (!overMax && !underRatio) return undefined;
  }
  const first = failed[0];
  return `fail-fast: ${first?.instanceId} failed${failed.length > 1 ? ` (and ${failed.length - 1} more)` : ""}; stopped waiting for the rest`;
}
