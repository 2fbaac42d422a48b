// Inside `{ }` or `[ ]` a `${…}` must be quoted, and a quoted scalar is text. In a field that takes
// only a number or true/false, text can never be right, so there a quoted `${N}` is read as the
// number or boolean it expands to, as it would be when written unquoted in block style.
import { specSchema } from "./schema.js";
import type { TypedReading } from "./yaml-source.js";

interface SchemaNode {
  type?: string;
  anyOf?: SchemaNode[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: unknown;
  items?: SchemaNode;
}

const NOT_TEXT = new Set(["number", "integer", "boolean"]);

/** The node and, for a union, every branch (recursively). */
function branches(node: SchemaNode): SchemaNode[] {
  return [node, ...(node.anyOf ?? []).flatMap(branches)];
}

/** Whether every schema branch at this path takes a number, integer or boolean, never text. */
export function takesOnlyNumberOrBoolean(path: readonly (string | number)[]): boolean {
  let nodes: SchemaNode[] = [specSchema as unknown as SchemaNode];
  for (const segment of path) {
    nodes = nodes.flatMap(branches).flatMap((n): SchemaNode[] => {
      if (typeof segment === "number") return n.items ? [n.items] : [];
      const child = n.properties?.[segment];
      if (child) return [child];
      const rest = n.additionalProperties;
      return typeof rest === "object" && rest !== null ? [rest as SchemaNode] : [];
    });
  }
  const leaves = nodes.flatMap(branches).filter((n) => !n.anyOf);
  return leaves.length > 0 && leaves.every((n) => n.type !== undefined && NOT_TEXT.has(n.type));
}

/** Puts, in place, the typed reading of each quoted `${…}` that sits in such a field. */
export function applyTypedReadings(
  spec: Record<string, unknown>,
  readings: Iterable<TypedReading>,
): void {
  for (const { path, value } of readings) {
    if (!takesOnlyNumberOrBoolean(path)) continue;
    let parent: unknown = spec;
    for (const segment of path.slice(0, -1)) {
      parent = (parent as Record<string | number, unknown> | undefined)?.[segment];
    }
    const last = path[path.length - 1];
    if (last !== undefined && typeof parent === "object" && parent !== null) {
      (parent as Record<string | number, unknown>)[last] = value;
    }
  }
}
