// error > fail > pass > skip: the outcome a user must act on first wins.
import type { Outcome } from "../model.js";

const RANK: Record<Outcome, number> = { skip: 0, pass: 1, fail: 2, error: 3 };

/** The worst of the outcomes; pass when there are none. */
export function worst(outcomes: Iterable<Outcome>): Outcome {
  let out: Outcome | undefined;
  for (const o of outcomes) if (out === undefined || RANK[o] > RANK[out]) out = o;
  return out ?? "pass";
}
