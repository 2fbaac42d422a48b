// JSON Schema validation of a scenario (ajv), with each error turned into a located, readable issue.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { closest, distance } from "fastest-levenshtein";
import type { SpecIssue } from "../errors.js";
import { SCENARIO_SCHEMA } from "./scenario-schema.js";
import type { DataPath, Located } from "./source-map.js";

let compiled: ValidateFunction | undefined;

// Compiled on first use, not at import: the CLI loads this module for every command.
function validator(): ValidateFunction {
  compiled ??= new Ajv({
    allErrors: true,
    allowUnionTypes: true,
    strict: true,
    verbose: true,
  }).compile(SCENARIO_SCHEMA);
  return compiled;
}

export function dottedPath(path: DataPath): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

function toPath(instancePath: string): (string | number)[] {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Friendlier words for the schema's id patterns. */
const PATTERN_HINTS: Record<string, string> = {
  "^inv-[a-z0-9]{8}$": "must be an invocation id: inv- and 8 lower-case letters or digits",
  "^invt-[a-z0-9]{8}$": "must be a task id: invt- and 8 lower-case letters or digits",
  "^cmd-[a-z0-9]{1,32}$": "must be a command id: cmd- and lower-case letters or digits",
  "^(ins|lhins|mi)-[a-z0-9]{1,32}$":
    "must be an instance id: ins- (CVM), lhins- (Lighthouse) or mi- (managed), then lower-case letters or digits",
  "^(ins|lhins|mi)-[a-z0-9]*$":
    "must be an instance id prefix: ins-, lhins- or mi-, then lower-case letters or digits",
  "^[A-Za-z]+(\\.[A-Za-z0-9]+)*$":
    "must be an API error code such as InternalError or AuthFailure.SignatureFailure",
  "^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h)\\s*$":
    'must be a duration: seconds, or a number with a unit such as "250ms", "2s", "1m"',
};

function issueFor(err: ErrorObject, source: Located): SpecIssue {
  const path = toPath(err.instancePath);
  if (err.keyword === "additionalProperty" || err.keyword === "additionalProperties") {
    const key = (err.params as { additionalProperty: string }).additionalProperty;
    // verbose mode gives the schema object that has the error, whatever $ref led there.
    const known = Object.keys((err.parentSchema as { properties?: object })?.properties ?? {});
    const near = known.length ? closest(key, known) : undefined;
    return {
      where: source.locate(path, key),
      path: dottedPath([...path, key]),
      message: `unknown field \`${key}\``,
      ...(near && distance(key, near) <= 3 ? { fix: `did you mean \`${near}\`?` } : {}),
    };
  }
  if (err.keyword === "required") {
    const missing = (err.params as { missingProperty: string }).missingProperty;
    return {
      where: source.locate(path),
      path: dottedPath(path),
      message: `missing required field \`${missing}\``,
    };
  }
  let message = err.message ?? "is invalid";
  if (err.keyword === "enum") {
    const allowed = (err.params as { allowedValues: unknown[] }).allowedValues;
    message = `must be one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}`;
  } else if (err.keyword === "pattern") {
    const pattern = (err.params as { pattern: string }).pattern;
    message = PATTERN_HINTS[pattern] ?? message;
  } else if (err.keyword === "const") {
    message = `must be ${JSON.stringify((err.params as { allowedValue: unknown }).allowedValue)}`;
  }
  return { where: source.locate(path), path: dottedPath(path), message };
}

export function schemaIssues(source: Located): SpecIssue[] {
  const validate = validator();
  if (validate(source.data)) return [];
  const issues = (validate.errors ?? [])
    .map((e) => issueFor(e, source))
    .sort((a, b) => a.where.line - b.where.line || a.where.col - b.where.col);
  // allErrors can report one spot several times (e.g. union types); keep the first of each.
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.path}|${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
