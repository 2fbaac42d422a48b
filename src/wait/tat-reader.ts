// The two reads the poller makes, as a port: the poller depends on this shape, the TAT client
// provides it. Retries and rate limiting live in the client; the poller only decides when to look.
//
// The port also keeps the answers honest across calls: a task is the task it was first seen as
// (same invocation, same instance), a task seen finished keeps the status it finished with, and a
// task known to exist (DescribeInvocations listed it, or an earlier answer returned it) must be
// returned when asked for by id. Within one call, paginate.ts
// already refuses records that were not asked for and sets whose pages do not add up.
import { ForeignRecordError, IncompleteResultError } from "../errors.js";
import type { CallOptions, TatClient } from "../tat/client.js";
import { listCommands, listInvocations, listInvocationTasks } from "../tat/paginate.js";
import { isTerminal } from "../tat/task-status.js";
import type { Filter, Invocation, InvocationTask } from "../tat/types.js";

export interface TatReader {
  invocations(ids: string[], o: CallOptions): Promise<Invocation[]>;
  /** DescribeInvocations by filters (e.g. command-id): how a `latest` target finds its run. */
  invocationsByFilter(filters: Filter[], o: CallOptions): Promise<Invocation[]>;
  /** Ids of the saved commands with exactly this name (DescribeCommands, filter command-name). */
  commandIdsByName(name: string, o: CallOptions): Promise<string[]>;
  tasksById(ids: string[], hideOutput: boolean, o: CallOptions): Promise<InvocationTask[]>;
  tasksByFilter(filters: Filter[], hideOutput: boolean, o: CallOptions): Promise<InvocationTask[]>;
}

export function tatReader(client: TatClient): TatReader {
  return consistentReader({
    invocations: (ids, o) => listInvocations(client, { invocationIds: ids }, o),
    invocationsByFilter: (filters, o) => listInvocations(client, { filters }, o),
    commandIdsByName: async (name, o) => {
      const filters = [{ Name: "command-name", Values: [name] }];
      const commands = await listCommands(client, { filters }, o);
      // The filter's matching rule is not documented (it may match parts of names): exact only.
      return commands.flatMap((c) => (c.CommandName === name && c.CommandId ? [c.CommandId] : []));
    },
    tasksById: (ids, hideOutput, o) => listInvocationTasks(client, { taskIds: ids, hideOutput }, o),
    tasksByFilter: (filters, hideOutput, o) =>
      listInvocationTasks(client, { filters, hideOutput }, o),
  });
}

interface Identity {
  invocationId: string;
  instanceId: string;
}

interface Seen extends Identity {
  /** The terminal status it was first seen with. */
  ended?: string;
}

/** Wraps any reader with the cross-call checks above. */
export function consistentReader(inner: TatReader): TatReader {
  const seen = new Map<string, Seen>();
  // TAT runs an invocation once per instance: a second task on the same instance would count
  // twice for a quorum or coverage, so it is a record that does not belong.
  const taskOn = new Map<string, string>();
  const remember = (action: string, taskId: string, id: Identity, status: string): void => {
    const ended = isTerminal(status) ? status : undefined;
    const known = seen.get(taskId);
    if (!known) {
      const slot = `${id.invocationId}\u0000${id.instanceId}`;
      const other = id.instanceId ? taskOn.get(slot) : undefined;
      if (other !== undefined && other !== taskId) {
        throw new ForeignRecordError(
          action,
          `invocation ${JSON.stringify(id.invocationId)} has two tasks on instance ${JSON.stringify(id.instanceId)} (${other} and ${JSON.stringify(taskId)}); TAT runs an invocation once per instance`,
          undefined,
        );
      }
      if (id.instanceId) taskOn.set(slot, taskId);
      seen.set(taskId, { ...id, ...(ended && { ended }) });
      return;
    }
    if (known.invocationId !== id.invocationId) {
      throw new ForeignRecordError(
        action,
        `task ${taskId} came as part of invocation ${JSON.stringify(id.invocationId)}, but it was seen under ${known.invocationId}`,
        undefined,
      );
    }
    if (known.instanceId !== id.instanceId) {
      throw new ForeignRecordError(
        action,
        `task ${taskId} came for instance ${JSON.stringify(id.instanceId)}, but it was seen on ${known.instanceId}`,
        undefined,
      );
    }
    // TAT never moves a task from one final status to another. Two answers that say it did cannot
    // both be true, and the one judged may be the lie: a FAILED task answered as SUCCESS, exit code
    // 0 and clean output where the output is read. An earlier status that is not final is only
    // older (replicas may lag), so only final against final is compared.
    if (ended === undefined) return;
    if (known.ended === undefined) known.ended = ended;
    else if (known.ended !== ended) {
      throw new IncompleteResultError(
        action,
        `task ${taskId} on ${known.instanceId} came as ${ended}, but an earlier answer said it had ended as ${known.ended}; a finished task does not change status`,
        "the answers contradict each other",
      );
    }
  };
  const rememberTasks = (tasks: InvocationTask[]): void => {
    for (const t of tasks) {
      remember(
        "DescribeInvocationTasks",
        t.InvocationTaskId ?? "",
        { invocationId: t.InvocationId ?? "", instanceId: t.InstanceId ?? "" },
        t.TaskStatus ?? "",
      );
    }
  };
  return {
    // Only finds which invocation a `latest` target means; its tasks are read (and checked) by id.
    invocationsByFilter: (filters, o) => inner.invocationsByFilter(filters, o),
    commandIdsByName: (name, o) => inner.commandIdsByName(name, o),
    async invocations(ids, o) {
      const invs = await inner.invocations(ids, o);
      for (const inv of invs) {
        for (const t of inv.InvocationTaskBasicInfoSet ?? []) {
          remember(
            "DescribeInvocations",
            t.InvocationTaskId ?? "",
            { invocationId: inv.InvocationId ?? "", instanceId: t.InstanceId ?? "" },
            t.TaskStatus ?? "",
          );
        }
      }
      return invs;
    },
    async tasksById(ids, hideOutput, o) {
      const known = ids.filter((id) => seen.has(id));
      const tasks = await inner.tasksById(ids, hideOutput, o);
      rememberTasks(tasks);
      const returned = new Set(tasks.map((t) => t.InvocationTaskId));
      const missing = known.filter((id) => !returned.has(id));
      if (missing.length > 0) {
        const shown =
          missing.slice(0, 3).join(", ") +
          (missing.length > 3 ? ` and ${missing.length - 3} more` : "");
        throw new IncompleteResultError(
          "DescribeInvocationTasks",
          `${missing.length} of ${known.length} tasks known to exist were not returned (${shown}); TotalCount disagrees with the task list`,
        );
      }
      return tasks;
    },
    async tasksByFilter(filters, hideOutput, o) {
      const tasks = await inner.tasksByFilter(filters, hideOutput, o);
      rememberTasks(tasks);
      return tasks;
    },
  };
}
