// When to poll next. Delays grow exponentially from the spec's minimum to its maximum interval
// (the AWS SDK v3 waiter scheme) with a narrow jitter below that ceiling, and never run past the
// deadline: when the next delay would, the poller instead sleeps until a last poll just before it.

export interface ScheduleInput {
  attempt: number;
  minIntervalMs: number;
  maxIntervalMs: number;
  now: number;
  deadline: number;
  random: () => number;
}

export type NextPoll = { kind: "poll"; delayMs: number; last: boolean } | { kind: "deadline" };

/** How far ahead of the deadline the last poll is taken, so its answer arrives in time. */
export function lastPollLeadMs(minIntervalMs: number): number {
  return Math.min(1000, Math.max(50, minIntervalMs / 2));
}

/** The largest share of (ceiling - minimum) that jitter takes off a delay. */
export const JITTER = 0.1;

export function backoffDelay(
  attempt: number,
  minIntervalMs: number,
  maxIntervalMs: number,
  random: () => number,
): number {
  const ceiling = Math.min(maxIntervalMs, minIntervalMs * 2 ** Math.min(attempt, 30));
  // Jitter keeps many CI jobs from polling in lockstep. It takes at most a tenth of the span off
  // the ceiling: full jitter (anywhere between min and ceiling) would poll about twice per
  // maxInterval once at the ceiling, far above the floor of one round per maxInterval that
  // bench/fleet.ts holds the calls to. Specs of one run share requests (batching-reader.ts).
  return Math.round(ceiling - random() * JITTER * (ceiling - minIntervalMs));
}

export function nextPoll(input: ScheduleInput): NextPoll {
  const remaining = input.deadline - input.now;
  const lead = lastPollLeadMs(input.minIntervalMs);
  if (remaining <= 0) return { kind: "deadline" };
  const delay = backoffDelay(input.attempt, input.minIntervalMs, input.maxIntervalMs, input.random);
  if (delay < remaining - lead) return { kind: "poll", delayMs: delay, last: false };
  // The regular delay would reach the deadline: take one last look just before it.
  return { kind: "poll", delayMs: Math.max(0, remaining - lead), last: true };
}

/**
 * One sequence of jitter draws shared by every spec of a run: each spec gets its own cursor over
 * it, so the k-th delay is the same for every spec with the same intervals, and specs that started
 * together poll together (one request serves them all). Separate runs (CI jobs) still draw apart.
 */
export function sharedJitter(random: () => number): () => () => number {
  const draws: number[] = [];
  return () => {
    let k = 0;
    return () => {
      draws[k] ??= random();
      return draws[k++] as number;
    };
  };
}
