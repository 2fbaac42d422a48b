// `fleet:` rules judged on the tallied values (fleet-tally.ts): one value (same), at most N
// (distinct), exactly this one (equals). A failure lists each value with the instances holding
// it, the fewest first: the drifted hosts lead. Only tasks that captured a value are compared; a
// task that captured nothing has failed (or could not be verified) on its own.
import type { AssertionResult, ConsistencyRule, Outcome, TaskVerdict } from "../model.js";
import { capturedValue } from "./capture.js";
import { plural } from "./describe.js";
import { VALUES_TRACKED, type ValueTally } from "./fleet-tally.js";

/** Values listed in one message; the others are counted. */
const VALUES_LISTED = 5;

export function consistencyResults(
  rules: readonly ConsistencyRule[],
  tallies: ReadonlyMap<string, ValueTally>,
  tasks: readonly TaskVerdict[],
): AssertionResult[] {
  return rules.map((rule) => {
    const tally = tallies.get(rule.capture) as ValueTally;
    return judge(rule, tally, tasks);
  });
}

function judge(
  rule: ConsistencyRule,
  tally: ValueTally,
  tasks: readonly TaskVerdict[],
): AssertionResult {
  const name = rule.capture;
  const expected =
    rule.kind === "same"
      ? `every task captured the same ${name}`
      : rule.kind === "distinct"
        ? `at most ${plural(rule.max, "distinct value")} of ${name}`
        : `every task captured ${name} = ${JSON.stringify(rule.value)}`;
  const base = { check: `fleet.${rule.kind}` as const, expected, where: rule.where };
  const distinct = tally.values.size;
  const overflow = tally.untracked > 0;
  const distinctText = overflow
    ? `more than ${VALUES_TRACKED} distinct values`
    : plural(distinct, "distinct value");
  const actual = `${plural(tally.tasks, "task")} captured ${name}: ${distinctText}`;
  if (tally.tasks === 0) {
    // Nothing to compare: with no task there is nothing to drift (the tasks rule judges that);
    // with tasks, none of them gave a value, so the rule does not hold or is unknown.
    const outcome: Outcome =
      tasks.length === 0 ? "skip" : tasks.some((t) => t.outcome === "error") ? "error" : "fail";
    return {
      ...base,
      outcome,
      actual: `no task captured ${name}`,
      message:
        tasks.length === 0
          ? `no tasks: ${name} not compared`
          : `no task captured ${name}: nothing to compare`,
    };
  }
  // "all 197 of 200 tasks": the others captured nothing and are failed on their own.
  const of = tally.tasks === tasks.length ? "" : ` of ${tasks.length}`;
  switch (rule.kind) {
    case "same": {
      if (distinct === 1 && !overflow) {
        const [only] = tally.values.keys();
        return {
          ...base,
          outcome: "pass",
          actual,
          message: `all ${tally.tasks}${of} tasks captured ${name} = ${JSON.stringify(only)}`,
        };
      }
      return {
        ...base,
        outcome: "fail",
        actual,
        message: `${name} differs across tasks: ${listing(tally)}`,
      };
    }
    case "distinct": {
      if (!overflow && distinct <= rule.max) {
        return {
          ...base,
          outcome: "pass",
          actual,
          message: `${name}: ${plural(distinct, "distinct value")} (at most ${rule.max}): ${listing(tally)}`,
        };
      }
      // Past the values tracked, a bound above them cannot be decided.
      const unknown = overflow && rule.max >= VALUES_TRACKED;
      return {
        ...base,
        outcome: unknown ? "error" : "fail",
        actual,
        message: unknown
          ? `${name}: more than ${VALUES_TRACKED} distinct values, which is as many as are told apart: at most ${rule.max} cannot be verified`
          : `${name}: ${distinctText}, at most ${rule.max} allowed: ${listing(tally)}`,
      };
    }
    case "equals": {
      const want = capturedValue(rule.value);
      const others = tally.ranked().filter((v) => v.value !== want);
      if (others.length === 0 && !overflow) {
        return {
          ...base,
          outcome: "pass",
          actual,
          message: `all ${tally.tasks}${of} tasks captured ${name} = ${JSON.stringify(want)}`,
        };
      }
      const held = tally.values.get(want)?.tasks ?? 0;
      return {
        ...base,
        outcome: "fail",
        actual,
        message: `${plural(tally.tasks - held, "task")} captured ${name} other than ${JSON.stringify(want)}: ${listing(tally, want)}`,
      };
    }
  }
}

/** `"1.4.1" on 3 tasks (ins-a, ins-b, ins-c); "1.4.2" on 197 tasks (ins-d, … and 187 more)`. */
function listing(tally: ValueTally, except?: string): string {
  const ranked = tally.ranked().filter((v) => v.value !== except);
  const shown = ranked.slice(0, VALUES_LISTED).map((v) => {
    const more = v.tasks - v.instances.length;
    const names = v.instances.join(", ") + (more > 0 ? ` and ${more} more` : "");
    return `${JSON.stringify(v.value)} on ${plural(v.tasks, "task")} (${names})`;
  });
  const hidden = ranked.length - shown.length;
  if (hidden > 0) shown.push(`${plural(hidden, "more value")}`);
  if (tally.untracked > 0) {
    shown.push(
      `${plural(tally.untracked, "more task")} with values beyond the first ${VALUES_TRACKED} (counted, not listed)`,
    );
  }
  return shown.join("; ");
}
