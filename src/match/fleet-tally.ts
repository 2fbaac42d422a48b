// Running tallies of captured values for `fleet:`: per capture, value → how many tasks and the
// first few instances holding it. Bounded whatever the fleet size: at most VALUES_TRACKED values
// per capture, each with at most INSTANCES_LISTED instance ids; tasks past that are only counted.

import { byCodeUnits } from "../locale-free.js";
import type { AssertionResult, ConsistencyRule, TaskVerdict } from "../model.js";
import { capturedValue } from "./capture.js";
import { consistencyResults } from "./fleet-check.js";

/** Distinct values remembered per capture; more are counted, not told apart. */
export const VALUES_TRACKED = 100;
/** Instances named per value. */
export const INSTANCES_LISTED = 10;

export interface ValueCount {
  value: string;
  tasks: number;
  /** The first INSTANCES_LISTED instances seen with it (distinct). */
  instances: string[];
}

export class ValueTally {
  readonly values = new Map<string, ValueCount>();
  /** Tasks whose value was not tracked: VALUES_TRACKED other values were already held. */
  untracked = 0;
  /** Tasks that captured a value. */
  tasks = 0;

  add(value: string, instanceId: string): void {
    this.tasks++;
    let entry = this.values.get(value);
    if (!entry) {
      if (this.values.size >= VALUES_TRACKED) {
        this.untracked++;
        return;
      }
      entry = { value, tasks: 0, instances: [] };
      this.values.set(value, entry);
    }
    entry.tasks++;
    if (entry.instances.length < INSTANCES_LISTED && !entry.instances.includes(instanceId)) {
      entry.instances.push(instanceId);
    }
  }

  /** A task judged again: its earlier value is taken back. */
  remove(value: string, instanceId: string): void {
    this.tasks--;
    const entry = this.values.get(value);
    if (!entry) {
      this.untracked = Math.max(0, this.untracked - 1);
      return;
    }
    entry.tasks--;
    entry.instances = entry.instances.filter((i) => i !== instanceId);
    if (entry.tasks <= 0) this.values.delete(value);
  }

  /** Values, the fewest tasks first (the odd ones out lead), then by value. */
  ranked(): ValueCount[] {
    return [...this.values.values()].sort(
      (a, b) => a.tasks - b.tasks || byCodeUnits(a.value, b.value),
    );
  }
}

export class ConsistencyTally {
  private readonly tallies = new Map<string, ValueTally>();

  constructor(private readonly rules: readonly ConsistencyRule[]) {
    for (const r of rules)
      if (!this.tallies.has(r.capture)) this.tallies.set(r.capture, new ValueTally());
  }

  /** A task's verdict; `previous` when the same task was judged before. */
  add(verdict: TaskVerdict, previous?: TaskVerdict): void {
    for (const [name, tally] of this.tallies) {
      const before = previous?.captures?.[name];
      if (before !== undefined && previous) tally.remove(before, previous.instanceId);
      const value = verdict.captures?.[name];
      if (value !== undefined) tally.add(value, verdict.instanceId);
    }
  }

  /** The fleet results over every task judged; `tasks` are all the spec's task verdicts. */
  results(tasks: readonly TaskVerdict[]): AssertionResult[] {
    return consistencyResults(this.rules, this.tallies, tasks);
  }

  /** Why the rules can no longer hold, whatever the tasks still to come capture. Only what the
   * final judgement (fleet-check.ts) calls a failure: fail-fast never stops on what would pass
   * or be reported as not verified. */
  cannotPass(): string | undefined {
    for (const r of this.rules) {
      const t = this.tallies.get(r.capture) as ValueTally;
      const distinct = t.values.size + (t.untracked > 0 ? 1 : 0);
      if (r.kind === "same" && distinct > 1) return `${r.capture} already differs across tasks`;
      // Past the values told apart, fleet-check cannot verify a bound that high: not a failure.
      const undecidable = t.untracked > 0 && r.kind === "distinct" && r.max >= VALUES_TRACKED;
      if (r.kind === "distinct" && distinct > r.max && !undecidable) {
        return `${r.capture} already has more than ${r.max} distinct values`;
      }
      // Values are compared as captured (capturedValue), as fleet-check compares them.
      const want = r.kind === "equals" ? capturedValue(r.value) : "";
      if (
        r.kind === "equals" &&
        (t.untracked > 0 || [...t.values.keys()].some((v) => v !== want))
      ) {
        return `a task captured ${r.capture} other than ${JSON.stringify(r.value)}`;
      }
    }
    return undefined;
  }
}
