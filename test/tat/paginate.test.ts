import { describe, expect, test } from "@jest/globals";
import { IncompleteResultError } from "../../src/errors.js";
import { MAX_SET_RECORDS, MAX_WALKS, type Page, walkAll } from "../../src/tat/paginate.js";

interface Item {
  id: string;
  v?: number;
}

/** A server-side list (newest first, like TAT) that a hook may change before each page is served. */
function list(initial: Item[], beforePage?: (call: number, items: Item[]) => void, pageCap = 100) {
  const items = [...initial];
  const calls: { offset: number; limit: number }[] = [];
  const fetchPage = async (offset: number, limit: number): Promise<Page<Item>> => {
    beforePage?.(calls.length, items);
    calls.push({ offset, limit });
    return {
      total: items.length,
      items: items.slice(offset, offset + Math.min(limit, pageCap)).map((x) => ({ ...x })),
    };
  };
  return { items, calls, fetchPage };
}

const make = (n: number, prefix = "invt-") =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}${String(i).padStart(4, "0")}` }));
const ids = (xs: Item[]) => xs.map((x) => x.id);
const idOf = (x: Item) => x.id;

describe("walkAll", () => {
  test("walks Limit=100 pages, overlapping by one, over 250 items: every item once, three calls", async () => {
    const l = list(make(250));
    const got = await walkAll(l.fetchPage, idOf);
    expect(ids(got)).toEqual(ids(l.items));
    expect(l.calls).toEqual([
      { offset: 0, limit: 100 },
      { offset: 99, limit: 100 },
      { offset: 198, limit: 100 },
    ]);
  });

  test("an empty result is one call", async () => {
    const l = list([]);
    expect(await walkAll(l.fetchPage, idOf)).toEqual([]);
    expect(l.calls).toHaveLength(1);
  });

  test("exactly 100 items: a full last page is confirmed by one more page holding nothing new", async () => {
    const l = list(make(100));
    expect(await walkAll(l.fetchPage, idOf)).toHaveLength(100);
    expect(l.calls).toEqual([
      { offset: 0, limit: 100 },
      { offset: 99, limit: 100 },
    ]);
  });

  test("100 ids asked and 100 returned is one call: nothing else can match", async () => {
    const l = list(make(100));
    expect(await walkAll(l.fetchPage, idOf, { expectedMax: 100 })).toHaveLength(100);
    expect(l.calls).toHaveLength(1);
  });

  test("tasks inserted at the front mid-walk: nothing lost, nothing twice", async () => {
    // Before the 2nd page, 7 new tasks appear at the front: page 2 would repeat 7 items of page 1
    // and the new ones would be missed without a second walk.
    const l = list(make(250), (call, items) => {
      if (call === 1) items.unshift(...make(7, "new-"));
    });
    const got = await walkAll(l.fetchPage, idOf);
    expect(new Set(ids(got)).size).toBe(got.length);
    expect(ids(got).sort()).toEqual(ids(l.items).sort());
    expect(got).toHaveLength(257);
  });

  test("tasks removed at the front mid-walk: the ones shifted back a page are not lost", async () => {
    const original = make(250);
    const l = list(original, (call, items) => {
      if (call === 1) items.splice(0, 5);
    });
    const got = await walkAll(l.fetchPage, idOf);
    expect(new Set(ids(got)).size).toBe(got.length);
    // Items 100..104 slid into page 1 after it was read; a single walk would have skipped them.
    for (const id of ids(original.slice(100, 105))) expect(ids(got)).toContain(id);
    for (const id of ids(l.items)) expect(ids(got)).toContain(id);
  });

  test("a removal and an insert that keep TotalCount equal are caught at the page boundary", async () => {
    const l = list(make(250), (call, items) => {
      if (call === 1) {
        items.splice(0, 1); // shifts everything left: item 100 slides into page 1
        items.push({ id: "late-0001" }); // TotalCount unchanged
      }
    });
    const got = await walkAll(l.fetchPage, idOf);
    expect(ids(got)).toContain("invt-0100");
    expect(ids(got)).toContain("late-0001");
    expect(new Set(ids(got)).size).toBe(got.length);
    expect(l.calls.length).toBeGreaterThan(3);
  });

  test("an insert in pages already read and a removal ahead (TotalCount equal) are caught", async () => {
    const l = list(make(250), (call, items) => {
      if (call === 1) {
        items.unshift({ id: "new-0001" }); // lands in the page already read
        items.splice(201, 1); // invt-0200 disappears ahead of us
      }
    });
    const got = await walkAll(l.fetchPage, idOf);
    expect(ids(got)).toContain("new-0001");
    expect(new Set(ids(got)).size).toBe(got.length);
  });

  test("a single-item page in the middle still makes progress", async () => {
    const l = list(make(5), undefined, 1);
    expect(ids(await walkAll(l.fetchPage, idOf))).toEqual(ids(make(5)));
  });

  test("later walks replace earlier copies (fresher status wins)", async () => {
    let version = 0;
    const l = list(make(150), (call, items) => {
      version = call;
      for (const it of items) it.v = version;
      if (call === 1) items.unshift({ id: "new-0" });
    });
    const got = await walkAll(l.fetchPage, idOf);
    const first = got.find((x) => x.id === "invt-0000");
    expect(first?.v).toBeGreaterThan(1);
  });

  test("a list that never settles is walked MAX_WALKS times, then nothing is returned", async () => {
    let n = 0;
    const l = list(make(150), (_, items) => {
      items.unshift({ id: `churn-${n++}` });
    });
    const e = await walkAll(l.fetchPage, idOf, { action: "DescribeInvocationTasks" }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(IncompleteResultError);
    expect(e).toMatchObject({ kind: "unverified", action: "DescribeInvocationTasks" });
    expect((e as Error).message).toContain(`walked ${MAX_WALKS} times`);
    expect(l.calls.length).toBeLessThanOrEqual(MAX_WALKS * 3);
  });

  test("short pages advance by what came back, leaving no gap", async () => {
    const l = list(make(130), undefined, 40);
    const got = await walkAll(l.fetchPage, idOf);
    expect(ids(got)).toEqual(ids(make(130)));
    expect(l.calls.map((c) => c.offset)).toEqual([0, 39, 78, 117]);
  });

  test("a TotalCount over MAX_SET_RECORDS is refused at the first page and never walked again", async () => {
    let calls = 0;
    const fetchPage = async (offset: number): Promise<Page<Item>> => {
      calls++;
      return { total: MAX_SET_RECORDS + 1, items: make(100).slice(offset % 100) };
    };
    const error = await walkAll(fetchPage, idOf).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IncompleteResultError);
    expect(String(error)).toContain(
      `the result set is too large to read whole: TotalCount ${MAX_SET_RECORDS + 1} is over 100,000 records`,
    );
    expect(calls).toBe(1);
  });

  test("records over the set's bound stop the walk where it is passed, with no walk again", async () => {
    // A server whose TotalCount stays under the bound while its pages bring new records.
    const endless = list(make(1000));
    const fetchPage = async (offset: number, limit: number): Promise<Page<Item>> => ({
      ...(await endless.fetchPage(offset, limit)),
      total: 150,
    });
    await expect(walkAll(fetchPage, idOf, { maxRecords: 150 })).rejects.toThrow(
      "too large to read whole: the pages held over 150 records",
    );
    expect(endless.calls).toHaveLength(2);
  });

  test("records padded past the set's text bound stop the walk (keys count too)", async () => {
    const padded = make(300).map((x, i) => ({
      ...x,
      [`pad${"k".repeat(400)}`]: "v".repeat(600 + i),
    }));
    const l = list(padded);
    await expect(walkAll(l.fetchPage, idOf, { maxChars: 150_000 })).rejects.toThrow(
      "too large to read whole: the records held over 0.143 Mi characters of text",
    );
    expect(l.calls).toHaveLength(2);
    // The same set under the default bound is read whole.
    expect(await walkAll(list(padded).fetchPage, idOf)).toHaveLength(300);
  });

  test("a TotalCount larger than what the pages hold is inconsistent", async () => {
    const fetchPage = async (offset: number): Promise<Page<Item>> => ({
      total: 500,
      items: offset === 0 ? make(100) : [],
    });
    await expect(walkAll(fetchPage, idOf)).rejects.toThrow(
      "TotalCount 500 but the pages end after 100 records",
    );
  });

  test("a TotalCount smaller than the list (a full last page) is caught by the confirming page", async () => {
    const all = make(150);
    const fetchPage = async (offset: number): Promise<Page<Item>> => ({
      total: 100,
      items: all.slice(offset, offset + 100),
    });
    await expect(walkAll(fetchPage, idOf)).rejects.toThrow(
      "TotalCount 100 but the list goes on past it (50 more records after a full last page)",
    );
  });

  test("a page that skips records (a gap) is walked again; a later complete walk is the answer", async () => {
    const all = make(150);
    let call = 0;
    const fetchPage = async (offset: number): Promise<Page<Item>> => {
      call++;
      const start = call === 2 ? offset + 5 : offset;
      return { total: 150, items: all.slice(start, start + 100) };
    };
    expect(ids(await walkAll(fetchPage, idOf))).toEqual(ids(all));
    expect(call).toBeGreaterThan(3);
  });

  test("a gap on every walk is inconsistent, naming the offset", async () => {
    const all = make(150);
    const fetchPage = async (offset: number): Promise<Page<Item>> => {
      const start = offset === 0 ? 0 : offset + 5;
      return { total: 150, items: all.slice(start, start + 100) };
    };
    await expect(walkAll(fetchPage, idOf)).rejects.toThrow(
      "the page at offset 99 does not start where the page before ended",
    );
  });

  test("a server that serves the same record forever is left after the first repeat", async () => {
    let calls = 0;
    const fetchPage = async (): Promise<Page<Item>> => {
      calls++;
      return { total: MAX_SET_RECORDS, items: [{ id: "invt-same" }] };
    };
    await expect(walkAll(fetchPage, idOf)).rejects.toThrow('record "invt-same" came twice');
    expect(calls).toBe(2 * MAX_WALKS);
  });

  test("a record served twice is inconsistent, even when the count adds up", async () => {
    const items = [...make(3), { id: "invt-0000" }];
    const fetchPage = async (): Promise<Page<Item>> => ({ total: 4, items });
    await expect(walkAll(fetchPage, idOf)).rejects.toThrow('record "invt-0000" came twice');
  });
});
