// One ajv error → the sentence a user reads. The expected part comes from the schema's
// `errorMessage` (what an editor shows too); the rest says what was found and, where obvious, how
// to fix it.
import type { ErrorObject } from "ajv";
import { ID_KINDS, idKindOf, kindOfPattern } from "./id-kinds.js";
import { OBJECT_MESSAGE, specSchema } from "./schema.js";
import { closestMatch, specKeyForApiName } from "./suggest.js";

export interface DescribedError {
  message: string;
  fix?: string;
  /** A key to append to the error's path (the unknown or forbidden key). */
  child?: string | number;
  /** Point at the key rather than at its value. */
  atKey?: boolean;
}

interface SchemaNode {
  errorMessage?: string;
  /** A mapping's sentence (see OBJECT_MESSAGE in schema.ts). */
  "x-message"?: string;
  properties?: Record<string, SchemaNode & { doNotSuggest?: boolean }>;
  additionalProperties?: unknown;
  type?: string;
}

export function describeSchemaError(e: ErrorObject): DescribedError {
  const described = describeValue(e);
  // A propertyNames error is about a key (an overrides instance id), not about the mapping.
  if (e.propertyName === undefined) return described;
  const keyFix = e.propertyName.includes("${") && {
    fix: "keys are never interpolated: write the id itself",
  };
  return { ...described, ...keyFix, child: e.propertyName, atKey: true };
}

function describeValue(e: ErrorObject): DescribedError {
  const parent = (e.parentSchema ?? {}) as SchemaNode;
  // ajv's own e.message ("must NOT have fewer than 1 characters") is never shown: every keyword
  // has a sentence of its own for schema nodes without an errorMessage.
  const expected = (fallback: string) => parent.errorMessage ?? parent[OBJECT_MESSAGE] ?? fallback;
  // Built only for the messages that show the value: an unknown key's error holds the whole
  // mapping, and naming it for each of 9,000 unknown keys took seconds.
  const got = () => `, got ${show(e.data)}`;
  const params = e.params as Record<string, unknown>;
  const limit = Number(params.limit);
  switch (e.keyword) {
    case "additionalProperties":
      return unknownKey(String(params.additionalProperty), parent);
    case "required":
      return missingKey(String(params.missingProperty), e.instancePath);
    case "not":
      return { message: expected("not allowed here"), atKey: true, fix: "remove it" };
    case "enum": {
      const allowed = (e.schema as unknown[]).map(String);
      const guess = typeof e.data === "string" ? closestMatch(e.data, allowed) : undefined;
      return {
        message: expected("expected one of the allowed values") + got(),
        fix: guess ? `did you mean \`${guess}\`?` : `one of: ${allowed.join(", ")}`,
      };
    }
    case "const":
      return {
        message: expected(`expected ${show(params.allowedValue)}`) + got(),
        ...(e.instancePath === "/version" && {
          fix:
            typeof e.data === "number" && e.data > 1
              ? "this spec needs a newer tat-assert"
              : "write `version: 1`",
        }),
      };
    case "minProperties":
      return {
        message: expected(`expected at least ${plural(limit, "key")}`) + got(),
        ...emptyFix(e.instancePath),
      };
    case "maxProperties":
      return { message: expected(`expected at most ${plural(limit, "key")}`) + got() };
    case "minItems":
      return {
        message: `expected at least ${plural(limit, "item")}${got()}`,
        fix: "an empty list checks nothing: remove the key or add an item",
      };
    case "maxItems":
      return {
        message: `${expected(`expected at most ${plural(limit, "item")}`)}, got ${plural(Array.isArray(e.data) ? e.data.length : 0, "item")}`,
      };
    case "uniqueItems": {
      const j = Math.max(Number(params.i), Number(params.j));
      const item = Array.isArray(e.data) ? e.data[j] : undefined;
      return { message: `${show(item)} is listed twice`, child: j, fix: "remove one" };
    }
    case "minLength":
      if (e.data === "") return mustNotBeEmpty;
      return { message: expected(`expected at least ${plural(limit, "character")}`) + got() };
    case "pattern": {
      const wrong = wrongIdKind(e);
      if (wrong) return { message: wrong };
      if (e.data === "") return mustNotBeEmpty;
      return { message: expected("not in the expected form") + got() };
    }
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum": {
      const bound = COMPARISONS[String(params.comparison)] ?? "within";
      return { message: expected(`expected a number ${bound} ${limit}`) + got() };
    }
    case "type": {
      const phrase = expected(`expected ${TYPE_NAMES[String(params.type)] ?? params.type}`);
      return { message: phrase + got(), ...typeFix(phrase, e.data) };
    }
    case "propertyNames":
      return { message: `invalid key \`${String(params.propertyName)}\``, fix: "rename it" };
    default:
      // anyOf, oneOf: the branch errors were reduced away (reduce-unions.ts); the union speaks.
      return { message: expected("not one of the accepted forms") + got() };
  }
}

/** `name: ${NAME:-}` and the like: the value was given, but as nothing. */
const mustNotBeEmpty: DescribedError = {
  message: "must not be empty",
  fix: "give it a value, or remove it",
};

const COMPARISONS: Record<string, string> = {
  ">=": "at least",
  "<=": "at most",
  ">": "above",
  "<": "below",
};

/** "`inv-zzz` is an invocation id; instances are ins-…, …" when an id of another kind was given. */
function wrongIdKind(e: ErrorObject): string | undefined {
  if (typeof e.data !== "string" || typeof e.schema !== "string") return undefined;
  const wanted = kindOfPattern(e.schema);
  const found = idKindOf(e.data);
  if (!wanted || !found || wanted === found) return undefined;
  const id = e.data.length > 60 ? `${e.data.slice(0, 57)}...` : e.data;
  return `\`${id}\` is ${ID_KINDS[found].name}; ${ID_KINDS[wanted].shape}`;
}

function unknownKey(key: string, parent: SchemaNode): DescribedError {
  if (key === "stdout" || key === "stderr") {
    return {
      message:
        "TAT merges stdout and stderr into one stream: use `expect.output` (matches / notMatches)",
      fix: "remove it",
      child: key,
      atKey: true,
    };
  }
  const known = Object.entries(parent.properties ?? {})
    .filter(([, s]) => !s.doNotSuggest)
    .map(([k]) => k);
  const api = specKeyForApiName(key, known);
  const guess = api ?? closestMatch(key, known);
  const home = keyHomes().get(key);
  const fix = api
    ? `did you mean \`${api}\`? (\`${key}\` is the TAT API's name for it)`
    : guess
      ? `did you mean \`${guess}\`?`
      : home === ""
        ? `\`${key}\` belongs at the top level of the spec`
        : home !== undefined
          ? `\`${key}\` belongs under \`${home}\``
          : `expected one of: ${known.join(", ")}`;
  return { message: `unknown key \`${key}\``, fix, child: key, atKey: true };
}

const TYPE_NAMES: Record<string, string> = {
  string: "text",
  array: "a list",
  object: "a mapping",
  boolean: "true or false",
  number: "a number",
  integer: "a whole number",
};

const MISSING_FIX: Record<string, string> = {
  version: "add `version: 1` at the top",
  target: "add `target:` with one of invocationId, invocationIds, taskIds, latest, filters",
  min: "a range needs both min and max",
  max: "a range needs both min and max",
};

function missingKey(key: string, instancePath: string): DescribedError {
  const fix = MISSING_FIX[key];
  const where = instancePath === "" ? "" : " here";
  return { message: `missing \`${key}\`${where}`, ...(fix && { fix }) };
}

function emptyFix(instancePath: string): { fix?: string } {
  if (instancePath === "/expect") {
    return {
      fix: "an empty `expect` asserts nothing: remove it to expect status SUCCESS, or add an expectation",
    };
  }
  if (instancePath.startsWith("/overrides/")) {
    return { fix: "an empty override changes nothing: remove it or add an expectation" };
  }
  return { fix: "remove the empty key, or fill it in" };
}

function typeFix(expected: string, data: unknown): { fix?: string } {
  if (expected.startsWith("expected a duration") && typeof data === "number") {
    return { fix: `add a unit, e.g. ${data}s or ${data}m` };
  }
  if (data === null) return { fix: "give the key a value, or remove it" };
  if (typeof data === "string" && /^(yes|no|on|off|y|n)$/i.test(data)) {
    return { fix: "write true or false; YAML 1.2 reads yes/no/on/off as text" };
  }
  return {};
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** A value for a message: short, on one line. */
export function show(value: unknown): string {
  if (value === undefined || value === null) return "nothing";
  if (typeof value === "string") {
    const text = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(text);
  }
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : "a list";
  if (typeof value === "object") {
    const keys = Object.keys(value);
    if (keys.length === 0) return "an empty mapping";
    // A mapping may hold 10,000 keys: name a few, count the rest.
    const named = keys
      .slice(0, SHOWN_KEYS)
      .map((k) => (k.length > 40 ? `${k.slice(0, 37)}...` : k));
    const more = keys.length - named.length;
    return `a mapping with ${named.join(", ")}${more > 0 ? ` and ${more} more keys` : ""}`;
  }
  return String(value);
}

const SHOWN_KEYS = 5;

let homes: Map<string, string> | undefined;

/** Key → the one place in the format where it belongs (keys found in several places are left out). */
function keyHomes(): Map<string, string> {
  if (homes) return homes;
  const found = new Map<string, Set<string>>();
  const visit = (node: SchemaNode, path: string) => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      if (child.doNotSuggest) continue;
      found.set(key, (found.get(key) ?? new Set()).add(path));
      // `run:` reuses RunCommand's names (timeout, instances, description): a misplaced
      // `timeout` still belongs under `wait`.
      if (path === "" && key === "run") continue;
      visit(child, path ? `${path}.${key}` : key);
    }
  };
  visit(specSchema as unknown as SchemaNode, "");
  homes = new Map();
  for (const [key, paths] of found) {
    const [only] = paths;
    if (paths.size === 1 && only) homes.set(key, only);
  }
  return homes;
}
