// The real fetch, measured: counts responses and the bytes of their bodies as they stream in, in
// total and per TAT action (the X-TC-Action request header). A clone's body is read alongside the
// caller's, so the count needs no second copy of the answer.

export interface Tally {
  responses: number;
  bytes: number;
}

export interface FetchCounts extends Tally {
  byAction: Record<string, Tally>;
}

export interface CountingFetch {
  fetch: typeof globalThis.fetch;
  counts: FetchCounts;
  /** Resolves when every body seen so far has been counted to its end. */
  settled(): Promise<void>;
}

export function countingFetch(inner: typeof globalThis.fetch = globalThis.fetch): CountingFetch {
  const counts: FetchCounts = { responses: 0, bytes: 0, byAction: {} };
  const pending = new Set<Promise<void>>();
  const count = async (body: ReadableStream<Uint8Array> | null, tally: Tally): Promise<void> => {
    if (!body) return;
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        counts.bytes += value.byteLength;
        tally.bytes += value.byteLength;
      }
    } catch {
      // An aborted or reset answer: the bytes that arrived are counted, the rest never came.
    }
  };
  const measured: typeof globalThis.fetch = async (input, init) => {
    const response = await inner(input, init);
    const action = new Headers(init?.headers).get("x-tc-action") ?? "(none)";
    counts.byAction[action] ??= { responses: 0, bytes: 0 };
    const tally = counts.byAction[action];
    counts.responses++;
    tally.responses++;
    const counting = count(response.clone().body, tally);
    pending.add(counting);
    void counting.finally(() => pending.delete(counting));
    return response;
  };
  return {
    fetch: measured,
    counts,
    settled: async () => {
      await Promise.all(pending);
    },
  };
}
