// Which tasks of a spec need their full output, and from where: the `sourceFor` that
// completeTruncatedOutputs takes. An instance override's expectations (already merged with the
// spec's) decide for its instance.
import type { Spec, TaskExpectations } from "../model.js";
import { readsOutput } from "../spec/needs.js";
import type { InvocationTask } from "../tat/types.js";
import type { OutputSource } from "./complete-truncated.js";

function sourceOf(e: TaskExpectations): OutputSource | undefined {
  return readsOutput(e) ? (e.output?.source?.value ?? "auto") : undefined;
}

export function outputSourceFor(spec: Spec): (task: InvocationTask) => OutputSource | undefined {
  const byInstance = new Map(spec.overrides.map((o) => [o.instanceId, sourceOf(o.expect)]));
  const fallback = sourceOf(spec.expect);
  return (task) =>
    task.InstanceId !== undefined && byInstance.has(task.InstanceId)
      ? byInstance.get(task.InstanceId)
      : fallback;
}
