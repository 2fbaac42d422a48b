// The emulated account: which invocations and tasks exist at a scenario time, and the two queries.
// Order is stable: newest invocation first (CreatedTime descending, ties in scenario order), and
// within an invocation its tasks in scenario order. Invocations live in a region: a caller in
// another region does not see them, and a region TAT does not serve is refused.

import type { DescribeQuery, QueryFilter } from "./params.js";
import { apiError } from "./responses.js";
import type { Scenario, ScenarioInvocation, ScenarioTask } from "./types.js";

export interface TaskRow {
  inv: ScenarioInvocation;
  task: ScenarioTask;
}

export interface Page<T> {
  total: number;
  items: T[];
}

/** Region ids of the Tencent Cloud SDKs (tat-api.md §5); a scenario may add its own. */
export const KNOWN_REGIONS: readonly string[] = [
  "ap-bangkok",
  "ap-beijing",
  "ap-chengdu",
  "ap-chongqing",
  "ap-guangzhou",
  "ap-guangzhou-open",
  "ap-hongkong",
  "ap-jakarta",
  "ap-mumbai",
  "ap-nanjing",
  "ap-seoul",
  "ap-shanghai",
  "ap-shanghai-fsi",
  "ap-shenzhen-fsi",
  "ap-singapore",
  "ap-tokyo",
  "eu-frankfurt",
  "eu-moscow",
  "na-ashburn",
  "na-siliconvalley",
  "na-toronto",
  "sa-saopaulo",
];

export class Store {
  private readonly ordered: ScenarioInvocation[];
  private readonly regions: ReadonlySet<string>;

  constructor(scenario: Scenario) {
    this.ordered = scenario.invocations
      .map((inv, index) => ({ inv, index }))
      .sort((a, b) => b.inv.createdAtMs - a.inv.createdAtMs || a.index - b.index)
      .map((x) => x.inv);
    this.regions = new Set([
      ...KNOWN_REGIONS,
      ...scenario.invocations.flatMap((inv) => (inv.region ? [inv.region] : [])),
    ]);
  }

  /** A new invocation (RunCommand / InvokeCommand): the newest, so listed first. */
  add(inv: ScenarioInvocation): void {
    this.ordered.unshift(inv);
  }

  /** Throws UnsupportedRegion for a region the service does not serve. */
  checkRegion(region: string | undefined): void {
    if (region === undefined || this.regions.has(region)) return;
    throw apiError("UnsupportedRegion", `The region \`${region}\` is not supported.`);
  }

  /** Invocations that exist for a caller in `region` (any region when not given) at time `t`. */
  visibleInvocations(t: number, region?: string): ScenarioInvocation[] {
    return this.ordered.filter(
      (inv) =>
        inv.appearsAtMs <= t &&
        (region === undefined || inv.region === undefined || inv.region === region),
    );
  }

  describeTasks(query: DescribeQuery, t: number, region?: string): Page<TaskRow> {
    const ids = query.ids ? new Set(query.ids) : undefined;
    const rows: TaskRow[] = [];
    for (const inv of this.visibleInvocations(t, region)) {
      for (const task of inv.tasks) {
        if (ids && !ids.has(task.taskId)) continue;
        if (!query.filters.every((f) => taskMatches(f, inv, task))) continue;
        rows.push({ inv, task });
      }
    }
    return page(rows, query);
  }

  /**
   * Commands, one per command id, as the invocations that ran them describe them; a command exists
   * from when its first invocation is visible. Newest first, like invocations. Tags and scenes are
   * never set, so filters on them match nothing.
   */
  describeCommands(query: DescribeQuery, t: number): Page<ScenarioInvocation> {
    const ids = query.ids ? new Set(query.ids) : undefined;
    const first = new Map<string, ScenarioInvocation>();
    for (const inv of this.visibleInvocations(t)) first.set(inv.commandId, inv);
    const rows = [...first.values()]
      .sort((a, b) => b.createdAtMs - a.createdAtMs)
      .filter(
        (inv) =>
          (!ids || ids.has(inv.commandId)) && query.filters.every((f) => commandMatches(f, inv)),
      );
    return page(rows, query);
  }

  describeInvocations(query: DescribeQuery, t: number, region?: string): Page<ScenarioInvocation> {
    const ids = query.ids ? new Set(query.ids) : undefined;
    const rows = this.visibleInvocations(t, region).filter(
      (inv) =>
        (!ids || ids.has(inv.invocationId)) &&
        query.filters.every((f) => invocationMatches(f, inv)),
    );
    return page(rows, query);
  }
}

function page<T>(rows: T[], query: DescribeQuery): Page<T> {
  return { total: rows.length, items: rows.slice(query.offset, query.offset + query.limit) };
}

// Values within one filter are ORed; filters are ANDed by the callers above.
function taskMatches(f: QueryFilter, inv: ScenarioInvocation, task: ScenarioTask): boolean {
  const field: Record<string, string> = {
    "invocation-task-id": task.taskId,
    "invocation-id": inv.invocationId,
    "instance-id": task.instanceId,
    "command-id": inv.commandId,
  };
  return f.values.includes(field[f.name] as string);
}

function commandMatches(f: QueryFilter, inv: ScenarioInvocation): boolean {
  const field: Record<string, string> = {
    "command-id": inv.commandId,
    "command-name": inv.commandName,
    "command-type": inv.commandType,
    "created-by": inv.createdBy,
  };
  const value = field[f.name];
  return value !== undefined && f.values.includes(value);
}

function invocationMatches(f: QueryFilter, inv: ScenarioInvocation): boolean {
  const field: Record<string, string> = {
    "invocation-id": inv.invocationId,
    "command-id": inv.commandId,
    "command-created-by": inv.createdBy,
    "instance-kind": inv.instanceKind,
  };
  return f.values.includes(field[f.name] as string);
}
