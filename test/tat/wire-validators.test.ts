// The TAT answers' validators are ajv's standalone code for src/tat/wire-schema.ts, generated ahead
// of time (src/tat/wire-validators.generated.ts), so a gate neither loads ajv's compiler nor
// compiles the schemas when it starts: about 130 ms of every run. This test fails when the
// committed code and the schemas drift, and checks that each generated validator says what a
// freshly compiled one says, on valid answers and on every field of them made wrong.
// Regenerate with: UPDATE_VALIDATOR=1 npm test -- test/tat/wire-validators.test.ts
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { _, Ajv, type ValidateFunction } from "ajv";
import standalone from "ajv/dist/standalone/index.js";
import { RESPONSE_SCHEMAS, WIRE_FORMATS } from "../../src/tat/wire-schema.js";
import * as generatedModule from "../../src/tat/wire-validators.generated.js";
import { ajvModule } from "../helpers/ajv-module.js";
import { ROOT } from "../helpers/cli.js";
import { invocation, task } from "./wire-fixtures.js";

// A CommonJS module whose default export is also module.exports: the function either way.
const standaloneCode = (standalone as unknown as { default: typeof standalone.default }).default;

const FILE = join(ROOT, "src/tat/wire-validators.generated.ts");
const ACTIONS = Object.keys(RESPONSE_SCHEMAS) as (keyof typeof RESPONSE_SCHEMAS)[];
const generated = generatedModule as unknown as Record<string, ValidateFunction>;

/** The ajv response-parser.ts used to compile at run time: its options are the generated code's. */
function wireAjv(source: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: false,
    strict: true,
    ...(source && {
      code: { source: true, esm: true, formats: _`require("./wire-schema.js").WIRE_FORMATS` },
    }),
  });
  for (const [name, format] of Object.entries(WIRE_FORMATS)) ajv.addFormat(name, format);
  return ajv;
}

/** The module text (test/helpers/ajv-module.ts): one export per action, the formats imported. */
function render(): string {
  const ajv = wireAjv(true);
  for (const action of ACTIONS) ajv.addSchema(RESPONSE_SCHEMAS[action], action);
  return ajvModule({
    code: standaloneCode(ajv, Object.fromEntries(ACTIONS.map((a) => [a, a]))),
    generatedBy: "test/tat/wire-validators.test.ts from src/tat/wire-schema.ts",
    regenerate: "test/tat/wire-validators.test.ts",
    requires: [
      {
        pattern: /require\("\.\/wire-schema\.js"\)\.WIRE_FORMATS/g,
        name: "WIRE_FORMATS",
        importLine: 'import { WIRE_FORMATS } from "./wire-schema.js";',
      },
    ],
  });
}

if (process.env.UPDATE_VALIDATOR === "1") writeFileSync(FILE, render());

/** A valid answer of each action, as Tencent's examples show them. */
const VALID: Record<(typeof ACTIONS)[number], unknown> = {
  DescribeInvocationTasks: { TotalCount: 1, InvocationTaskSet: [task()], RequestId: "r" },
  DescribeInvocations: { TotalCount: 1, InvocationSet: [invocation()], RequestId: "r" },
  DescribeCommands: {
    TotalCount: 1,
    CommandSet: [{ CommandId: "cmd-1", CommandName: "deploy", Timeout: 60 }],
    RequestId: "r",
  },
  RunCommand: { CommandId: "cmd-abc", InvocationId: "inv-abcd1234", RequestId: "r" },
  InvokeCommand: { InvocationId: "inv-abcd1234", RequestId: "r" },
  CancelInvocation: { RequestId: "r" },
  Envelope: { RequestId: "r", Extra: 1 },
};

const WRONG: unknown[] = [null, "", "x", "cm9vdAo", 0, -1, 0.5, true, [], [null], {}];

/** The valid answer, then every value in it replaced by each wrong one, and each key removed. */
function variants(value: unknown): unknown[] {
  const out: unknown[] = [value];
  const walk = (node: unknown, replace: (v: unknown) => unknown, remove?: () => unknown) => {
    for (const w of WRONG) out.push(replace(w));
    if (remove) out.push(remove());
    if (node === null || typeof node !== "object") return;
    for (const key of Object.keys(node)) {
      const child = (node as Record<string, unknown>)[key];
      const copyWith = (v: unknown, drop: boolean) => {
        const copy = Array.isArray(node) ? [...node] : { ...(node as object) };
        if (drop && !Array.isArray(copy)) delete (copy as Record<string, unknown>)[key];
        else (copy as Record<string, unknown>)[key] = v;
        return replace(copy);
      };
      walk(
        child,
        (v) => copyWith(v, false),
        Array.isArray(node) ? undefined : () => copyWith(undefined, true),
      );
    }
  };
  walk(value, (v) => v);
  return out;
}

describe("the generated wire validators", () => {
  test("are src/tat/wire-schema.ts compiled by ajv (UPDATE_VALIDATOR=1 regenerates)", () => {
    const stale = readFileSync(FILE, "utf8") !== render();
    expect(
      stale
        ? "src/tat/wire-validators.generated.ts is out of date with src/tat/wire-schema.ts: run UPDATE_VALIDATOR=1 npm test -- test/tat/wire-validators.test.ts and commit it"
        : "up to date",
    ).toBe("up to date");
    expect(Object.keys(generated).sort()).toEqual([...ACTIONS].sort());
  });

  test.each(ACTIONS)(
    "%s: the same verdicts and errors as a freshly compiled validator",
    (action) => {
      const fresh = wireAjv(false).compile(RESPONSE_SCHEMAS[action]);
      const mine = generated[action];
      if (!mine) throw new Error(`no generated validator for ${action}`);
      let refused = 0;
      const all = variants(VALID[action]);
      for (const [i, value] of all.entries()) {
        const ok = mine(value);
        expect([i, ok]).toEqual([i, fresh(value)]);
        expect([i, mine.errors ?? null]).toEqual([i, fresh.errors ?? null]);
        if (!ok) refused++;
      }
      // The valid answer passes, and the comparison covered refusals, not only passes.
      expect(mine(VALID[action])).toBe(true);
      expect(refused).toBeGreaterThan(all.length / 3);
    },
  );
});
