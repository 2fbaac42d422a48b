import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { Ajv } from "ajv";
import { jsonReporter, REPORT_SCHEMA_ID, renderJson } from "../../src/report/json.js";
import { errorsReport, failuresReport, GOLDEN_CASES, nastyReport, passReport } from "./fixtures.js";
import { expectGolden } from "./golden.js";

const schemaText = await readFile(new URL("../../schema/report-v1.json", import.meta.url), "utf8");

/** The published schema allows new fields; this copy does not, so every field we write must be documented. */
function closed(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closed);
  if (node === null || typeof node !== "object") return node;
  const copy = Object.fromEntries(
    Object.entries(node).map(([k, v]) => [
      k,
      k === "properties"
        ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, closed(s)]))
        : closed(v),
    ]),
  );
  if ("properties" in copy && !("additionalProperties" in copy)) copy.additionalProperties = false;
  return copy;
}

function compile(schema: object) {
  const ajv = new Ajv({ allErrors: true });
  ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  return ajv.compile(schema);
}

const published = compile(JSON.parse(schemaText));
const documented = compile(closed(JSON.parse(schemaText)) as object);

describe("JSON report", () => {
  // The nasty case is left out of the golden files: its 300 KB output would only bloat them.
  for (const [name, make] of Object.entries(GOLDEN_CASES).filter(([n]) => n !== "nasty")) {
    test(`golden: ${name}`, () => expectGolden(`json/${name}.json`, renderJson(make())));
  }

  test("every report validates against schema/report-v1.json, with no undocumented field", () => {
    for (const make of Object.values(GOLDEN_CASES)) {
      const doc = JSON.parse(renderJson(make()));
      expect(published(doc) ? [] : published.errors).toEqual([]);
      expect(documented(doc) ? [] : documented.errors).toEqual([]);
    }
  });

  test("the schema rejects what tooling must be able to rely on", () => {
    const doc = JSON.parse(renderJson(failuresReport()));
    doc.specs[0].tasks[0].results[0].outcome = "maybe";
    delete doc.specs[0].observation.apiErrors;
    expect(published(doc)).toBe(false);
    expect(published.errors?.map((e) => e.instancePath)).toEqual(
      expect.arrayContaining(["/specs/0/tasks/0/results/0/outcome", "/specs/0/observation"]),
    );
    const extended = JSON.parse(renderJson(passReport()));
    extended.specs[0].tasks[0].observed.newField = 1;
    expect(published(extended)).toBe(true);
    expect(documented(extended)).toBe(false);
  });

  test("holds everything of the run report, plus the schema URL and time to terminal per task", () => {
    const report = errorsReport();
    const doc = JSON.parse(renderJson(report));
    expect(doc.$schema).toBe(REPORT_SCHEMA_ID);
    expect(JSON.parse(schemaText).$id).toBe(REPORT_SCHEMA_ID);
    const [done, running] = doc.specs[0].tasks;
    expect(done.timeToTerminalMs).toBe(4000);
    expect(running).not.toHaveProperty("timeToTerminalMs");
    expect(done.observed.history).toEqual(report.specs[0]?.tasks[0]?.observed.history);
    expect(doc.specs[1].observation.apiErrors).toHaveLength(2);
    const { $schema: _s, specs, verdict, ...rest } = doc;
    const { specs: _specs, ...original } = report;
    expect(rest).toEqual(original);
    expect(verdict).toBe("could not verify (deadline reached, cancelled or target not found)");
    expect(specs[1]).toEqual(report.specs[1]);
  });

  test("lone surrogates become U+FFFD so strict parsers accept the file", () => {
    const text = renderJson(nastyReport());
    expect(text).not.toMatch(/\\ud[89a-f][0-9a-f]{2}/i);
    expect(Buffer.from(text, "utf8").toString("utf8")).toBe(text);
    expect(text).toContain("\\u001b[31mred");
  });

  test("the reporter writes the file atomically into a new folder", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tat-json-"));
    const path = join(dir, "a", "b", "report.json");
    await jsonReporter(path).end(passReport());
    expect(JSON.parse(await readFile(path, "utf8")).outcome).toBe("pass");
  });
});

describe("a run whose every spec was skipped", () => {
  test("says nothing was checked in the JSON, JUnit and console, never that every expectation held", async () => {
    const { allSkippedReport } = await import("./fixtures.js");
    const { renderJunit } = await import("../../src/report/junit.js");
    const { closingLines } = await import("../../src/report/console.js");
    const report = allSkippedReport();
    expect(report.exitCode).toBe(0);
    const doc = JSON.parse(renderJson(report));
    expect(doc.verdict).toBe("nothing was checked: every spec was skipped");
    expect(renderJunit(report, { hostname: "h" })).toContain(
      "nothing was checked: every spec was skipped",
    );
    expect(closingLines(report)[1]).toBe("exit 0: nothing was checked: every spec was skipped");
    expect(JSON.stringify(doc) + closingLines(report).join("\n")).not.toContain(
      "every expectation held",
    );
  });
});

describe("JSON report targets", () => {
  test("latest and filters-with-since targets are documented in schema/report-v1.json", () => {
    const where = { file: "specs/deploy.yml", line: 3, col: 1 };
    const targets = [
      { kind: "latest", commandId: "cmd-a1b2c3d4", since: { agoMs: 900_000 }, where },
      {
        kind: "latest",
        commandName: "deploy-web",
        instanceIds: ["ins-a1b2c3d4"],
        since: { at: "2026-11-30T06:00:00.000Z" },
        where,
      },
      {
        kind: "filters",
        filters: [{ name: "command-id", values: ["cmd-a1b2c3d4"] }],
        since: { agoMs: 0 },
        where,
      },
    ];
    for (const target of targets) {
      const doc = JSON.parse(renderJson(passReport()));
      doc.specs[0].target = target;
      expect(documented(doc) ? [] : documented.errors).toEqual([]);
    }
    const doc = JSON.parse(renderJson(passReport()));
    doc.specs[0].target = { kind: "latest", commandId: "cmd-a1b2c3d4", since: { when: 1 }, where };
    expect(published(doc)).toBe(false);
  });
});
