// Output is only requested from TAT (HideOutput=false) when some expectation reads it.
import type { Spec, TaskExpectations } from "../model.js";
import type { OutputEncodings } from "../tat/decode.js";

/** Whether these expectations read the task output (and so need it fetched, in full). */
export const readsOutput = (e: TaskExpectations): boolean =>
  (e.output?.matches.length ?? 0) > 0 ||
  (e.output?.notMatches.length ?? 0) > 0 ||
  e.output?.json !== undefined ||
  (e.capture?.length ?? 0) > 0;

/** Any output expectation in `expect` or in an override. */
export function needsOutput(spec: Spec): boolean {
  return readsOutput(spec.expect) || spec.overrides.some((o) => readsOutput(o.expect));
}

/** How to decode each task's output bytes: `expect.output.encoding`, or an override's. */
export function outputEncodings(spec: Spec): OutputEncodings {
  const instances: Record<string, string> = {};
  for (const o of spec.overrides) {
    if (o.expect.output?.encoding) instances[o.instanceId] = o.expect.output.encoding.value;
  }
  return { spec: spec.expect.output?.encoding?.value ?? "auto", instances };
}
