// The baseline: what a hand-written wait script does. Every poll lists every task of every
// invocation with its output (DescribeInvocationTasks, an invocation-id filter, HideOutput=false,
// Offset paging by 100) and sleeps a fixed interval until all tasks are terminal. It does the same
// final judgement as the output spec (every task SUCCESS and its output contains the needle).
import type { TatClient } from "../src/tat/client.js";
import { decodeOutput } from "../src/tat/decode.js";
import { isTerminal } from "../src/tat/task-status.js";
import type { InvocationTask } from "../src/tat/types.js";

export interface NaiveOptions {
  invocationIds: string[];
  expectedTasks: number;
  intervalMs: number;
  needle: string;
  region: string;
  sleep: (ms: number) => Promise<void>;
}

export interface NaiveResult {
  polls: number;
  tasks: number;
  passed: number;
}

export async function naivePoll(client: TatClient, o: NaiveOptions): Promise<NaiveResult> {
  for (let polls = 1; ; polls++) {
    const tasks: InvocationTask[] = [];
    for (const id of o.invocationIds) {
      for (let offset = 0; ; offset += 100) {
        const page = await client.describeInvocationTasks(
          {
            Filters: [{ Name: "invocation-id", Values: [id] }],
            HideOutput: false,
            Offset: offset,
            Limit: 100,
          },
          { region: o.region },
        );
        tasks.push(...(page.InvocationTaskSet ?? []));
        if (offset + 100 >= page.TotalCount) break;
      }
    }
    const done =
      tasks.length === o.expectedTasks && tasks.every((t) => isTerminal(t.TaskStatus ?? ""));
    if (done) {
      const passed = tasks.filter(
        (t) =>
          t.TaskStatus === "SUCCESS" &&
          (decodeOutput(t.TaskResult?.Output) ?? "").includes(o.needle),
      ).length;
      return { polls, tasks: tasks.length, passed };
    }
    await o.sleep(o.intervalMs);
  }
}
