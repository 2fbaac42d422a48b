// schema/spec-v1.json is what editors load (yaml-language-server modeline) and what the package
// publishes. It is src/spec/schema.ts written out; this test fails when the two drift.
// Regenerate with: UPDATE_SCHEMA=1 npm test -- test/spec/schema-file.test.ts
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "@jest/globals";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { SPEC_SCHEMA_ID, specSchema } from "../../src/spec/schema.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const schemaFile = join(root, "schema/spec-v1.json");
const rendered = `${JSON.stringify(specSchema, null, 2)}\n`;

if (process.env.UPDATE_SCHEMA === "1") writeFileSync(schemaFile, rendered);

const validDir = join(root, "test/fixtures/specs/valid");
const validFixtures = readdirSync(validDir).filter((f) => f.endsWith(".yml"));

describe("published schema", () => {
  test("schema/spec-v1.json is src/spec/schema.ts written out (UPDATE_SCHEMA=1 regenerates)", () => {
    expect(readFileSync(schemaFile, "utf8")).toBe(rendered);
  });

  test("is a draft-07 schema with an id, and plain ajv (as an editor would) compiles it", () => {
    const published = JSON.parse(readFileSync(schemaFile, "utf8"));
    expect(published.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(published.$id).toBe(SPEC_SCHEMA_ID);
    // Non-strict, like editors: unknown annotation keywords (errorMessage, …) are ignored.
    const ajv = new Ajv({ strict: false });
    expect(ajv.validateSchema(published)).toBe(true);
    expect(() => ajv.compile(published)).not.toThrow();
  });

  test("every property an editor can complete has a description for hover", () => {
    const missing: string[] = [];
    const visit = (node: Record<string, unknown>, path: string) => {
      const props = (node.properties ?? {}) as Record<string, Record<string, unknown>>;
      for (const [key, child] of Object.entries(props)) {
        if (typeof child.description !== "string") missing.push(`${path}${key}`);
        visit(child, `${path}${key}.`);
      }
    };
    visit(specSchema as unknown as Record<string, unknown>, "");
    expect(missing).toEqual([]);
  });

  test.each(validFixtures)(
    "valid fixture %s carries a modeline that points at the published schema, and the schema accepts it",
    (name) => {
      const text = readFileSync(join(validDir, name), "utf8");
      const modeline = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text);
      expect(modeline).not.toBeNull();
      expect(resolve(validDir, modeline?.[1] ?? "")).toBe(schemaFile);
      const ajv = new Ajv({ strict: false, allErrors: true, verbose: true });
      const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, "utf8")));
      // An editor sees `${VAR}` before interpolation. String fields accept it; number and boolean
      // fields cannot (docs/spec.md says so), so only those errors are expected.
      for (const doc of text.split(/^---$/m)) {
        const value = parse(doc);
        if (value === null) continue;
        const errors = validate(value) ? [] : (validate.errors ?? []);
        const real = errors.filter(
          (e) => !(e.keyword === "type" && typeof e.data === "string" && e.data.includes("${")),
        );
        expect(real).toEqual([]);
      }
    },
  );
});
