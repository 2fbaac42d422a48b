// Spec[] + run options → one Probe per spec: everything the poller needs to observe a spec and
// nothing it must not know (expectations stay with the spec for evaluation).
import type { Spec, WaitPolicy } from "../model.js";
import { needsOutput, outputEncodings } from "../spec/needs.js";
import type { OutputEncodings } from "../tat/decode.js";

export interface Probe {
  spec: Spec;
  region: string | undefined;
  wait: WaitPolicy;
  /** Fetch task output (HideOutput=false) because some expectation reads it. */
  needsOutput: boolean;
  /** How fetched output bytes are decoded (expect.output.encoding). */
  outputEncodings?: OutputEncodings;
}

export interface PlanOptions {
  /** --timeout: replaces every spec's wait.timeout. */
  timeoutMs?: number;
  /** --region, then TENCENTCLOUD_REGION: for specs that name no region of their own. */
  regionFlag?: string;
  regionEnv?: string;
}

export function plan(specs: Spec[], options: PlanOptions = {}): Probe[] {
  return specs.map((spec) => {
    const timeoutMs = options.timeoutMs ?? spec.wait.timeoutMs;
    return {
      spec,
      // A spec that names its region means it: one run can gate invocations in several regions.
      region: spec.region ?? options.regionFlag ?? options.regionEnv,
      wait: {
        ...spec.wait,
        timeoutMs,
        timeoutDefaulted: options.timeoutMs === undefined && spec.wait.timeoutDefaulted === true,
        // A shorter overall timeout must not leave an interval longer than the whole wait.
        maxIntervalMs: Math.min(spec.wait.maxIntervalMs, timeoutMs),
        minIntervalMs: Math.min(spec.wait.minIntervalMs, timeoutMs),
      },
      needsOutput: needsOutput(spec),
      outputEncodings: outputEncodings(spec),
    };
  });
}
