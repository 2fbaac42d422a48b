// Errors that stop a run before its first poll (an invalid spec) or break one spec's watch are about
// a spec line: JUnit, workflow annotations and the check run all place them there, never at a
// made-up path such as `tat-assert:1`.
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { Ajv } from "ajv";
import { SpecError } from "../../src/errors.js";
import { runGate } from "../../src/gate.js";
import { annotationCommands } from "../../src/report/github-actions.js";
import { runErrorAnnotations } from "../../src/report/github-check.js";
import { renderJson } from "../../src/report/json.js";
import { at, run } from "./fixtures.js";
import { Capture } from "./stream.js";

const BAD_SPEC = `version: 1
name: api deploy
region: ap-guangzhou
target:
  invocationId: inv-12345678
expect:
  exit_code: 0
`;

describe("run-level errors keep their spec location", () => {
  test("an invalid spec: a JUnit testcase and an ::error annotation at the field's line", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tat-spec-error-"));
    await mkdir(join(dir, "specs"));
    await writeFile(join(dir, "specs", "api.yml"), BAD_SPEC);
    const stdout = new Capture();
    const stderr = new Capture();
    const gate = runGate(
      {
        patterns: ["specs/api.yml"],
        reporters: ["junit:out/junit.xml"],
        failFast: false,
        quiet: true,
        verbose: false,
        credentials: {},
      },
      {
        stdout,
        stderr,
        env: { GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: dir },
        cwd: dir,
        homeDir: dir,
      },
    );
    await expect(gate).rejects.toBeInstanceOf(SpecError);
    const xml = await readFile(join(dir, "out", "junit.xml"), "utf8");
    expect(xml).toMatch(
      /<testcase name="spec error" classname="tat-assert" time="0.000" file="specs\/api.yml" line="7">\s*<error message="specs\/api.yml:7:3: /,
    );
    const errors = stdout.text.split("\n").filter((l) => l.startsWith("::error"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^::error file=specs\/api.yml,line=7,title=tat-assert%3A spec error::/,
    );
    expect(errors[0]).toContain("exit_code");
  });

  test("located errors become check-run annotations; errors with no line are left to the summary", () => {
    const report = run(
      [],
      [
        {
          kind: "internal",
          message: "api: internal error: boom",
          where: at(1, "specs/api.yml", 1),
        },
        { kind: "api", message: "no credentials found" },
      ],
    );
    expect(runErrorAnnotations(report, "/repo")).toEqual([
      {
        path: "specs/api.yml",
        start_line: 1,
        end_line: 1,
        annotation_level: "failure",
        title: "tat-assert: internal error",
        message: "api: internal error: boom",
      },
    ]);
    expect(annotationCommands(report, { cwd: "/repo" })).toEqual([
      "::error file=specs/api.yml,line=1,title=tat-assert%3A internal error::api: internal error: boom",
    ]);
  });

  test("the JSON report documents where on run-level errors", async () => {
    const schema = JSON.parse(
      await readFile(new URL("../../schema/report-v1.json", import.meta.url), "utf8"),
    );
    // Closed on the error items: a field the schema does not describe fails.
    schema.properties.errors.items.additionalProperties = false;
    const ajv = new Ajv({ allErrors: true });
    ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T/);
    const validate = ajv.compile(schema);
    const report = run([], [{ kind: "spec", message: "bad", where: at(7, "specs/api.yml", 3) }]);
    const doc = JSON.parse(renderJson(report));
    expect(doc.errors[0].where).toEqual({ file: "specs/api.yml", line: 7, col: 3 });
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    doc.errors[0].where = { file: "specs/api.yml", line: 0, col: 3 };
    expect(validate(doc)).toBe(false);
  });
});
