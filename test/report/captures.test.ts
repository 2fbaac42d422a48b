// Captured values in the reports, from a real judgement: the console shows a failing task's
// captured value beside its failure, JUnit carries capture.NAME properties, the JSON report the
// captures (schema-valid), HTML the value on the failure card; a hostile value is defused.
import { readFile } from "node:fs/promises";
import { Writable } from "node:stream";
import { describe, expect, test } from "@jest/globals";
import { Ajv } from "ajv";
import { evaluate } from "../../src/match/evaluate.js";
import type { RunReport, TaskObservation } from "../../src/model.js";
import { consoleReporter } from "../../src/report/console.js";
import { renderHtml } from "../../src/report/html.js";
import { renderJson } from "../../src/report/json.js";
import { renderJunit } from "../../src/report/junit.js";
import { runReport, specReport } from "../../src/summarize.js";
import { observation, specFrom, task } from "../match/helpers.js";

const schema = new Ajv({ allErrors: true, strict: false })
  .addFormat("date-time", /^\d{4}-\d{2}-\d{2}T/)
  .compile(
    JSON.parse(await readFile(new URL("../../schema/report-v1.json", import.meta.url), "utf8")),
  );

function report(tasks: TaskObservation[]): RunReport {
  const spec = specFrom(
    "name: deploy\nexpect:\n  exitCode: 0\n  capture:\n    version: '/version=(\\S+)/'\nfleet:\n  same: version\n",
  );
  const obs = observation(tasks);
  return runReport({
    version: "0",
    startedAt: 0,
    endedAt: 1000,
    specs: [specReport(spec, obs, evaluate(spec, obs))],
  });
}

function consoleText(r: RunReport, verbose = false): string {
  let text = "";
  const out = new Writable({
    write(chunk, _e, done) {
      text += chunk.toString();
      done();
    },
  });
  consoleReporter({ out, live: false, color: false, verbose, now: () => 0 }).end(r);
  return text;
}

describe("captured values in reports", () => {
  const r = report([
    task({ instanceId: "ins-good0001", output: "version=1.4.2\n" }),
    task({ instanceId: "ins-bad00001", output: "version=1.4.1\n", status: "FAILED", exitCode: 2 }),
  ]);

  test("console: the failing task's value beside its failure; passing ones only with --verbose", () => {
    const text = consoleText(r);
    expect(text).toContain('ins-bad00001: captured version = "1.4.1"');
    expect(text).not.toContain('ins-good0001: captured version = "1.4.2"');
    expect(text).toContain('version differs across tasks: "1.4.1" on 1 task (ins-bad00001)');
    expect(consoleText(r, true)).toContain('ins-good0001: captured version = "1.4.2"');
  });

  test("JUnit properties, JSON captures (schema-valid), HTML failure card", () => {
    expect(renderJunit(r)).toContain('<property name="capture.version" value="1.4.1"/>');
    const doc = JSON.parse(renderJson(r));
    expect(schema(doc) ? [] : schema.errors).toEqual([]);
    expect(doc.specs[0].tasks.map((t: { captures?: unknown }) => t.captures)).toEqual([
      { version: "1.4.2" },
      { version: "1.4.1" },
    ]);
    expect(renderHtml(r)).toContain("captured version = &quot;1.4.1&quot;");
  });

  test("a value with escape sequences and markup is cleaned when captured and escaped when shown", () => {
    const hostile = report([
      task({ instanceId: "ins-evil0001", output: "version=\u001b]0;pwn\u0007<b>x</b>\n" }),
    ]);
    const value = hostile.specs[0]?.tasks[0]?.captures?.version ?? "";
    expect([...value].filter((c) => (c.codePointAt(0) ?? 0) < 0x20)).toEqual([]);
    expect(value).toContain("x");
    expect(renderHtml(hostile)).not.toContain("<b>x</b>");
    expect(renderJunit(hostile)).not.toContain("<b>");
  });
});
