// After the wait: tasks that `tat-assert run` started and that are still unfinished (deadline,
// SIGINT/SIGTERM, --fail-fast) are cancelled with CancelInvocation unless --no-cancel, and the
// report says which. The verdicts are not changed: what was not seen to finish stays unverified.
import type { LaunchRecord, RunReport, SpecReport } from "../model.js";
import type { TatClient } from "../tat/client.js";
import { MAX_CANCEL_INSTANCES } from "../tat/run-command-types.js";
import { chunks } from "./requests.js";

export interface CancelOptions {
  client: TatClient;
  /** False with --no-cancel: unfinished tasks are only listed. */
  cancel: boolean;
  print: (line: string) => void;
  /** Per CancelInvocation call; the run's own signal is already aborted after SIGINT. */
  timeoutMs?: number;
}

/** Invocation → instances whose tasks were not seen to finish; an invocation never seen at all
 * maps to undefined (cancel it whole). */
export function unfinished(
  record: LaunchRecord,
  spec: SpecReport | undefined,
): Map<string, string[] | undefined> {
  const out = new Map<string, string[] | undefined>();
  const state = spec?.observation.state;
  if (state === "terminal" || state === "skipped") return out;
  for (const id of record.invocationIds) {
    const tasks = (spec?.tasks ?? []).filter((t) => t.observed.invocationId === id);
    if (tasks.length === 0) {
      out.set(id, undefined);
      continue;
    }
    const open = tasks.filter((t) => !t.observed.terminal).map((t) => t.observed.instanceId);
    if (open.length > 0) out.set(id, open);
  }
  return out;
}

export async function settleLaunches(
  report: RunReport,
  records: LaunchRecord[],
  o: CancelOptions,
): Promise<RunReport> {
  for (const record of records) {
    const spec = report.specs.find((s) => s.name === record.spec);
    await settle(record, unfinished(record, spec), o);
  }
  return { ...report, launches: records };
}

/** Cancels (or lists) the given unfinished tasks of one launch, recording what happened. */
export async function settle(
  record: LaunchRecord,
  open: Map<string, string[] | undefined>,
  o: CancelOptions,
): Promise<void> {
  for (const [invocationId, instances] of open) {
    const count = instances ? `${instances.length} unfinished task(s)` : "every task";
    if (!o.cancel) {
      record.leftRunning.push({
        invocationId,
        instanceIds: instances ?? [],
        reason: "--no-cancel",
      });
      o.print(`${record.spec}: left ${count} of ${invocationId} running (--no-cancel)`);
      continue;
    }
    const batches = instances ? chunks(instances, MAX_CANCEL_INSTANCES) : [undefined];
    for (const batch of batches) {
      try {
        await o.client.cancelInvocation(
          { InvocationId: invocationId, ...(batch && { InstanceIds: batch }) },
          {
            ...(record.region && { region: record.region }),
            signal: AbortSignal.timeout(o.timeoutMs ?? 15_000),
          },
        );
        record.cancelled.push({ invocationId, instanceIds: batch ?? [] });
      } catch (error) {
        const reason = `CancelInvocation failed: ${(error as Error).message}`;
        record.leftRunning.push({ invocationId, instanceIds: batch ?? [], reason });
        o.print(`${record.spec}: could not cancel ${invocationId}: ${reason}`);
      }
    }
    if (record.cancelled.some((c) => c.invocationId === invocationId)) {
      o.print(`${record.spec}: cancelled ${count} of ${invocationId} (CancelInvocation)`);
    }
  }
}
