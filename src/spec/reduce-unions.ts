// ajv (allErrors) reports a failed anyOf as the union error plus every error of every branch:
// `exitCode: 300` yields "must be <= 255", "must be string", "must be object", "must be array" and
// two "must match a schema in anyOf". Users need one line. The branch whose type fits the value is
// the one the user meant, so its errors are kept; when no branch fits, the union's own message
// ("expected an exit code, a range or a list") is kept instead.
//
// Linear in the number of errors: each error finds the unions it belongs to by looking its own
// paths' prefixes up in a map (a few lookups, bounded by the schema's depth), instead of every
// union scanning every error (8,000 bad items in one list took minutes that way).
import type { ErrorObject } from "ajv";

const isUnion = (e: ErrorObject) => e.keyword === "anyOf" || e.keyword === "oneOf";

/** A schema reused through items/additionalProperties has the same schemaPath wherever it
 * applies: a union is told apart by its schemaPath and its data path together. */
const unionKey = (schemaPath: string, instancePath: string) => `${schemaPath}\u0000${instancePath}`;

/** The errors of one union, grouped by branch (the schemaPath segment after the union's). */
interface Union {
  error: ErrorObject;
  branches: Map<string, ErrorObject[]>;
}

export function reduceUnions(errors: readonly ErrorObject[]): ErrorObject[] {
  const unions = new Map<string, Union>();
  for (const e of errors) {
    if (isUnion(e))
      unions.set(unionKey(e.schemaPath, e.instancePath), { error: e, branches: new Map() });
  }
  if (unions.size === 0) return [...errors];
  for (const e of errors) {
    for (const { union, branch } of enclosingUnions(e, unions)) {
      const list = union.branches.get(branch);
      if (list) list.push(e);
      else union.branches.set(branch, [e]);
    }
  }
  // Decisions do not depend on order: a branch that is dropped takes its inner unions with it,
  // and a union inside a kept branch decides for itself.
  const dropped = new Set<ErrorObject>();
  for (const union of unions.values()) {
    const prefix = `${union.error.schemaPath}/`;
    let anyFits = false;
    for (const [id, errs] of union.branches) {
      if (fits(errs, `${prefix}${id}`, union.error.instancePath)) anyFits = true;
      else for (const e of errs) dropped.add(e);
    }
    if (anyFits) dropped.add(union.error);
  }
  // A union with no fitting branch stays, to speak for them all (unless an outer union dropped it).
  return errors.filter((e) => !dropped.has(e));
}

/** Every union `e` sits in a branch of: its schemaPath goes through the union's, and its data
 * path is the union's or below it. */
function* enclosingUnions(
  e: ErrorObject,
  unions: ReadonlyMap<string, Union>,
): Generator<{ union: Union; branch: string }> {
  const schemaSegments = e.schemaPath.split("/");
  const dataPrefixes = prefixesOf(e.instancePath);
  // Stop before the last segment: an error is not in a branch of itself.
  for (let i = 1; i < schemaSegments.length - 1; i++) {
    const segment = schemaSegments[i];
    if (segment !== "anyOf" && segment !== "oneOf") continue;
    const schemaPath = schemaSegments.slice(0, i + 1).join("/");
    const branch = schemaSegments[i + 1] ?? "";
    for (const dataPath of dataPrefixes) {
      const union = unions.get(unionKey(schemaPath, dataPath));
      if (union && union.error !== e) yield { union, branch };
    }
  }
}

/** "/a/b/0" → "", "/a", "/a/b", "/a/b/0". */
function prefixesOf(instancePath: string): string[] {
  const out = [""];
  let at = instancePath.indexOf("/", 1);
  while (at > 0) {
    out.push(instancePath.slice(0, at));
    at = instancePath.indexOf("/", at + 1);
  }
  if (instancePath !== "") out.push(instancePath);
  return out;
}

/**
 * Whether the value has the shape of the branch at `branch`: no type error of the branch itself
 * and, for a branch that is itself a union, some sub-branch that fits.
 */
function fits(errors: readonly ErrorObject[], branch: string, instancePath: string): boolean {
  const own = errors.filter((e) => e.instancePath === instancePath);
  if (own.some((e) => e.schemaPath === `${branch}/type`)) return false;
  // A branch that only says "has key X" (no type of its own) is one option of the union, not a
  // shape; when every such option fails, the union's message says which keys are possible.
  const pureRequired = own.some(
    (e) =>
      e.schemaPath === `${branch}/required` &&
      (e.parentSchema as { type?: unknown } | undefined)?.type === undefined,
  );
  if (pureRequired) return false;
  const nested = own.find(
    (e) => e.schemaPath === `${branch}/anyOf` || e.schemaPath === `${branch}/oneOf`,
  );
  if (!nested) return true;
  const prefix = `${nested.schemaPath}/`;
  const ids = new Set(
    errors
      .filter((e) => e.schemaPath.startsWith(prefix))
      .map((e) => e.schemaPath.slice(prefix.length).split("/")[0] ?? ""),
  );
  return [...ids].some((id) => fits(errors, `${prefix}${id}`, instancePath));
}
