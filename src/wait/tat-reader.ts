// The two reads the poller makes, as a port: the poller depends on this shape, the TAT client
// provides it. Retries and rate limiting live in the client; the poller only decides when to look.
import type { CallOptions, TatClient } from "../tat/client.js";
import { listCommands, listInvocations, listInvocationTasks } from "../tat/paginate.js";
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
  return {
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
  };
}
