// `needs:` at judge time: a spec is watched only once the specs it needs are judged, and only when
// they passed, as a GitHub Actions job runs only after the jobs it needs succeeded. When one did
// not pass, this spec is not judged: it is skipped when the run already fails because of that spec
// (it failed, or could not be verified, or was stopped early by --fail-fast), and it is an error
// (could not verify) when the needed spec was skipped on purpose, so that a run never exits 0 with
// a spec left unchecked.
import type { Outcome, Spec, SpecVerdict } from "../model.js";

export interface NeededResult {
  name: string;
  outcome: Outcome;
  /** Skipped by its own `skip:` (not by a failure upstream or by --fail-fast). */
  skippedOnPurpose: boolean;
}

/** The verdict of a spec whose needs did not all pass, or undefined when it can be judged. */
export function blockedVerdict(
  spec: Spec,
  needs: readonly NeededResult[],
  stoppedEarly: boolean,
): SpecVerdict | undefined {
  const where = spec.needs?.where ?? spec.where;
  const notPassed = needs.filter((n) => n.outcome !== "pass");
  const [first] = notPassed;
  if (!first) return undefined;
  const onPurpose = notPassed.find(
    (n) => n.outcome === "skip" && n.skippedOnPurpose && !stoppedEarly,
  );
  const said = (n: NeededResult) =>
    n.outcome === "fail"
      ? "failed"
      : n.outcome === "error"
        ? "could not be verified"
        : n.skippedOnPurpose
          ? "was skipped"
          : "was not checked (stopped early)";
  const names = notPassed.map((n) => `${n.name} ${said(n)}`).join(", ");
  const outcome: Outcome = onPurpose ? "error" : "skip";
  return {
    outcome,
    tasks: [],
    fleet: [
      {
        check: "needs",
        outcome,
        expected: `${spec.needs?.value.join(", ")} passed`,
        actual: names,
        message: onPurpose
          ? `not verified: needs ${onPurpose.name}, which was skipped, so this spec was not checked (skip it too, or remove needs)`
          : `not checked: needs ${names}`,
        where,
      },
    ],
  };
}
