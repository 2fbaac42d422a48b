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
import { createdMs } from "../wait/read-target.js";
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
  // TAT writes times without a zone (`2026-11-30 10:00:00`, UTC): createdMs reads them so, where
  // Date.parse would read them in the machine's own zone.
  const created = createdMs(inv.CreatedTime);
  if (created === undefined || created < sentAtMs - CLOCK_SKEW_MS) return false;
  if (req.action === "RunCommand") {
    if (inv.CommandName !== req.body.CommandName) return false;
    if (inv.CommandContent !== undefined && inv.CommandContent !== req.body.Content) return false;
  } else if (inv.CommandId !== req.body.CommandId) return false;
  return onSentInstances(instancesOf(inv), req);
}

const instancesOf = (inv: Invocation) =>
  new Set((inv.InvocationTaskBasicInfoSet ?? []).map((t) => t.InstanceId));

/** The invocation's tasks are on exactly the instances the request was sent to. */
const onSentInstances = (on: Set<string | undefined>, req: StartRequest) =>
  on.size === req.body.InstanceIds.length && req.body.InstanceIds.every((i) => on.has(i));

/**
 * Why an invocation that a start's answer named cannot be the one that start created, or
 * undefined. Its creation time must be stated (Tencent always returns it); otherwise only what the
 * record states is held against it (other fields left out, a task list that trails the invocation,
 * prove nothing either way): an answer naming yesterday's green run of the same command would
 * otherwise have it judged in place of today's.
 */
export function contradiction(
  inv: Invocation,
  req: StartRequest,
  sentAtMs: number,
  answeredCommandId?: string,
): string | undefined {
  const created = createdMs(inv.CreatedTime);
  // Without its time, an older run of the same script on the same instances looks the same.
  if (created === undefined)
    return "it states no creation time, so it cannot be told from an older run";
  if (created < sentAtMs - CLOCK_SKEW_MS) {
    return `it was created at ${inv.CreatedTime}, before the request was sent`;
  }
  const differs = (got: string | undefined, sent: string | undefined) =>
    got !== undefined && sent !== undefined && got !== sent;
  if (req.action === "RunCommand") {
    if (differs(inv.CommandName, req.body.CommandName)) {
      return `it runs the command named ${inv.CommandName}, not ${req.body.CommandName}`;
    }
    if (differs(inv.CommandContent, req.body.Content)) return "it runs another script";
    if (differs(inv.CommandId, answeredCommandId)) {
      return `it runs ${inv.CommandId}, not the ${answeredCommandId} the answer created`;
    }
  } else if (differs(inv.CommandId, req.body.CommandId)) {
    return `it runs ${inv.CommandId}, not ${req.body.CommandId}`;
  }
  const on = instancesOf(inv);
  if (on.size > 0 && !onSentInstances(on, req)) {
    return `its tasks are on ${[...on].slice(0, 5).join(", ")}${on.size > 5 ? ", …" : ""}, not on the instances it was sent to`;
  }
  return undefined;
}

/**
 * Reads the invocation a start's answer named, once. Returns why it is not ours, or undefined
 * when it is, or when it cannot be told now: not visible yet (eventual consistency) or the read
 * failed. The wait reads the same invocation anyway and says when it never appears.
 */
export async function answerContradiction(
  client: TatClient,
  req: StartRequest,
  invocationId: string,
  sentAtMs: number,
  o: Pick<LookupOptions, "region" | "signal"> & {
    earlier: Set<string> | undefined;
    answeredCommandId?: string;
  },
): Promise<string | undefined> {
  if (o.earlier?.has(invocationId)) {
    return "it already matched this start before the request was sent (an earlier run)";
  }
  let set: Invocation[];
  try {
    const res = await client.describeInvocations(
      { InvocationIds: [invocationId] },
      {
        ...(o.region !== undefined && { region: o.region }),
        ...(o.signal && { signal: o.signal }),
      },
    );
    set = res.InvocationSet ?? [];
  } catch {
    return undefined;
  }
  const inv = set.find((i) => i.InvocationId === invocationId);
  return inv && contradiction(inv, req, sentAtMs, o.answeredCommandId);
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
