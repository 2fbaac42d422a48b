// Fleet rule: the spec passes while enough tasks pass, even if some fail. Tasks that could not be
// verified count against the quorum; when they alone decide it, the quorum is an error, because
// their real outcome could go either way.
import type { AssertionResult, Quorum, TaskVerdict } from "../model.js";
import { percent, plural } from "./describe.js";
import { worst } from "./outcome.js";

export function quorumCheck(quorum: Quorum, tasks: readonly TaskVerdict[]): AssertionResult {
  const total = tasks.length;
  const passed = tasks.filter((t) => t.outcome === "pass").length;
  const failed = tasks.filter((t) => t.outcome === "fail").length;
  const unverified = total - passed - failed;
  const wants: string[] = [];
  if (quorum.minPassRatio !== undefined)
    wants.push(`at least ${percent(quorum.minPassRatio)} of tasks pass`);
  if (quorum.maxFailures !== undefined)
    wants.push(`at most ${plural(quorum.maxFailures, "task")} fail`);
  const actualParts = [`${passed} of ${total} passed`];
  if (failed) actualParts.push(`${failed} failed`);
  if (unverified) actualParts.push(`${unverified} not verified`);
  const base = {
    check: "quorum" as const,
    expected: wants.join("; "),
    actual: actualParts.join(", "),
    where: quorum.where,
  };
  if (total === 0) return { ...base, outcome: "pass", message: "no tasks to count" };
  const verdicts = [];
  const reasons: string[] = [];
  if (quorum.minPassRatio !== undefined) {
    const r = quorum.minPassRatio;
    const outcome =
      passed / total >= r ? "pass" : (passed + unverified) / total < r ? "fail" : "error";
    verdicts.push(outcome);
    reasons.push(
      `${passed} of ${total} tasks passed (${percent(passed / total)}, at least ${percent(r)} required)`,
    );
  }
  if (quorum.maxFailures !== undefined) {
    const m = quorum.maxFailures;
    const outcome = failed + unverified <= m ? "pass" : failed > m ? "fail" : "error";
    verdicts.push(outcome);
    reasons.push(`${plural(failed + unverified, "task")} did not pass (at most ${m} allowed)`);
  }
  const outcome = worst(verdicts as ("pass" | "fail" | "error")[]);
  const tail =
    outcome === "pass" && passed < total
      ? `; quorum holds, so ${total - passed === 1 ? "the task that did not pass does" : `the ${total - passed} tasks that did not pass do`} not fail the spec`
      : outcome === "error"
        ? `; ${plural(unverified, "unverified task")} decide it`
        : "";
  return { ...base, outcome, message: `${reasons.join("; ")}${tail}` };
}
