// The pure judgement: a spec and what TAT showed → a verdict per task and for the spec. No I/O, no
// clock; the same inputs always give the same verdict, so it can be re-run from a recording.
// A run does not call evaluate(): it judges each task as its record arrives (tally.ts) and ends
// with conclude(), the same fleet rules over the verdicts it kept.
import type { Recording, Spec, SpecVerdict } from "../model.js";
import { skipped } from "./conclude.js";
import { SpecTally } from "./tally.js";

/** Every task of a recording (outputs included) judged in one go, then the fleet rules. */
export function evaluate(spec: Spec, recording: Recording): SpecVerdict {
  if (spec.skip || recording.state === "skipped") return skipped(spec);
  const tally = new SpecTally(spec);
  for (const task of recording.tasks) if (task.terminal) tally.add(task);
  return tally.verdict(recording);
}
