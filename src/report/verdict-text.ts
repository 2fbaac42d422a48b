// What an exit code means for this run, in the words every reporter uses. A run whose specs were
// all skipped exits 0 but checked nothing, and must never read as "every expectation held".
import type { RunReport } from "../model.js";

const EXIT_MEANING: Record<number, string> = {
  0: "every expectation held",
  1: "an expectation did not hold",
  2: "a spec or the command line is invalid",
  3: "could not verify (deadline reached, cancelled or target not found)",
  4: "the TAT API refused or kept failing",
  5: "every expectation held, but a requested report could not be written",
  70: "internal error in tat-assert (please report it)",
};

export const NOTHING_CHECKED = "nothing was checked: every spec was skipped";

/** Every spec skipped (and no run error): the run passed without checking anything. */
export function nothingChecked(report: RunReport): boolean {
  return report.specs.length > 0 && report.specs.every((s) => s.outcome === "skip");
}

export function verdictText(report: RunReport): string {
  if (nothingChecked(report)) {
    if (report.exitCode === 0) return NOTHING_CHECKED;
    if (report.exitCode === 5)
      return `${NOTHING_CHECKED}, and a requested report could not be written`;
  }
  return EXIT_MEANING[report.exitCode] ?? "see the README";
}
