// When to poll next. Delays grow exponentially with full jitter between the spec's minimum and
// maximum interval (the AWS SDK v3 waiter scheme), and never run past the deadline: when the next
// delay would, the poller instead sleeps until a last poll just before the deadline.

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

export function backoffDelay(
  attempt: number,
  minIntervalMs: number,
  maxIntervalMs: number,
  random: () => number,
): number {
  const ceiling = Math.min(maxIntervalMs, minIntervalMs * 2 ** Math.min(attempt, 30));
  // Jitter keeps many concurrent specs (and many CI jobs) from polling in lockstep.
  return Math.round(minIntervalMs + random() * (ceiling - minIntervalMs));
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
