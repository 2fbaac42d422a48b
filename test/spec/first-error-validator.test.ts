// A spec is judged valid by a schema validator that stops at its first error; only a spec found
// invalid is checked again by the one that collects every error (src/spec/validate.ts). Both must
// give the same verdict on every value, or a spec could pass the first and skip its problems.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "@jest/globals";
import { applyTypedReadings } from "../../src/spec/typed-fields.js";
import { schemaAccepts, schemaIssues, schemaValidator } from "../../src/spec/validate.js";
import { readYaml } from "../../src/spec/yaml-source.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

const ENV = {
  DEPLOY_INVOCATION_ID: "inv-abcd1234",
  RELEASE: "1.2.3",
  SPEC_NAME: "named by env",
  MAX_FAILURES: "2",
  EMPTY: "",
  PIPELINE_STARTED_AT: "2026-11-30T06:00:00Z",
};

function yamlFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name) && !e.parentPath.includes("scenarios"))
    .map((e) => join(e.parentPath, e.name));
}

/** Every document of the spec fixtures and examples, as the loader hands it to the schema. */
function documents(): { name: string; value: unknown }[] {
  const files = [
    ...yamlFiles("test/fixtures/specs"),
    ...yamlFiles("examples"),
    ...yamlFiles("specs"),
  ];
  return files.flatMap((file) =>
    readYaml(readFileSync(file, "utf8"), file, ENV).flatMap((doc, i) => {
      if (doc.syntaxIssues.length > 0 || typeof doc.value !== "object" || doc.value === null) {
        return [];
      }
      const value = doc.value as Record<string, unknown>;
      applyTypedReadings(value, doc.typedReadings);
      return [{ name: `${file.slice(root.length + 1)}#${i + 1}`, value }];
    }),
  );
}

/** Each value in `value` replaced, one at a time, by each of a few values of other types. */
function mutations(value: unknown): unknown[] {
  const out: unknown[] = [];
  const replacements: unknown[] = [null, "", "x", -1, 1.5, true, [], {}, ["x"], { x: 1 }];
  const visit = (node: unknown, replace: (v: unknown) => unknown) => {
    for (const r of replacements) out.push(replace(r));
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        visit(item, (v) => replace(node.map((o, j) => (j === i ? v : o))));
      });
      out.push(replace([...node, ...node]));
    } else if (typeof node === "object" && node !== null) {
      for (const key of Object.keys(node)) {
        const rest = { ...(node as Record<string, unknown>) };
        visit(rest[key], (v) => replace({ ...rest, [key]: v }));
        delete rest[key];
        out.push(replace(rest));
      }
      out.push(replace({ ...(node as Record<string, unknown>), unknownKey: 1 }));
    }
  };
  visit(value, (v) => v);
  return out;
}

const docs = documents();

describe("the first-error validator judges every spec as the every-error one does", () => {
  test("over the fixtures and examples, valid and invalid", () => {
    const verdicts = docs.map(({ value }) => schemaValidator(true)(value) === true);
    expect(docs.map(({ value }) => schemaAccepts(value))).toEqual(verdicts);
    // Both kinds are there, or the comparison says nothing.
    expect(verdicts.filter(Boolean).length).toBeGreaterThan(10);
    expect(verdicts.filter((v) => !v).length).toBeGreaterThan(10);
  });

  test("over every one-value change of each fixture and example", () => {
    let invalid = 0;
    let total = 0;
    for (const { name, value } of docs) {
      for (const changed of mutations(value)) {
        const every = schemaValidator(true)(changed) === true;
        if (schemaAccepts(changed) !== every) {
          throw new Error(`${name}: verdicts differ on ${JSON.stringify(changed)}`);
        }
        total++;
        if (!every) invalid++;
      }
    }
    expect(invalid).toBeGreaterThan(1000);
    expect(total - invalid).toBeGreaterThan(100);
  });

  test("an invalid spec still gets every problem, from the every-error validator", () => {
    const value = { version: 2, target: {}, expect: { status: "DONE", exitCode: "x" } };
    expect(schemaAccepts(value)).toBe(false);
    const all = schemaValidator(true);
    all(value);
    const where = { file: "s.yml", line: 1, col: 1 };
    const issues = schemaIssues(value, new Map(), where);
    // One issue per broken rule: the first-error validator alone would have found one.
    expect(all.errors?.length).toBeGreaterThan(3);
    expect(issues.map((i) => i.path)).toEqual([
      "version",
      "target",
      "expect.status",
      "expect.exitCode",
    ]);
  });
});
