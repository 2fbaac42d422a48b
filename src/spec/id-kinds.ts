// TAT and CVM resource ids by their prefix. The schema checks each id field for its kind; when a
// value is a well-formed id of another kind (an invocation id pasted where an instance belongs),
// saying which kind it is explains the mistake better than "expected … got …".

export type IdKind = "invocation" | "task" | "instance" | "command";

interface KindInfo {
  /** Regex body (no anchors) of a well-formed id of this kind. */
  body: string;
  /** "an invocation id", for "`x` is an invocation id". */
  name: string;
  /** What ids of this kind look like, for "…; instances are ins-…, lhins-… or mi-…". */
  shape: string;
  example: string;
}

export const ID_KINDS: Record<IdKind, KindInfo> = {
  invocation: {
    body: "inv-[a-z0-9]+",
    name: "an invocation id",
    shape: "invocations are inv-…",
    example: "inv-b9e9v6wk",
  },
  task: {
    body: "invt-[a-z0-9]+",
    name: "an invocation task id",
    shape: "invocation tasks are invt-…",
    example: "invt-hgwfd7jo",
  },
  // CVM (ins-), Lighthouse (lhins-) and TAT managed instances (mi-).
  instance: {
    body: "(?:ins|lhins|mi)-[a-z0-9]+",
    name: "an instance id",
    shape: "instances are ins-…, lhins-… or mi-…",
    example: "ins-a1b2c3d4",
  },
  // Only in `target.filters.command-id`.
  command: {
    body: "cmd-[a-z0-9]+",
    name: "a command id",
    shape: "commands are cmd-…",
    example: "cmd-a1b2c3d4",
  },
};

const PREFIXES: [RegExp, IdKind][] = [
  [/^invt-/, "task"],
  [/^inv-/, "invocation"],
  [/^(?:ins|lhins|mi)-/, "instance"],
  [/^cmd-/, "command"],
];

/** The kind a value's prefix says it is, well-formed or not. */
export function idKindOf(value: string): IdKind | undefined {
  return PREFIXES.find(([re]) => re.test(value))?.[1];
}

/** `^(?:body)$`: the whole value is an id of this kind. */
export const exactId = (kind: IdKind) => `^(?:${ID_KINDS[kind].body})$`;

/** The kind a schema `pattern` checks for, when it is one built from exactId. */
export function kindOfPattern(pattern: string): IdKind | undefined {
  return (Object.keys(ID_KINDS) as IdKind[]).find((k) => pattern.includes(exactId(k)));
}
