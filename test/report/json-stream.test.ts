import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, test } from "@jest/globals";
import type { RunReport } from "../../src/model.js";
import { writeReport } from "../../src/report/atomic-write.js";
import { jsonChunks, jsonReporter, renderJson, toJsonReport } from "../../src/report/json.js";
import { jsonSafe } from "../../src/report/sanitize.js";
import { GOLDEN_CASES } from "./fixtures.js";

/** The report as it was rendered before it was streamed: one JSON.stringify of the whole. */
function wholeText(report: RunReport): string {
  const wellFormed = (_key: string, value: unknown) =>
    typeof value === "string" ? value.replace(/[\uD800-\uDFFF]/gu, "\uFFFD") : value;
  return `${jsonSafe(JSON.stringify(toJsonReport(report), wellFormed, 2))}\n`;
}

describe("streamed JSON report", () => {
  for (const [name, make] of Object.entries(GOLDEN_CASES)) {
    test(`${name}: the pieces make exactly the one-string rendering`, () => {
      const report = make();
      expect([...jsonChunks(report)].join("")).toBe(wholeText(report));
      expect(renderJson(report)).toBe(wholeText(report));
    });
  }

  test("empty specs and tasks, undefined members and unsafe characters are written as before", () => {
    const base = (GOLDEN_CASES.pass as () => RunReport)();
    const [spec] = base.specs;
    if (!spec) throw new Error("fixture has no spec");
    const odd = {
      ...base,
      extra: undefined,
      note: "bidi \u202E and C1 \u0085, a cut \uD800 surrogate",
      specs: [
        { ...spec, tasks: [] },
        { ...spec, name: "with tasks \u2028", tasks: spec.tasks },
      ],
    } as unknown as RunReport;
    expect(renderJson(odd)).toBe(wholeText(odd));
    expect(renderJson({ ...base, specs: [] })).toBe(wholeText({ ...base, specs: [] }));
  });

  test("a report of many tasks comes in many pieces, none holding more than a few tasks", () => {
    const base = (GOLDEN_CASES.pass as () => RunReport)();
    const [spec] = base.specs;
    const [task] = spec?.tasks ?? [];
    if (!spec || !task) throw new Error("fixture has no task");
    const tasks = Array.from({ length: 2_000 }, (_, i) => ({ ...task, taskId: `invt-${i}` }));
    const report = { ...base, specs: [{ ...spec, tasks }] };
    const pieces = [...jsonChunks(report)];
    const whole = wholeText(report);
    expect(pieces.join("")).toBe(whole);
    expect(pieces.length).toBeGreaterThan(2_000);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(whole.length / 500);
  });

  test("written to a file and to standard output, the bytes are the one-string rendering", async () => {
    const base = (GOLDEN_CASES.pass as () => RunReport)();
    const [spec] = base.specs;
    const [task] = spec?.tasks ?? [];
    if (!spec || !task) throw new Error("fixture has no task");
    // More than one 64 KiB batch.
    const tasks = Array.from({ length: 500 }, (_, i) => ({ ...task, taskId: `invt-é${i}` }));
    const report = { ...base, specs: [{ ...spec, tasks }] };
    const dir = await mkdtemp(join(tmpdir(), "json-stream-"));
    const path = join(dir, "report.json");
    await jsonReporter(path).end(report);
    expect(await readFile(path, "utf8")).toBe(wholeText(report));
    const writes: string[] = [];
    const out = new Writable({
      write(chunk: Buffer, _enc, done) {
        writes.push(chunk.toString("utf8"));
        done();
      },
    });
    await writeReport("-", jsonChunks(report), out);
    expect(writes.join("")).toBe(wholeText(report));
    expect(writes.length).toBeGreaterThan(1);
  });
});
