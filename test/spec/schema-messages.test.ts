import { describe, expect, test } from "@jest/globals";
import type { ErrorObject } from "ajv";
import { formatIssue } from "../../src/errors.js";
import { parseSpecs } from "../../src/spec/load.js";
import { EDITOR_KEYWORDS, specSchema } from "../../src/spec/schema.js";
import { describeSchemaError } from "../../src/spec/schema-messages.js";

const issues = (body: string, env: Record<string, string> = {}) =>
  parseSpecs(`version: 1\ntarget: { invocationId: inv-aaaa1111 }\n${body}`, "e.yml", {
    env,
  }).issues.map(formatIssue);

describe("empty values", () => {
  test.each([
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the spec's own ${VAR} syntax
    ["name: ${NAME:-}", "e.yml:3:7: name"],
    ["skip: ''", "e.yml:3:7: skip"],
    ["region: ''", "e.yml:3:9: region"],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the spec's own ${VAR} syntax
    ["instances: { exactly: [ins-a, '${ID:-}'] }", "e.yml:3:31: instances.exactly[1]"],
    ["wait: { timeout: '' }", "e.yml:3:18: wait.timeout"],
    ["expect: { output: { matches: [''] } }", "e.yml:3:31: expect.output.matches[0]"],
  ])("%s says the value must not be empty", (body, where) => {
    expect(issues(`${body}\n`)).toEqual([
      `${where}: must not be empty (give it a value, or remove it)`,
    ]);
  });

  test("an empty filter value", () => {
    const r = parseSpecs("version: 1\ntarget: { filters: { instance-id: [''] } }\n", "f.yml", {
      env: {},
    });
    expect(r.issues.map(formatIssue)).toEqual([
      "f.yml:2:36: target.filters.instance-id[0]: must not be empty (give it a value, or remove it)",
    ]);
  });
});

/** Every keyword the schema validates with (annotations and pure applicators left out). */
function validationKeywords(): string[] {
  const ignored = new Set([
    "$schema",
    "$id",
    "title",
    "description",
    "default",
    "examples",
    ...EDITOR_KEYWORDS,
    "properties",
    "items",
  ]);
  const found = new Set<string>();
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== "object" || node === null) return;
    for (const [key, child] of Object.entries(node)) {
      if (!ignored.has(key)) found.add(key);
      // Editor annotations hold examples, not schema: nothing in them is a keyword.
      if ((EDITOR_KEYWORDS as readonly string[]).includes(key)) continue;
      if (key === "properties") Object.values(child as object).forEach(visit);
      else if (typeof child === "object") visit(child);
    }
  };
  visit(specSchema);
  return [...found].sort();
}

describe("no keyword falls back to ajv's own English", () => {
  const RAW = "RAW AJV MESSAGE";

  test("the schema uses the keywords this test knows about", () => {
    // A new keyword in the schema must be added here, and given a sentence in schema-messages.ts.
    expect(validationKeywords()).toEqual([
      "additionalProperties",
      "anyOf",
      "const",
      "enum",
      "exclusiveMinimum",
      "maxItems",
      "maxProperties",
      "maximum",
      "minItems",
      "minLength",
      "minProperties",
      "minimum",
      "not",
      "pattern",
      "propertyNames",
      "required",
      "type",
      "uniqueItems",
    ]);
  });

  test.each(validationKeywords().filter((k) => k !== "additionalProperties"))(
    "%s, on a schema without errorMessage",
    (keyword) => {
      const error: ErrorObject = {
        keyword,
        instancePath: "/x",
        schemaPath: `#/properties/x/${keyword}`,
        params: {
          limit: 2,
          comparison: ">=",
          pattern: "^a$",
          allowedValue: 1,
          allowedValues: [1, 2],
          missingProperty: "y",
          type: "string",
          i: 0,
          j: 1,
          propertyName: "k",
        },
        message: RAW,
        schema: keyword === "pattern" ? "^a$" : keyword === "enum" ? ["a", "b"] : 2,
        parentSchema: {},
        data: "zz",
      };
      const described = describeSchemaError(error);
      expect(described.message).not.toContain(RAW);
      expect(described.message).not.toMatch(/\bmust\b/);
    },
  );
});
