// One TatReader shared by every spec's wait: calls that arrive within a short window of each other
// (specs polling in the same round) go out as one request per 100 ids, and each caller gets back
// exactly the records it asked for. Calls are grouped only when they can share a request: same
// action, same region, same HideOutput. Filter queries go straight through (they cannot be merged
// without changing what they match).
import type { ApiErrorRecord } from "../model.js";
import type { CallOptions } from "../tat/client.js";
import type { Filter, Invocation, InvocationTask } from "../tat/types.js";
import type { TatReader } from "./tat-reader.js";

export interface BatchingOptions {
  /** How long the first call of a group waits for others to join it. A round of polls from many
   * specs arrives within a few milliseconds; the window is far below any poll interval, so the
   * delay it adds to a verdict is negligible. @default 20 */
  windowMs?: number;
}

interface Waiting<T> {
  ids: string[];
  o: CallOptions;
  resolve: (items: T[]) => void;
  reject: (error: unknown) => void;
}

interface Group<T> {
  waiting: Waiting<T>[];
}

export function batchingReader(inner: TatReader, options: BatchingOptions = {}): TatReader {
  const windowMs = options.windowMs ?? 20;
  const invocations = coalescer<Invocation>(
    windowMs,
    (i) => i.InvocationId,
    (ids, o) => inner.invocations(ids, o),
  );
  const tasks = new Map<boolean, ReturnType<typeof coalescer<InvocationTask>>>();
  const tasksFor = (hideOutput: boolean) => {
    let c = tasks.get(hideOutput);
    if (!c) {
      c = coalescer<InvocationTask>(
        windowMs,
        (t) => t.InvocationTaskId,
        (ids, o) => inner.tasksById(ids, hideOutput, o),
      );
      tasks.set(hideOutput, c);
    }
    return c;
  };
  return {
    invocations: (ids, o) => invocations(ids, o),
    tasksById: (ids, hideOutput, o) => tasksFor(hideOutput)(ids, o),
    tasksByFilter: (filters: Filter[], hideOutput: boolean, o: CallOptions) =>
      inner.tasksByFilter(filters, hideOutput, o),
    // Once per `latest` target, before it is read like an invocation target: not worth batching.
    invocationsByFilter: (filters, o) => inner.invocationsByFilter(filters, o),
    commandIdsByName: (name, o) => inner.commandIdsByName(name, o),
  };
}

/** Groups calls per region within `windowMs`, sends the union of their ids once (the inner
 * reader splits it into requests of 100), and hands each caller the items with its ids. */
function coalescer<T>(
  windowMs: number,
  idOf: (item: T) => string | undefined,
  send: (ids: string[], o: CallOptions) => Promise<T[]>,
): (ids: string[], o: CallOptions) => Promise<T[]> {
  const open = new Map<string, Group<T>>();
  const flush = async (region: string, group: Group<T>) => {
    open.delete(region);
    const live = group.waiting.filter((w) => !w.o.signal?.aborted);
    if (live.length === 0) return;
    const ids = [...new Set(live.flatMap((w) => w.ids))];
    const request = shared(
      region,
      live.map((w) => w.o),
    );
    try {
      const items = await send(ids, request.o);
      const byId = new Map<string, T>();
      for (const item of items) {
        const id = idOf(item);
        if (id !== undefined) byId.set(id, item);
      }
      for (const w of live) {
        const mine: T[] = [];
        for (const id of new Set(w.ids)) {
          const item = byId.get(id);
          if (item !== undefined) mine.push(item);
        }
        w.resolve(mine);
      }
    } catch (error) {
      if (live.length === 1) {
        live[0]?.reject(error);
        return;
      }
      // One caller's ids may be what the API refused: each caller asks alone, so a refusal
      // reaches only the spec it belongs to.
      await Promise.all(live.map((w) => send(w.ids, w.o).then(w.resolve, w.reject)));
    } finally {
      request.dispose();
    }
  };
  return (ids, o) => {
    if (ids.length === 0) return Promise.resolve([]);
    if (o.signal?.aborted) return Promise.reject(o.signal.reason);
    const region = o.region ?? "";
    let group = open.get(region);
    if (!group) {
      const fresh: Group<T> = { waiting: [] };
      group = fresh;
      open.set(region, fresh);
      setTimeout(() => void flush(region, fresh), windowMs);
    }
    const current = group;
    return new Promise<T[]>((resolve, reject) => {
      const signal = o.signal;
      // A caller that gives up (its own deadline, an abort) leaves at once; the shared request
      // goes on for the others.
      const onAbort = () => reject(signal?.reason);
      signal?.addEventListener("abort", onAbort, { once: true });
      const done = () => signal?.removeEventListener("abort", onAbort);
      current.waiting.push({
        ids,
        o,
        resolve: (items) => {
          done();
          resolve(items);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      });
    });
  };
}

/** Options for a request made on behalf of several callers: every caller hears of its API
 * errors, and it is aborted only when every caller has given up. */
function shared(region: string, all: CallOptions[]): { o: CallOptions; dispose: () => void } {
  const o: CallOptions = {
    onApiError: (record: ApiErrorRecord) => {
      for (const c of all) c.onApiError?.(record);
    },
  };
  if (region !== "") o.region = region;
  const signals = all.map((c) => c.signal);
  if (!signals.every((s): s is AbortSignal => s !== undefined)) return { o, dispose: () => {} };
  const controller = new AbortController();
  const check = () => {
    if (signals.every((s) => s.aborted)) controller.abort(signals[0]?.reason);
  };
  for (const s of signals) s.addEventListener("abort", check, { once: true });
  check();
  o.signal = controller.signal;
  // A look's signal serves many requests (one per 100 records): listeners must not pile up on it.
  return {
    o,
    dispose: () => {
      for (const s of signals) s.removeEventListener("abort", check);
    },
  };
}
