// `tat-assert run`, before the wait: say what will start, start it (never twice), print the
// invocation ids at once, and hand the watcher specs whose target is those invocations.
import { randomBytes } from "node:crypto";
import {
  MalformedResponseError,
  TatApiError,
  TatNetworkError,
  UnverifiedError,
} from "../errors.js";
import type { LaunchRecord, Spec } from "../model.js";
import type { TatClient } from "../tat/client.js";
import type { Sleep } from "../tat/sleep.js";
import { answerContradiction, earlierMatches, findStarted } from "./adopt.js";
import { LaunchRefusedError, LaunchUncertainError } from "./launch-error.js";
import { type StartRequest, startRequests } from "./requests.js";

export interface LaunchOptions {
  client: TatClient;
  /** The region a spec without `region:` runs in (--region, then TENCENTCLOUD_REGION). */
  region: string | undefined;
  print: (line: string) => void;
  now: () => number;
  sleep: Sleep;
  /** How long a lost answer's invocation is looked for. Default: the spec's wait.notFoundGrace. */
  lookupGraceMs?: number;
  signal?: AbortSignal;
}

/** Network failures that happen before anything is sent: the service cannot have acted. */
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "HTTP_429"]);

/** Whether the service may have acted on a request that failed this way. */
export function mayHaveStarted(error: unknown): boolean {
  // An answer that is not a RunCommand answer came from something that received the request.
  if (error instanceof MalformedResponseError) return true;
  if (error instanceof TatApiError) {
    return /^(InternalError|ServiceUnavailable)(\.|$)/.test(error.code);
  }
  if (error instanceof TatNetworkError) return !NOT_SENT.has(error.code);
  return false; // credentials, aborts before sending, bugs: nothing was sent
}

/** The lines printed before anything starts (and all that --dry-run prints). */
export function describeLaunch(spec: Spec, region: string | undefined): string[] {
  const run = spec.run;
  if (!run) return [];
  const what =
    run.commandId !== undefined
      ? `InvokeCommand ${run.commandId}`
      : `RunCommand ${run.commandType ?? "SHELL"} script (${lineCount(run.command ?? "")})`;
  const batches = Math.ceil(run.instances.length / 200);
  const lines = [
    `${spec.name}: will start ${what} in ${region ?? "(no region)"} on ${run.instances.length} instance${run.instances.length === 1 ? "" : "s"}${batches > 1 ? ` as ${batches} invocations of at most 200` : ""}`,
  ];
  if (run.command !== undefined) {
    for (const line of run.command.replace(/\n$/, "").split("\n").slice(0, 10)) {
      lines.push(`    | ${line}`);
    }
    const more = run.command.replace(/\n$/, "").split("\n").length - 10;
    if (more > 0) lines.push(`    | … ${more} more line${more === 1 ? "" : "s"}`);
  }
  if (run.parameters) {
    // Names only: values may be secrets ({{tat-hidden:…}}).
    lines.push(`    parameters: ${Object.keys(run.parameters).join(", ")}`);
  }
  const shown = run.instances.slice(0, 10).join(", ");
  const rest = run.instances.length - 10;
  lines.push(`    instances: ${shown}${rest > 0 ? `, … ${rest} more` : ""}`);
  const extras = [
    run.timeoutSeconds !== undefined && `timeout ${run.timeoutSeconds}s`,
    run.workingDirectory !== undefined && `in ${run.workingDirectory}`,
    run.username !== undefined && `as ${run.username}`,
  ].filter(Boolean);
  if (extras.length > 0) lines.push(`    ${extras.join(", ")}`);
  return lines;
}

function lineCount(text: string): string {
  const n = text.replace(/\n$/, "").split("\n").length;
  return `${n} line${n === 1 ? "" : "s"}`;
}

export interface Launched {
  specs: Spec[];
  records: LaunchRecord[];
}

/**
 * Starts every `run:` spec in turn. On a refusal or an undecidable lost answer it throws, after
 * `onPartial` was told what had already started (so that it can be cancelled and reported).
 */
export async function launchAll(
  specs: Spec[],
  o: LaunchOptions,
  onPartial: (records: LaunchRecord[]) => Promise<string>,
): Promise<Launched> {
  const records: LaunchRecord[] = [];
  const out: Spec[] = [];
  for (const spec of specs) {
    if (!spec.run || spec.skip) {
      out.push(spec);
      continue;
    }
    const region = spec.region ?? o.region ?? "";
    for (const line of describeLaunch(spec, region || undefined)) o.print(line);
    const requests = startRequests(spec.run, randomBytes(6).readUIntBE(0, 6).toString(36));
    const record: LaunchRecord = {
      spec: spec.name,
      action: requests[0]?.action ?? "RunCommand",
      region,
      invocationIds: [],
      adopted: [],
      instances: spec.run.instances.length,
      cancelled: [],
      leftRunning: [],
    };
    if (spec.run.commandId !== undefined) record.commandId = spec.run.commandId;
    records.push(record);
    for (const req of requests) {
      try {
        if (o.signal?.aborted) {
          throw new UnverifiedError(`${spec.name}: cancelled before ${req.action} was sent`);
        }
        const started = await startOne(req, region, spec.name, {
          ...o,
          // The spec's own "not visible yet" window, as the watcher uses it after a start.
          lookupGraceMs: o.lookupGraceMs ?? spec.wait.notFoundGraceMs,
        });
        record.invocationIds.push(started.invocationId);
        if (started.adopted) record.adopted.push(started.invocationId);
        if (started.commandId && record.commandId === undefined) {
          record.commandId = started.commandId;
        }
        o.print(
          `${spec.name}: started ${started.invocationId}${started.adopted ? " (found again after its answer was lost)" : ""} on ${req.body.InstanceIds.length} instance${req.body.InstanceIds.length === 1 ? "" : "s"}`,
        );
      } catch (error) {
        const partial = await onPartial(records);
        if (error instanceof Error && partial) error.message += `\n${partial}`;
        throw error;
      }
    }
    out.push({
      ...spec,
      target: {
        kind: "invocations",
        invocationIds: [...record.invocationIds],
        where: spec.run.where,
      },
      // Every instance it was started on must report a task, unless the spec says otherwise.
      coverage: spec.coverage ?? { exact: [...spec.run.instances], where: spec.run.where },
    });
  }
  return { specs: out, records };
}

async function startOne(
  req: StartRequest,
  region: string,
  specName: string,
  o: LaunchOptions,
): Promise<{ invocationId: string; commandId?: string; adopted: boolean }> {
  const call = { ...(region && { region }), ...(o.signal && { signal: o.signal }) };
  const sentAt = o.now();
  // What already looks like this start, so that a lost answer is never "found" in an older run.
  const earlier = await earlierMatches(o.client, req, sentAt, {
    ...(region && { region }),
    ...(o.signal && { signal: o.signal }),
  });
  try {
    let res: { InvocationId: string; RequestId: string; CommandId?: string };
    if (req.action === "RunCommand") res = await o.client.runCommand(req.body, call);
    else res = await o.client.invokeCommand(req.body, call);
    const commandId = res.CommandId;
    // An answer naming an invocation that this start did not create (an older run of the same
    // command, another command) is not an answer to this request: the command may well have
    // started, so it is looked for like a lost answer, never judged by the id it was given.
    const wrong = await answerContradiction(o.client, req, res.InvocationId, sentAt, {
      earlier,
      ...(commandId !== undefined && { answeredCommandId: commandId }),
      ...(region && { region }),
      ...(o.signal && { signal: o.signal }),
    });
    if (wrong) {
      throw new MalformedResponseError(
        req.action,
        "Response.InvocationId",
        res.InvocationId,
        `names an invocation this request did not create (${wrong})`,
        res.RequestId,
      );
    }
    return { invocationId: res.InvocationId, ...(commandId && { commandId }), adopted: false };
  } catch (error) {
    // Cancelled mid-request (SIGINT): it may have been sent; look without the aborted signal.
    const aborted = o.signal?.aborted === true;
    if (!aborted && !mayHaveStarted(error)) {
      if (error instanceof TatApiError) {
        throw new LaunchRefusedError(
          `${specName}: ${req.action} was refused, nothing started: ${error.code}: ${error.apiMessage}${error.requestId ? ` (RequestId ${error.requestId})` : ""}`,
        );
      }
      throw error;
    }
    const why = aborted
      ? "was cancelled while in flight"
      : `failed after sending (${(error as Error).message})`;
    o.print(`${specName}: ${req.action} ${why}; looking for the invocation before anything else`);
    const grace = o.lookupGraceMs ?? 30_000;
    const lookup = await findStarted(o.client, req, sentAt, {
      earlier,
      ...(region && { region }),
      now: o.now,
      sleep: o.sleep,
      graceMs: aborted ? Math.min(grace, 5_000) : grace,
      ...(!aborted && o.signal && { signal: o.signal }),
    });
    if ("found" in lookup) return { invocationId: lookup.found, adopted: true };
    const what =
      req.action === "RunCommand"
        ? `command name ${req.body.CommandName}`
        : `command ${req.body.CommandId}`;
    throw new LaunchUncertainError(
      `${specName}: ${req.action} may have started the command, but tat-assert cannot tell: ${lookup.uncertain}. ` +
        `It was NOT sent again. Check DescribeInvocations in ${region || "the region"} for an invocation of ${what} created since ${new Date(sentAt).toISOString()} on ${req.body.InstanceIds.length} instance(s) (e.g. ${req.body.InstanceIds[0]}) before running again.`,
    );
  }
}
