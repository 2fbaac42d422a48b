// A RunBlock → the RunCommand / InvokeCommand requests that start it: one per 200 instances.
// RunCommand gets a CommandName unique to this launch (unless the spec names it): with no
// idempotency token in the API, that name is how a lost answer's invocation is found again.
import type { RunBlock } from "../model.js";
import {
  type InvokeCommandRequest,
  MAX_INSTANCES_PER_CALL,
  type RunCommandRequest,
} from "../tat/run-command-types.js";

export type StartRequest =
  | { action: "RunCommand"; body: RunCommandRequest }
  | { action: "InvokeCommand"; body: InvokeCommandRequest };

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** @param token a short random text, unique to this launch */
export function startRequests(run: RunBlock, token: string): StartRequest[] {
  const shared = {
    ...(run.parameters && { Parameters: JSON.stringify(run.parameters) }),
    ...(run.username !== undefined && { Username: run.username }),
    ...(run.workingDirectory !== undefined && { WorkingDirectory: run.workingDirectory }),
    ...(run.timeoutSeconds !== undefined && { Timeout: run.timeoutSeconds }),
    ...(run.outputCOSBucketUrl !== undefined && { OutputCOSBucketUrl: run.outputCOSBucketUrl }),
    ...(run.outputCOSKeyPrefix !== undefined && { OutputCOSKeyPrefix: run.outputCOSKeyPrefix }),
  };
  const batches = chunks(run.instances, MAX_INSTANCES_PER_CALL);
  return batches.map((instances, i): StartRequest => {
    if (run.commandId !== undefined) {
      return {
        action: "InvokeCommand",
        body: { CommandId: run.commandId, InstanceIds: instances, ...shared },
      };
    }
    const body: RunCommandRequest = {
      Content: Buffer.from(run.command ?? "", "utf8").toString("base64"),
      InstanceIds: instances,
      CommandType: run.commandType ?? "SHELL",
      CommandName: run.commandName ?? `tat-assert-${token}${batches.length > 1 ? `-${i + 1}` : ""}`,
      ...shared,
    };
    if (run.parameters) body.EnableParameter = true;
    if (run.description !== undefined) body.Description = run.description;
    if (run.saveCommand !== undefined) body.SaveCommand = run.saveCommand;
    if (run.tags) body.Tags = Object.entries(run.tags).map(([Key, Value]) => ({ Key, Value }));
    return { action: "RunCommand", body };
  });
}
