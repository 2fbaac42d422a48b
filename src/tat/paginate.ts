// Complete result sets from the paged Describe actions.
//
// TAT pages by Offset/Limit over a list that can change while we walk it (new invocations on the
// same instance or command add tasks; an item can slide across a page boundary and be read twice
// or never). So:
//  - every item is keyed by its id, so nothing is counted twice;
//  - consecutive pages overlap by one item, and the first item of each page must be the last of
//    the one before: any shift of the list ahead of the boundary breaks that;
//  - a walk is "stable" when no boundary moved, every page reported the same TotalCount, and the
//    walk collected exactly TotalCount distinct ids. Otherwise the list is walked again (at most
//    MAX_WALKS times) and the walks are merged, later walks replacing earlier copies (fresher
//    status). After MAX_WALKS the union is returned as it is.
//  - ids are sent in batches of 100 (the API maximum), each batch walked the same way.
// Limit without a snapshot API: a removal and an insertion both inside already-read pages between
// two requests look like no change at all. TAT does not delete tasks while a run watches them.
import { UsageError } from "../errors.js";
import type { CallOptions, TatClient } from "./client.js";
import { validateFilters } from "./filters.js";
import {
  COMMAND_FILTER_NAMES,
  type Command,
  type Filter,
  INVOCATION_FILTER_NAMES,
  type Invocation,
  type InvocationTask,
  MAX_IDS_PER_REQUEST,
  MAX_LIMIT,
  TASK_FILTER_NAMES,
} from "./types.js";

export const MAX_WALKS = 3;

export interface Page<T> {
  total: number;
  items: T[];
}

export type PageFetcher<T> = (offset: number, limit: number) => Promise<Page<T>>;

/** Every task matching ids (batched by 100) or filters, walking Limit=100 pages; no task lost or counted twice. */
export async function listInvocationTasks(
  client: TatClient,
  query: { taskIds?: string[]; filters?: Filter[]; hideOutput?: boolean },
  o?: CallOptions,
): Promise<InvocationTask[]> {
  const hide = query.hideOutput === undefined ? {} : { HideOutput: query.hideOutput };
  return listBy<InvocationTask>(
    "DescribeInvocationTasks",
    query.taskIds,
    query.filters,
    TASK_FILTER_NAMES,
    (t) => t.InvocationTaskId,
    (sel) => async (offset, limit) => {
      const r = await client.describeInvocationTasks(
        { ...sel, ...hide, Offset: offset, Limit: limit },
        o,
      );
      return { total: r.TotalCount, items: r.InvocationTaskSet ?? [] };
    },
  );
}

/** Every saved command matching the filters (e.g. command-name); same guarantees as listInvocationTasks. */
export async function listCommands(
  client: TatClient,
  query: { filters: Filter[] },
  o?: CallOptions,
): Promise<Command[]> {
  return listBy<Command>(
    "DescribeCommands",
    undefined,
    query.filters,
    COMMAND_FILTER_NAMES,
    (c) => c.CommandId,
    (sel) => async (offset, limit) => {
      const r = await client.describeCommands({ ...sel, Offset: offset, Limit: limit }, o);
      return { total: r.TotalCount, items: r.CommandSet ?? [] };
    },
  );
}

/** Every invocation matching ids (batched by 100) or filters; same guarantees as listInvocationTasks. */
export async function listInvocations(
  client: TatClient,
  query: { invocationIds?: string[]; filters?: Filter[] },
  o?: CallOptions,
): Promise<Invocation[]> {
  return listBy<Invocation>(
    "DescribeInvocations",
    query.invocationIds,
    query.filters,
    INVOCATION_FILTER_NAMES,
    (i) => i.InvocationId,
    (sel) => async (offset, limit) => {
      const r = await client.describeInvocations({ ...sel, Offset: offset, Limit: limit }, o);
      return { total: r.TotalCount, items: r.InvocationSet ?? [] };
    },
  );
}

type Selector = {
  InvocationTaskIds?: string[];
  InvocationIds?: string[];
  CommandIds?: string[];
  Filters?: Filter[];
};

async function listBy<T>(
  action: "DescribeInvocationTasks" | "DescribeInvocations" | "DescribeCommands",
  ids: string[] | undefined,
  filters: Filter[] | undefined,
  filterNames: readonly string[],
  idOf: (item: T) => string | undefined,
  fetcherFor: (selector: Selector) => PageFetcher<T>,
): Promise<T[]> {
  if (ids !== undefined && filters !== undefined) {
    throw new UsageError(`${action}: give ids or filters, not both (the API refuses the pair).`);
  }
  if (filters !== undefined) {
    if (filters.length === 0) {
      // No filter at all would list every record of the account.
      throw new UsageError(`${action}: at least one filter is needed.`);
    }
    validateFilters(action, filters, filterNames);
    return walkAll(fetcherFor({ Filters: filters }), idOf);
  }
  if (ids === undefined) throw new UsageError(`${action}: give ids or filters.`);
  const idField =
    action === "DescribeInvocationTasks"
      ? "InvocationTaskIds"
      : action === "DescribeCommands"
        ? "CommandIds"
        : "InvocationIds";
  const unique = [...new Set(ids)];
  const out: T[] = [];
  for (let i = 0; i < unique.length; i += MAX_IDS_PER_REQUEST) {
    const batch = unique.slice(i, i + MAX_IDS_PER_REQUEST);
    out.push(...(await walkAll(fetcherFor({ [idField]: batch }), idOf)));
  }
  return out;
}

/** Walks until one walk is stable (see the top of this file) or MAX_WALKS is reached. */
export async function walkAll<T>(
  fetchPage: PageFetcher<T>,
  idOf: (item: T) => string | undefined,
  maxWalks = MAX_WALKS,
): Promise<T[]> {
  const merged = new Map<string, T>();
  for (let walk = 1; ; walk++) {
    const { items, stable } = await walkOnce(fetchPage, idOf);
    for (const [id, item] of items) merged.set(id, item);
    if (stable || walk >= maxWalks) return [...merged.values()];
  }
}

async function walkOnce<T>(
  fetchPage: PageFetcher<T>,
  idOf: (item: T) => string | undefined,
): Promise<{ items: Map<string, T>; stable: boolean }> {
  // An item without an id cannot be deduplicated; key it by its content so it is kept once.
  const keyOf = (item: T) => idOf(item) ?? JSON.stringify(item);
  const items = new Map<string, T>();
  let firstTotal: number | undefined;
  let total = 0;
  let stable = true;
  let offset = 0;
  let boundary: string | undefined;
  for (;;) {
    const page = await fetchPage(offset, MAX_LIMIT);
    total = page.total;
    firstTotal ??= total;
    if (total !== firstTotal) stable = false;
    const first = page.items[0];
    if (boundary !== undefined && (first === undefined || keyOf(first) !== boundary)) {
      stable = false;
    }
    for (const item of page.items) items.set(keyOf(item), item);
    // Advance by what came back, not by Limit: a short page must not open a gap.
    const end = offset + page.items.length;
    if (page.items.length === 0 || end >= total) break;
    if (page.items.length >= 2) {
      offset = end - 1;
      boundary = keyOf(page.items[page.items.length - 1] as T);
    } else {
      offset = end;
      boundary = undefined;
    }
  }
  if (items.size !== total) stable = false;
  return { items, stable };
}
