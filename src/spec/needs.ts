// Output is only requested from TAT (HideOutput=false) when some expectation reads it.
import type { Spec, TaskExpectations } from "../model.js";

const readsOutput = (e: TaskExpectations) =>
  (e.output?.matches.length ?? 0) > 0 || (e.output?.notMatches.length ?? 0) > 0;

/** Any output expectation in `expect` or in an override. */
export function needsOutput(spec: Spec): boolean {
  return readsOutput(spec.expect) || spec.overrides.some((o) => readsOutput(o.expect));
}
