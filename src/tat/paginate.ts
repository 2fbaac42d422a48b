// Complete result sets from the paged Describe actions.
//
// TAT pages by Offset/Limit over a list that can change while we walk it (new invocations on the
// same instance or command add tasks; an item can slide across a page boundary and be read twice
// or never). So:
//  - every item is keyed by its id, so nothing is counted twice;
//  - consecutive pages overlap by one item, and the first item of each page must be the last of
//    the one before: any shift of the list ahead of the boundary breaks that;
//  - a walk is complete when no boundary moved, no record came twice (but the overlap), every
//    page reported the same TotalCount, the walk collected exactly TotalCount distinct ids, and a
//    full last page was confirmed by one more page holding nothing new. Otherwise the list is
//    walked again, at most MAX_WALKS times; the first complete walk is the answer. When none is,
//    IncompleteResultError names what did not add up: a partial set is never returned.
//  - every record must belong to the query: an id not asked for, or a record a filter does not
//    select, is a ForeignRecordError (an API error), never adopted.
//  - ids are sent in batches of 100 (the API maximum), each batch walked the same way.
// Limit without a snapshot API: a removal and an insertion both inside already-read pages between
// two requests look like no change at all. TAT does not delete tasks while a run watches them.
import { ForeignRecordError, IncompleteResultError, UsageError } from "../errors.js";
import { groupDigits } from "../locale-free.js";
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

/** The most records one set may hold, and the most characters of text in them. A walk keeps every
 * record of a set until the set adds up, and a server can announce a TotalCount of 1e12 and serve
 * consistent pages for ever, or pad each record with a field of 300 KB: unbounded, that ends in V8
 * running out of heap (exit 134), not in an answer. Both are far above what a gate reads (a filter
 * target of 10,000 tasks without output is about 10 MB of text); a larger set is could not verify
 * (exit 3), with the fix: narrow the filters. */
export const MAX_SET_RECORDS = 100_000;
export const MAX_SET_CHARS = 256 * 1024 * 1024;

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
    TASK_FIELDS,
    (sel) => async (offset, limit) => {
      const r = await client.describeInvocationTasks(
        { ...sel, ...hide, Offset: offset, Limit: limit },
        o,
      );
      return { total: r.TotalCount, items: r.InvocationTaskSet, requestId: r.RequestId };
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
    COMMAND_FIELDS,
    (sel) => async (offset, limit) => {
      const r = await client.describeCommands({ ...sel, Offset: offset, Limit: limit }, o);
      return { total: r.TotalCount, items: r.CommandSet, requestId: r.RequestId };
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
    INVOCATION_FIELDS,
    (sel) => async (offset, limit) => {
      const r = await client.describeInvocations({ ...sel, Offset: offset, Limit: limit }, o);
      return { total: r.TotalCount, items: r.InvocationSet, requestId: r.RequestId };
    },
  );
}

/** The record field each filter name selects on; a filter whose field a record does not carry
 * (command-created-by) cannot be checked. */
const TASK_FIELDS: Record<string, keyof InvocationTask> = {
  "invocation-task-id": "InvocationTaskId",
  "invocation-id": "InvocationId",
  "instance-id": "InstanceId",
  "command-id": "CommandId",
};
// command-name is left out: its matching rule is not documented (it may match part of a name), so
// the reader keeps exact matches itself instead of calling the others foreign.
const COMMAND_FIELDS: Record<string, keyof Command> = {
  "command-id": "CommandId",
  "command-type": "CommandType",
};
const INVOCATION_FIELDS: Record<string, keyof Invocation> = {
  "invocation-id": "InvocationId",
  "command-id": "CommandId",
  "instance-kind": "InstanceKind",
};

type Selector = {
  InvocationTaskIds?: string[];
  InvocationIds?: string[];
  CommandIds?: string[];
  Filters?: Filter[];
};
type AnswerPage<T> = Page<T> & { requestId?: string };

async function listBy<T>(
  action: "DescribeInvocationTasks" | "DescribeInvocations" | "DescribeCommands",
  ids: string[] | undefined,
  filters: Filter[] | undefined,
  filterNames: readonly string[],
  idOf: (item: T) => string | undefined,
  fields: Record<string, keyof T>,
  fetcherFor: (selector: Selector) => (offset: number, limit: number) => Promise<AnswerPage<T>>,
): Promise<T[]> {
  if (ids !== undefined && filters !== undefined) {
    throw new UsageError(`${action}: give ids or filters, not both (the API refuses the pair).`);
  }
  const what =
    action === "DescribeInvocationTasks"
      ? "task"
      : action === "DescribeCommands"
        ? "command"
        : "invocation";
  if (filters !== undefined) {
    if (filters.length === 0) {
      // No filter at all would list every record of the account.
      throw new UsageError(`${action}: at least one filter is needed.`);
    }
    validateFilters(action, filters, filterNames);
    const fetch = fetcherFor({ Filters: filters });
    const checked: PageFetcher<T> = async (offset, limit) => {
      const page = await fetch(offset, limit);
      for (const item of page.items) {
        for (const f of filters) {
          const field = fields[f.Name];
          if (field === undefined) continue;
          const value = item[field];
          if (typeof value !== "string" || !f.Values.includes(value)) {
            throw new ForeignRecordError(
              action,
              `${what} ${JSON.stringify(idOf(item))} has ${String(field)} ${JSON.stringify(value)}, which the filter ${f.Name}=${f.Values.join(",")} does not select`,
              page.requestId,
            );
          }
        }
      }
      return page;
    };
    return walkAll(checked, idOf, { action });
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
    const asked = new Set(batch);
    const fetch = fetcherFor({ [idField]: batch });
    const checked: PageFetcher<T> = async (offset, limit) => {
      const page = await fetch(offset, limit);
      for (const item of page.items) {
        const id = idOf(item);
        if (id === undefined || !asked.has(id)) {
          throw new ForeignRecordError(
            action,
            `${what} ${JSON.stringify(id)} was not asked for (asked: ${capIds(batch)})`,
            page.requestId,
          );
        }
      }
      return page;
    };
    out.push(...(await walkAll(checked, idOf, { action, expectedMax: batch.length })));
  }
  return out;
}

function capIds(ids: string[]): string {
  return ids.length <= 3
    ? ids.join(", ")
    : `${ids.slice(0, 3).join(", ")} and ${ids.length - 3} more`;
}

export interface WalkOptions {
  /** Default MAX_WALKS. */
  maxWalks?: number;
  /** For messages. */
  action?: string;
  /** The most records the query can match (the number of ids asked); a full page reaching it
   * needs no confirmation. Unknown for filters. */
  expectedMax?: number;
  /** Default MAX_SET_RECORDS and MAX_SET_CHARS. */
  maxRecords?: number;
  maxChars?: number;
}

/**
 * Walks until one walk is complete and consistent (see the top of this file) and returns that walk.
 * After `maxWalks` walks that did not add up it throws IncompleteResultError naming the last
 * inconsistency: a partial set is never returned.
 */
export async function walkAll<T>(
  fetchPage: PageFetcher<T>,
  idOf: (item: T) => string | undefined,
  options: WalkOptions = {},
): Promise<T[]> {
  const maxWalks = options.maxWalks ?? MAX_WALKS;
  let problem = "";
  for (let walk = 1; walk <= maxWalks; walk++) {
    const result = await walkOnce(fetchPage, idOf, options);
    if (result.problem === undefined) return [...result.items.values()];
    problem = result.problem;
  }
  throw new IncompleteResultError(
    options.action ?? "a paged read",
    `${problem} (walked ${maxWalks} times)`,
  );
}

async function walkOnce<T>(
  fetchPage: PageFetcher<T>,
  idOf: (item: T) => string | undefined,
  options: WalkOptions,
): Promise<{ items: Map<string, T>; problem: string | undefined }> {
  const { expectedMax } = options;
  const maxRecords = options.maxRecords ?? MAX_SET_RECORDS;
  const maxChars = options.maxChars ?? MAX_SET_CHARS;
  // Not a walk that may add up next time: the set is too large to hold, so none is walked again.
  const tooLarge = (what: string) =>
    new IncompleteResultError(
      options.action ?? "a paged read",
      `${what}; narrow the target (filters such as instance-id or invocation-id, or since)`,
      "the result set is too large to read whole",
    );
  let chars = 0;
  // An item without an id cannot be deduplicated; key it by its content so it is kept once.
  const keyOf = (item: T) => idOf(item) ?? JSON.stringify(item);
  const items = new Map<string, T>();
  let firstTotal: number | undefined;
  let total = 0;
  let problem: string | undefined;
  const note = (p: string) => {
    problem ??= p;
  };
  let offset = 0;
  let boundary: string | undefined;
  for (;;) {
    const page = await fetchPage(offset, MAX_LIMIT);
    total = page.total;
    if (total > maxRecords) {
      throw tooLarge(`TotalCount ${total} is over ${groupDigits(maxRecords)} records`);
    }
    firstTotal ??= total;
    if (total !== firstTotal) note(`TotalCount changed from ${firstTotal} to ${total} mid-walk`);
    const first = page.items[0];
    // An empty page is judged below, against TotalCount.
    if (boundary !== undefined && first !== undefined && keyOf(first) !== boundary) {
      note(
        `the page at offset ${offset} does not start where the page before ended (a gap or a shift)`,
      );
    }
    for (const [i, item] of page.items.entries()) {
      const key = keyOf(item);
      // The overlap item is expected twice; any other repeat means the pages do not add up.
      if (items.has(key) && !(i === 0 && key === boundary)) {
        note(`record ${JSON.stringify(key)} came twice`);
      }
      items.set(key, item);
      chars += textSize(item);
    }
    if (items.size > maxRecords) {
      throw tooLarge(`the pages held over ${groupDigits(maxRecords)} records`);
    }
    if (chars > maxChars) {
      throw tooLarge(
        `the records held over ${groupDigits(maxChars / 1024 / 1024)} Mi characters of text`,
      );
    }
    // This walk can no longer add up; walking on would only let a lying server keep us busy.
    if (problem !== undefined) break;
    // Advance by what came back, not by Limit: a short page must not open a gap.
    const end = offset + page.items.length;
    if (page.items.length === 0) {
      if (end < total) note(`TotalCount ${total} but the pages end after ${items.size} records`);
      break;
    }
    if (end >= total) {
      // A full page where TotalCount says the walk is over: TotalCount may be short. One more
      // page past the end (overlapping by one) must hold nothing new.
      const full = page.items.length >= MAX_LIMIT;
      const couldBeMore = expectedMax === undefined || items.size < expectedMax;
      if (full && couldBeMore && problem === undefined) {
        const last = keyOf(page.items[page.items.length - 1] as T);
        const after = await fetchPage(end - 1, MAX_LIMIT);
        const extra = after.items.filter((x) => keyOf(x) !== last);
        const head = after.items[0];
        if (
          after.total !== total ||
          extra.length > 0 ||
          head === undefined ||
          keyOf(head) !== last
        ) {
          note(
            `TotalCount ${total} but the list goes on past it (${extra.length} more records after a full last page)`,
          );
        }
      }
      break;
    }
    if (page.items.length >= 2) {
      offset = end - 1;
      boundary = keyOf(page.items[page.items.length - 1] as T);
    } else {
      offset = end;
      boundary = undefined;
    }
  }
  if (items.size !== total)
    note(`TotalCount ${total} but the pages held ${items.size} distinct records`);
  return { items, problem };
}

/** Characters of text in a parsed JSON value, keys included; other values count 8. Records are
 * at most MAX_JSON_DEPTH deep (the parser refuses deeper answers). */
function textSize(value: unknown): number {
  if (typeof value === "string") return value.length;
  if (typeof value !== "object" || value === null) return 8;
  let n = 0;
  if (Array.isArray(value)) {
    for (const v of value) n += textSize(v);
  } else {
    for (const [k, v] of Object.entries(value)) n += k.length + textSize(v);
  }
  return n;
}
