// error > fail > pass > skip: the outcome a user must act on first wins.
import type { Outcome } from "../model.js";

const RANK: Record<Outcome, number> = { skip: 0, pass: 1, fail: 2, error: 3 };

/** The worse of two outcomes (a fleet's tasks are judged one by one: no array per task). */
export function worst2(a: Outcome, b: Outcome): Outcome {
  return RANK[b] > RANK[a] ? b : a;
}

/** The worst of the outcomes; pass when there are none. */
export function worst(outcomes: Iterable<Outcome>): Outcome {
  let out: Outcome | undefined;
  for (const o of outcomes) if (out === undefined || RANK[o] > RANK[out]) out = o;
  return out ?? "pass";
}
