// The records a scenario is made of, read from the API: the invocations asked for (or those of the
// tasks asked for, or those a JSON report names) and their tasks with output. Every answer comes
// through the client, so through the one strict parser, like everything else the gate reads.
import { readFile } from "node:fs/promises";
import { UsageError } from "../errors.js";
import type { CallOptions, TatClient } from "../tat/client.js";
import { listInvocations, listInvocationTasks } from "../tat/paginate.js";
import type { Invocation, InvocationTask } from "../tat/types.js";

export interface RecordSelector {
  invocationIds: string[];
  taskIds: string[];
}

/** The API accepts at most 5 values per filter. */
const FILTER_VALUES = 5;

export async function fetchRecords(
  client: TatClient,
  selector: RecordSelector,
  options: { withOutput: boolean } & CallOptions,
): Promise<{ invocations: Invocation[]; tasks: InvocationTask[] }> {
  const { withOutput, ...call } = options;
  const tasks: InvocationTask[] = [];
  if (selector.taskIds.length > 0) {
    tasks.push(
      ...(await listInvocationTasks(
        client,
        { taskIds: selector.taskIds, hideOutput: !withOutput },
        call,
      )),
    );
  }
  const invocationIds = [...new Set(selector.invocationIds)];
  for (let i = 0; i < invocationIds.length; i += FILTER_VALUES) {
    const values = invocationIds.slice(i, i + FILTER_VALUES);
    tasks.push(
      ...(await listInvocationTasks(
        client,
        { filters: [{ Name: "invocation-id", Values: values }], hideOutput: !withOutput },
        call,
      )),
    );
  }
  const unique = new Map(tasks.map((t) => [t.InvocationTaskId ?? "", t]));
  const ids = new Set([...invocationIds, ...[...unique.values()].map((t) => t.InvocationId ?? "")]);
  ids.delete("");
  const invocations =
    ids.size > 0 ? await listInvocations(client, { invocationIds: [...ids] }, call) : [];
  const missing = invocationIds.filter((id) => !invocations.some((i) => i.InvocationId === id));
  if (missing.length > 0) {
    throw new UsageError(`no invocation ${missing.join(", ")} in this region`);
  }
  return { invocations, tasks: [...unique.values()] };
}

/** The invocation and task ids a JSON report (`--reporter json`) watched. */
export async function selectorFromReport(path: string): Promise<RecordSelector> {
  let report: unknown;
  try {
    report = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new UsageError(
      `--from-report ${path}: not a readable JSON report (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const specs = (report as { specs?: unknown }).specs;
  if (!Array.isArray(specs)) {
    throw new UsageError(`--from-report ${path}: no "specs" list; is it a tat-assert JSON report?`);
  }
  const invocationIds = new Set<string>();
  for (const spec of specs as { observation?: { invocations?: { invocationId?: unknown }[] } }[]) {
    for (const inv of spec.observation?.invocations ?? []) {
      if (typeof inv.invocationId === "string" && inv.invocationId !== "")
        invocationIds.add(inv.invocationId);
    }
  }
  if (invocationIds.size === 0) {
    throw new UsageError(`--from-report ${path}: the report names no invocation to record`);
  }
  return { invocationIds: [...invocationIds], taskIds: [] };
}
