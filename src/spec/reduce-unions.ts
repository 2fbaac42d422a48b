// ajv (allErrors) reports a failed anyOf as the union error plus every error of every branch:
// `exitCode: 300` yields "must be <= 255", "must be string", "must be object", "must be array" and
// two "must match a schema in anyOf". Users need one line. The branch whose type fits the value is
// the one the user meant, so its errors are kept; when no branch fits, the union's own message
// ("expected an exit code, a range or a list") is kept instead.
import type { ErrorObject } from "ajv";

const isUnion = (e: ErrorObject) => e.keyword === "anyOf" || e.keyword === "oneOf";

/** A schema reused through $ref has the same schemaPath wherever it applies: tell by the data path. */
const within = (e: ErrorObject, instancePath: string) =>
  e.instancePath === instancePath || e.instancePath.startsWith(`${instancePath}/`);

export function reduceUnions(errors: readonly ErrorObject[]): ErrorObject[] {
  let remaining = [...errors];
  const unions = errors.filter(isUnion).sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const union of unions) {
    if (!remaining.includes(union)) continue;
    const prefix = `${union.schemaPath}/`;
    const branches = new Map<string, ErrorObject[]>();
    for (const e of remaining) {
      if (!e.schemaPath.startsWith(prefix) || !within(e, union.instancePath)) continue;
      const branch = e.schemaPath.slice(prefix.length).split("/")[0] ?? "";
      branches.set(branch, [...(branches.get(branch) ?? []), e]);
    }
    const inBranches = new Set([...branches.values()].flat());
    const fitting = [...branches.entries()]
      .filter(([id, errs]) => fits(errs, `${prefix}${id}`, union.instancePath))
      .map(([, errs]) => errs);
    const keep = new Set(fitting.flat());
    remaining = remaining.filter((e) => {
      if (e === union) return fitting.length === 0;
      return !inBranches.has(e) || keep.has(e);
    });
  }
  return remaining;
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
      .filter((e) => e.schemaPath.startsWith(prefix) && within(e, instancePath))
      .map((e) => e.schemaPath.slice(prefix.length).split("/")[0] ?? ""),
  );
  return [...ids].some((id) => fits(errors, `${prefix}${id}`, instancePath));
}
