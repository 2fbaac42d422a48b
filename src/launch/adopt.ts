// After a start request's answer was lost (reset, timeout, a 5xx after sending), the command may
// or may not have started, and RunCommand has no idempotency token to ask with. We look for the
// invocation instead: DescribeInvocations for one created since just before we sent, by our
// command (the launch's unique CommandName, or the saved command's id), on exactly our instances.
// One match is ours; none after the grace window, or more than one, cannot be decided.
// Invocations that already matched before we sent (the same saved command on the same instances a
// minute ago, a CI retry) are listed first and never adopted: judging yesterday's run as ours would
// be a green we could not verify. Without that list, nothing is adopted.
import type { TatClient } from "../tat/client.js";
import type { Sleep } from "../tat/sleep.js";
import type { Invocation } from "../tat/types.js";
import type { StartRequest } from "./requests.js";

/** Our clock and the service's may disagree; TAT itself allows 5 minutes of skew. */
const CLOCK_SKEW_MS = 5 * 60_000;
const LOOK_INTERVAL_MS = 2_000;

export type Lookup = { found: string } | { uncertain: string };

export interface LookupOptions {
  region?: string;
  now: () => number;
  sleep: Sleep;
  /** How long the invocation may take to become visible (eventual consistency). */
  graceMs: number;
  signal?: AbortSignal;
}

export function isOurs(inv: Invocation, req: StartRequest, sentAtMs: number): boolean {
  const created = inv.CreatedTime ? Date.parse(inv.CreatedTime) : Number.NaN;
  if (!(created >= sentAtMs - CLOCK_SKEW_MS)) return false;
  if (req.action === "RunCommand") {
    if (inv.CommandName !== req.body.CommandName) return false;
    if (inv.CommandContent !== undefined && inv.CommandContent !== req.body.Content) return false;
  } else if (inv.CommandId !== req.body.CommandId) return false;
  const on = new Set((inv.InvocationTaskBasicInfoSet ?? []).map((t) => t.InstanceId));
  return on.size === req.body.InstanceIds.length && req.body.InstanceIds.every((i) => on.has(i));
}

function filtersFor(req: StartRequest) {
  return req.action === "InvokeCommand"
    ? [{ Name: "command-id", Values: [req.body.CommandId] }]
    : [{ Name: "command-created-by", Values: ["USER"] }];
}

/**
 * Ids of the invocations that would pass for ours if they appeared after sending: taken just
 * before sending. `undefined` when they could not be listed (then nothing may be adopted).
 */
export async function earlierMatches(
  client: TatClient,
  req: StartRequest,
  sentAtMs: number,
  o: Pick<LookupOptions, "region" | "signal">,
): Promise<Set<string> | undefined> {
  try {
    const res = await client.describeInvocations(
      { Filters: filtersFor(req), Limit: 100 },
      {
        ...(o.region !== undefined && { region: o.region }),
        ...(o.signal && { signal: o.signal }),
      },
    );
    const ids = (res.InvocationSet ?? [])
      .filter((inv) => isOurs(inv, req, sentAtMs))
      .map((inv) => inv.InvocationId ?? "");
    return new Set(ids);
  } catch {
    return undefined;
  }
}

export async function findStarted(
  client: TatClient,
  req: StartRequest,
  sentAtMs: number,
  o: LookupOptions & { earlier: Set<string> | undefined },
): Promise<Lookup> {
  if (o.earlier === undefined) {
    return {
      uncertain:
        "the command's earlier invocations could not be listed before sending, so a match could be an older run",
    };
  }
  const earlier = o.earlier;
  const deadline = o.now() + o.graceMs;
  const filters = filtersFor(req);
  for (;;) {
    let set: Invocation[];
    try {
      const res = await client.describeInvocations(
        { Filters: filters, Limit: 100 },
        {
          ...(o.region !== undefined && { region: o.region }),
          ...(o.signal && { signal: o.signal }),
        },
      );
      set = res.InvocationSet ?? [];
    } catch (error) {
      return { uncertain: `looking it up failed: ${(error as Error).message}` };
    }
    const ours = set.filter(
      (inv) => isOurs(inv, req, sentAtMs) && !earlier.has(inv.InvocationId ?? ""),
    );
    if (ours.length === 1 && ours[0]?.InvocationId) return { found: ours[0].InvocationId };
    if (ours.length > 1) {
      const ids = ours.map((i) => i.InvocationId).join(", ");
      return { uncertain: `${ours.length} invocations match it (${ids})` };
    }
    if (o.now() >= deadline) {
      return {
        uncertain: `no matching invocation was visible within ${Math.round(o.graceMs / 1000)}s`,
      };
    }
    await o.sleep(LOOK_INTERVAL_MS, o.signal);
  }
}
