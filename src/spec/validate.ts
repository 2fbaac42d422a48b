// Schema validation: ajv with allErrors, its errors turned into one issue per real problem, each at
// the line and column of the value (or key) it is about.
import type { ErrorObject, ValidateFunction } from "ajv";
import type { SpecIssue } from "../errors.js";
import { groupDigits } from "../locale-free.js";
import type { SourceLocation } from "../model.js";
import { reduceUnions } from "./reduce-unions.js";
import { describeSchemaError } from "./schema-messages.js";
import { validate as generated } from "./spec-validator.generated.js";
import { display, type Positions, pointer } from "./yaml-source.js";

/** ajv's code for src/spec/schema.ts, generated ahead of time (test/spec/spec-validator.test.ts
 * keeps it equal to the schema): compiling the schema at start cost every run about 150 ms, and
 * loading ajv's compiler as much again. Options: allErrors, verbose, strict; not optimised. */
const validate = generated as unknown as ValidateFunction;

export function schemaIssues(
  value: unknown,
  positions: Positions,
  documentStart: SourceLocation,
  unresolved: ReadonlySet<string> = new Set(),
): SpecIssue[] {
  if (validate(value)) return [];
  const issues: SpecIssue[] = [];
  const seen = new Set<string>();
  const errors = reduceUnions(validate.errors ?? []);
  // One rule broken by many values (8,000 bad exit codes) is one problem: a few examples, each at
  // its own value, then one line that counts the rest.
  const sameRule = new Map<string, { shown: number; more: SpecIssue[] }>();
  const withUnknownKeys = new Set(
    errors.filter((e) => e.keyword === "additionalProperties").map((e) => e.instancePath),
  );
  for (const error of errors) {
    if (unresolved.has(error.instancePath)) continue;
    // "needs matches or notMatches" next to "unknown key `match`": fixing the key fixes both.
    if (error.keyword === "anyOf" && withUnknownKeys.has(error.instancePath)) continue;
    // The key's own error (reported with the key) already says what is wrong with the name.
    if (error.keyword === "propertyNames") continue;
    const described = describeSchemaError(error);
    const segments = segmentsOf(error.instancePath, value);
    if (described.child !== undefined) segments.push(described.child);
    const position = positions.get(pointer(segments));
    const where = (described.atKey ? position?.key : undefined) ?? position?.value ?? documentStart;
    const issue: SpecIssue = {
      where,
      path: display(segments),
      message: described.message,
      ...(described.fix !== undefined && { fix: described.fix }),
    };
    const key = `${where.line}:${where.col}:${issue.path}:${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const rule = sameRule.get(error.schemaPath) ?? { shown: 0, more: [] };
    sameRule.set(error.schemaPath, rule);
    if (rule.shown < SAME_RULE_SHOWN) {
      rule.shown++;
      issues.push(issue);
    } else {
      rule.more.push(issue);
    }
  }
  for (const { more } of sameRule.values()) {
    const [first] = more;
    if (first) issues.push(sameProblemElsewhere(first, more));
  }
  return issues;
}

/** How many values breaking the same schema rule are each reported; the rest are counted. */
export const SAME_RULE_SHOWN = 3;

function sameProblemElsewhere(first: SpecIssue, more: readonly SpecIssue[]): SpecIssue {
  if (more.length === 1) return first;
  const last = more.reduce((a, b) => (b.where.line > a.where.line ? b : a), first);
  return {
    where: first.where,
    path: first.path,
    message: `the same problem here and at ${groupDigits(more.length - 1)} more value${more.length === 2 ? "" : "s"} (up to line ${last.where.line}): ${first.message}`,
    ...(first.fix !== undefined && { fix: first.fix }),
  };
}

/** ajv's instancePath, with array indices as numbers (found by walking the data). */
function segmentsOf(instancePath: string, root: unknown): (string | number)[] {
  if (instancePath === "") return [];
  const out: (string | number)[] = [];
  let node: unknown = root;
  for (const raw of instancePath.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) {
      out.push(Number(key));
      node = node[Number(key)];
    } else {
      out.push(key);
      node = (node as Record<string, unknown> | undefined)?.[key];
    }
  }
  return out;
}

export type { ErrorObject };
