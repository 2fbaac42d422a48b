// The spec schema's validator is ajv's standalone code for src/spec/schema.ts, generated ahead of
// time (src/spec/spec-validator.generated.ts), so a process validates specs without loading
// ajv's compiler or compiling the schema: about 150 ms of every start (`validate`, `run`). This
// test fails when the committed code and the schema drift, and checks that the generated
// validator says what a freshly compiled one says.
// Regenerate with: UPDATE_VALIDATOR=1 npm test -- test/spec/spec-validator.test.ts
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { Ajv, type ValidateFunction } from "ajv";
import standalone from "ajv/dist/standalone/index.js";
import { parseAllDocuments } from "yaml";
import { EDITOR_KEYWORDS, specSchema } from "../../src/spec/schema.js";
import { validate as generatedCode } from "../../src/spec/spec-validator.generated.js";
import { ajvModule } from "../helpers/ajv-module.js";
import { ROOT } from "../helpers/cli.js";

// A CommonJS module whose default export is also module.exports: the function either way.
const standaloneCode = (standalone as unknown as { default: typeof standalone.default }).default;

const generated = generatedCode as unknown as ValidateFunction;

const FILE = join(ROOT, "src/spec/spec-validator.generated.ts");

/** The ajv the loader used to compile at start: its options are the generated code's. */
function specAjv(source: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    strict: true,
    strictRequired: false,
    // Checking the schema against the meta-schema is schema-file.test.ts's job.
    validateSchema: false,
    code: { optimize: false, ...(source && { source: true, esm: true }) },
  });
  // Editor and loader annotations; they do not validate anything.
  ajv.addVocabulary([...EDITOR_KEYWORDS]);
  return ajv;
}

/** The module text (test/helpers/ajv-module.ts). */
function render(): string {
  const ajv = specAjv(true);
  return ajvModule({
    code: standaloneCode(ajv, ajv.compile(specSchema)),
    generatedBy: "test/spec/spec-validator.test.ts from src/spec/schema.ts",
    regenerate: "test/spec/spec-validator.test.ts",
  });
}

if (process.env.UPDATE_VALIDATOR === "1") writeFileSync(FILE, render());

/** Every spec the project holds: fixtures (valid and invalid), the emulator's specs, examples. */
function specValues(): { name: string; value: unknown }[] {
  const out: { name: string; value: unknown }[] = [];
  const dirs = ["test/fixtures/specs/valid", "test/fixtures/specs/invalid", "specs"];
  for (const dir of dirs) {
    for (const f of readdirSync(join(ROOT, dir)).filter((n) => n.endsWith(".yml"))) {
      const docs = parseAllDocuments(readFileSync(join(ROOT, dir, f), "utf8"));
      for (const [i, doc] of [docs].flat().entries()) {
        if (doc.errors.length === 0) out.push({ name: `${dir}/${f}#${i}`, value: doc.toJS() });
      }
    }
  }
  // Values no file holds: types swapped, unknown keys, and strings whose length in code points
  // (what the schema counts, via ajv's ucs2length) differs from their UTF-16 length.
  const hostile: unknown[] = [
    null,
    [],
    "version: 1",
    { version: "1", target: 5 },
    { version: 1, target: { invocationId: "" }, expect: { exitCode: "zero" } },
    { version: 1, name: "😀", target: { invocationId: "inv-abcd1234" } },
    { version: 1, name: "\ud83d", target: { invocationId: "inv-abcd1234" }, extra: true },
    { version: 1, target: { invocationIds: [] }, expect: { output: { matches: [""] } } },
  ];
  for (const [i, value] of hostile.entries()) out.push({ name: `hostile #${i}`, value });
  return out;
}

describe("the generated spec validator", () => {
  test("is src/spec/schema.ts compiled by ajv (UPDATE_VALIDATOR=1 regenerates)", () => {
    // Compared as a whole, failing with the fix rather than a diff of 370 KB of generated code.
    const stale = readFileSync(FILE, "utf8") !== render();
    expect(
      stale
        ? "src/spec/spec-validator.generated.ts is out of date with src/spec/schema.ts: run UPDATE_VALIDATOR=1 npm test -- test/spec/spec-validator.test.ts and commit it"
        : "up to date",
    ).toBe("up to date");
  });

  test("gives the errors a freshly compiled validator gives, on every spec the project holds", () => {
    const compiled = specAjv(false).compile(specSchema);
    const values = specValues();
    expect(values.length).toBeGreaterThan(30);
    let invalid = 0;
    for (const { name, value } of values) {
      const ok = generated(value);
      expect([name, ok]).toEqual([name, compiled(value)]);
      if (!ok) invalid++;
      // Same errors, field by field (verbose: with the schema and data each error is about).
      expect([name, generated.errors ?? null]).toEqual([name, compiled.errors ?? null]);
    }
    // The comparison covered failures, not only passes.
    expect(invalid).toBeGreaterThan(5);
  });
});
