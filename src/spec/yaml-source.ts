// YAML text → plain values plus the source position of every key and value, so that any later
// problem (schema, rules) can point at file:line:col. Interpolation happens here, scalar by scalar,
// because only here is the line of each `${VAR}` known.
import {
  type Alias,
  Composer,
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  Parser,
  Scalar,
  visit,
  type YAMLError,
} from "yaml";
import type { SpecIssue } from "../errors.js";
import { groupDigits } from "../locale-free.js";
import type { SourceLocation } from "../model.js";
import { type Interpolated, interpolate } from "./interpolate.js";
import { LIMITS } from "./limits.js";

export interface NodePosition {
  /** Where the key is, for values held in a mapping. */
  key?: SourceLocation;
  value: SourceLocation;
}

/** A quoted scalar whose `${…}` expanded to something that reads as a number or boolean. */
export interface TypedReading {
  path: (string | number)[];
  value: number | boolean;
}

/** JSON pointer (as ajv's instancePath) → position. */
export type Positions = Map<string, NodePosition>;

export interface SourceDocument {
  /** 0-based position among the file's non-empty documents. */
  index: number;
  value: unknown;
  positions: Positions;
  where: SourceLocation;
  /** YAML syntax problems: when there are any, `value` is undefined. */
  syntaxIssues: SpecIssue[];
  /** Problems found while reading values (interpolation, duplicate keys); `value` is still usable. */
  issues: SpecIssue[];
  /** Pointers of values whose interpolation failed: other checks stay silent about them. */
  unresolved: Set<string>;
  /** Quoted `${…}` values that read as numbers or booleans (the loader decides where that counts). */
  typedReadings: TypedReading[];
  /** Not a document: the file was read no further here, which its one problem says. */
  readNoFurther?: true;
}

export function pointer(segments: readonly (string | number)[]): string {
  let out = "";
  for (const s of segments) out += `/${escapeSegment(String(s))}`;
  return out;
}

/** RFC 6901: `~` → `~0`, `/` → `~1`; most keys have neither. */
export const escapeSegment = (s: string) =>
  s.includes("~") || s.includes("/") ? s.replace(/~/g, "~0").replace(/\//g, "~1") : s;

export function readYaml(
  text: string,
  file: string,
  env: Record<string, string | undefined>,
): SourceDocument[] {
  const lines = new LineCounter();
  // parseAllDocuments, read one document at a time so that reading stops past the bound: the
  // parser and composer are generators, and nothing after the document that broke it is lexed.
  const { docs, pastBound } = withPlainYamlEnv(() => {
    const parser = new Parser(lines.addNewLine);
    const composer = new Composer({ uniqueKeys: false, prettyErrors: false });
    const read: Document.Parsed[] = [];
    for (const doc of composer.compose(parser.parse(text))) {
      if (read.length === LIMITS.fileDocuments) return { docs: read, pastBound: doc.range[0] };
      read.push(doc);
    }
    return { docs: read, pastBound: undefined };
  });
  const at = (offset: number): SourceLocation => {
    const { line, col } = lines.linePos(offset);
    return { file, line, col };
  };
  const documents: SourceDocument[] = [];
  for (const doc of docs) {
    const start = doc.contents?.range[0] ?? doc.range[0];
    // After one syntax error the parser loses track and reports every later token (22 lines for
    // one unquoted `${…}`): the first error is the one to fix.
    const firstError = [...doc.errors].sort((a, b) => a.pos[0] - b.pos[0]).slice(0, 1);
    const syntaxIssues: SpecIssue[] = [...firstError, ...doc.warnings].map((e) => ({
      where: at(e.pos[0]),
      path: "",
      message: `YAML: ${e.message.replace(/\s+/g, " ").trim()}`,
      ...syntaxFix(e, text),
    }));
    if (syntaxIssues.length === 0 && isEmpty(doc)) continue;
    const walker = new Walker(doc, text, at, env);
    const walked = syntaxIssues.length === 0 ? walker.walk(doc.contents, [], "") : undefined;
    // Past the bound the rest of the document has no values and no positions: checking it would
    // only report thousands of "missing" values at its first line.
    if (walker.overflow) syntaxIssues.push(walker.overflow);
    documents.push({
      index: documents.length,
      value: walker.overflow ? undefined : walked,
      positions: walker.positions,
      where: at(start),
      syntaxIssues,
      issues: walker.issues,
      unresolved: walker.unresolved,
      typedReadings: walker.typedReadings,
    });
  }
  if (pastBound !== undefined) {
    const where = at(pastBound);
    const bound = groupDigits(LIMITS.fileDocuments);
    documents.push({
      index: documents.length,
      value: undefined,
      positions: new Map(),
      where,
      syntaxIssues: [
        {
          where,
          path: "",
          message: `this file holds more than ${bound} YAML documents; a spec file holds at most ${bound}, and it is read no further`,
          fix: "split it into several spec files",
        },
      ],
      issues: [],
      unresolved: new Set(),
      typedReadings: [],
      readNoFurther: true,
    });
  }
  return documents;
}

/**
 * yaml reads `process.env.LOG_TOKENS` once per token and `LOG_STREAM` once per document part,
 * and each read of process.env is a call into C++ (getenv): the top self time of parsing 1,000
 * spec files, about a quarter of the parse. For the synchronous span of one parse, process.env is
 * an object holding those two values as its own plain properties, in front of the real env (its
 * prototype), so every other read still reaches the real environment. Restored in `finally`;
 * nothing else runs in between.
 */
export function withPlainYamlEnv<T>(parse: () => T): T {
  const real = process.env;
  // One such object per real env object, its two values refreshed for each parse.
  if (yamlEnv?.real !== real) yamlEnv = { real, plain: Object.create(real) };
  const { plain } = yamlEnv;
  for (const name of ["LOG_TOKENS", "LOG_STREAM"]) {
    Object.defineProperty(plain, name, {
      value: real[name],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  process.env = plain;
  try {
    return parse();
  } finally {
    process.env = real;
  }
}

let yamlEnv: { real: NodeJS.ProcessEnv; plain: NodeJS.ProcessEnv } | undefined;

function syntaxFix(e: YAMLError, text: string): { fix?: string } {
  if (e.code === "TAB_AS_INDENT") return { fix: "indent with spaces" };
  // In a flow collection `{` ends a plain scalar, so `{ max: ${N} }` breaks right after the `$`.
  const from = Math.max(0, e.pos[0] - 1);
  const at = text.slice(from, e.pos[1] + 1).indexOf("${");
  if (at < 0) return jsonPathFix(e, text);
  // Already quoted: the mistake is elsewhere.
  if (/["']/.test(text.charAt(from + at - 1))) return {};
  const token = /\$\{[^}\s]*\}?/y;
  token.lastIndex = from + at;
  const example = token.exec(text)?.[0] ?? "";
  return { fix: `quote \`\${…}\` inside \`{ }\` or \`[ ]\`, e.g. '${example}'` };
}

/** `{ path: $.checks[*].ok, … }`: in a flow collection `[` ends a plain scalar too. */
function jsonPathFix(e: YAMLError, text: string): { fix?: string } {
  const start = text.lastIndexOf("\n", e.pos[0] - 1) + 1;
  const end = text.indexOf("\n", e.pos[0]);
  const line = text.slice(start, end < 0 ? text.length : end);
  const path = /\bpath:\s*(\$[^\s,'"{}]*)/.exec(line)?.[1];
  if (path === undefined || !path.includes("[")) return {};
  return { fix: `quote a JSONPath holding [ ] inside \`{ }\`: path: '${path}'` };
}

function isEmpty(doc: Document): boolean {
  const c = doc.contents;
  return c === null || (isScalar(c) && (c.value === null || c.value === undefined));
}

class Walker {
  readonly positions: Positions = new Map();
  readonly issues: SpecIssue[] = [];
  readonly unresolved = new Set<string>();
  readonly typedReadings: TypedReading[] = [];
  /** Set when the document holds more values than LIMITS.documentValues. */
  overflow: SpecIssue | undefined;
  private nodes = 0;
  private readonly active = new Set<Node>();
  private targets: Map<Alias, Node | undefined> | undefined;
  private readonly interpolated = new Map<Scalar, Interpolated>();

  constructor(
    private readonly doc: Document,
    private readonly text: string,
    private readonly at: (offset: number) => SourceLocation,
    private readonly env: Record<string, string | undefined>,
  ) {}

  /** `ptr` is pointer(path), built a segment at a time: rebuilding it per value was most of the walk. */
  walk(node: unknown, path: (string | number)[], ptr: string, key?: SourceLocation): unknown {
    if (this.overflow) return undefined;
    if (++this.nodes > LIMITS.documentValues) {
      this.overflow = {
        where: this.locate(node) ?? key ?? this.at(0),
        path: display(path),
        message: `the document is too large: more than ${groupDigits(LIMITS.documentValues)} values (each use of an alias counts)`,
        fix: "split it into several specs",
      };
      return undefined;
    }
    const where = this.locate(node) ?? key ?? this.at(0);
    this.positions.set(ptr, key ? { key, value: where } : { value: where });
    if (isAlias(node)) {
      const target = this.target(node);
      if (!target || this.active.has(target)) {
        this.issue(
          node,
          path,
          `alias *${node.source} ${target ? "refers to itself" : "has no anchor"}`,
        );
        return undefined;
      }
      this.active.add(target);
      const value = this.walk(target, path, ptr, key);
      this.active.delete(target);
      // The alias is where the user wrote the value; keep that position for it.
      this.positions.set(ptr, key ? { key, value: where } : { value: where });
      return value;
    }
    if (isMap(node)) {
      if (node.items.length > LIMITS.mappingKeys) {
        return this.tooLarge(
          node,
          path,
          `${groupDigits(node.items.length)} keys; at most ${groupDigits(LIMITS.mappingKeys)} are allowed`,
        );
      }
      return this.walkPairs(node.items, path, ptr);
    }
    if (isSeq(node)) {
      if (node.items.length > LIMITS.listItems) {
        return this.tooLarge(
          node,
          path,
          `${groupDigits(node.items.length)} items; at most ${groupDigits(LIMITS.listItems)} are allowed`,
        );
      }
      return node.items.map((item, i) =>
        isPair(item)
          ? this.walkPairs([item], [...path, i], `${ptr}/${i}`)
          : this.walk(item, [...path, i], `${ptr}/${i}`),
      );
    }
    if (isScalar(node)) return this.scalar(node, path);
    return null;
  }

  private walkPairs(
    pairs: Pair[],
    path: (string | number)[],
    ptr: string,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const seen = new Map<string, SourceLocation>();
    let refused = false;
    for (const pair of pairs) {
      const keyNode = pair.key;
      const keyWhere = this.locate(keyNode) ?? this.locate(pair.value) ?? this.at(0);
      if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === "object") {
        this.issues.push({
          where: keyWhere,
          path: display(path),
          message: "keys must be plain names",
        });
        continue;
      }
      const name = String(keyNode.value);
      if (name.length > LIMITS.keyLength) {
        refused = true;
        this.issues.push({
          where: keyWhere,
          path: display(path),
          message: `a key of ${groupDigits(name.length)} characters; keys are at most ${groupDigits(LIMITS.keyLength)}`,
        });
        continue;
      }
      const first = seen.get(name);
      if (first) {
        this.issues.push({
          where: keyWhere,
          path: display([...path, name]),
          message: `duplicate key \`${name}\` (first at line ${first.line})`,
          fix: "keep one of them",
        });
        continue;
      }
      seen.set(name, keyWhere);
      const value =
        pair.value === null
          ? null
          : this.walk(pair.value, [...path, name], `${ptr}/${escapeSegment(name)}`, keyWhere);
      setMember(out, name, value);
      if (pair.value === null)
        this.positions.set(`${ptr}/${escapeSegment(name)}`, { key: keyWhere, value: keyWhere });
    }
    // Every key refused for its size: "an empty mapping" would only blame the user a second time.
    if (refused && Object.keys(out).length === 0) this.unresolved.add(ptr);
    return out;
  }

  private scalar(node: Scalar, path: (string | number)[]): unknown {
    if (typeof node.value !== "string") return node.value;
    // Before interpolation too: a 10 MB value is not worth scanning for `${…}`.
    if (node.value.length > LIMITS.valueLength) return this.tooLong(node, path, node.value.length);
    // Once per node: an alias used 2,000 times to a 48 KB value of 12,000 `${…}` was expanded
    // 2,000 times (7 s).
    let result = this.interpolated.get(node);
    if (!result) {
      result = interpolate(node.value, this.env);
      this.interpolated.set(node, result);
    }
    if (result.value.length > LIMITS.valueLength) {
      return this.tooLong(node, path, result.value.length, " once its variables are expanded");
    }
    if (result.problems.length > 0) {
      this.unresolved.add(pointer(path));
      const source = node.range ? this.text.slice(node.range[0], node.range[1]) : "";
      let from = 0;
      for (const p of result.problems) {
        const found = source.indexOf(p.token, from);
        if (found >= 0) from = found + p.token.length;
        const offset = node.range ? node.range[0] + Math.max(found, 0) : 0;
        this.issues.push({
          where: this.at(offset),
          path: display(path),
          message: p.message,
          fix: p.fix,
        });
      }
      return result.value;
    }
    if (!result.replaced) return result.value;
    // An unquoted `${N}` that expands to a number or boolean is read as one, as YAML would have.
    const typed = coerce(result.value);
    if (node.type === Scalar.PLAIN) return typed;
    if (typeof typed !== "string") this.typedReadings.push({ path: [...path], value: typed });
    return result.value;
  }

  /** A list or mapping beyond its bound: reported at the node, then left out (quietly). */
  private tooLarge(node: unknown, path: (string | number)[], what: string): undefined {
    this.unresolved.add(pointer(path));
    this.issues.push({
      where: this.locate(node) ?? this.at(0),
      path: display(path),
      message: `${isSeq(node) ? "a list" : "a mapping"} of ${what}`,
      fix: "split the spec into several specs",
    });
    return undefined;
  }

  private tooLong(node: Scalar, path: (string | number)[], length: number, when = ""): undefined {
    this.unresolved.add(pointer(path));
    this.issues.push({
      where: this.locate(node) ?? this.at(0),
      path: display(path),
      message: `a value of ${groupDigits(length)} characters${when}; values are at most ${groupDigits(LIMITS.valueLength)}`,
    });
    return undefined;
  }

  /**
   * The node an alias names: the last node anchored with its name before it, in document order,
   * as `Alias.resolve` finds it. That searches the document from its start for each alias (10,000
   * aliases to one anchor took 10 s), so every alias is resolved in one pass, at the first.
   */
  private target(alias: Alias): Node | undefined {
    if (!this.targets) {
      const targets = new Map<Alias, Node | undefined>();
      const anchors = new Map<string, Node>();
      visit(this.doc, {
        Node: (_key, node) => {
          if (isAlias(node)) targets.set(node, anchors.get(node.source));
          else if (node.anchor) anchors.set(node.anchor, node);
        },
      });
      this.targets = targets;
    }
    return this.targets.get(alias);
  }

  private locate(node: unknown): SourceLocation | undefined {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range ? this.at(range[0]) : undefined;
  }

  private issue(node: unknown, path: (string | number)[], message: string) {
    this.issues.push({ where: this.locate(node) ?? this.at(0), path: display(path), message });
  }
}

/**
 * `out[name] = value`, except that a key named __proto__ stays data instead of changing the
 * object's prototype (defineProperty for every key was a fifth of the walk).
 */
export function setMember(out: Record<string, unknown>, name: string, value: unknown): void {
  if (name === "__proto__") {
    Object.defineProperty(out, name, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else out[name] = value;
}

/** An unquoted `${N}` that expanded to a number or boolean, read as YAML would have. */
export function coerce(text: string): string | number | boolean {
  if (/^-?(0|[1-9]\d*)(\.\d+)?$/.test(text)) return Number(text);
  if (text === "true") return true;
  if (text === "false") return false;
  return text;
}

/** `/expect/output/matches/0` → `expect.output.matches[0]` (as issues show field paths). */
export function display(path: readonly (string | number)[]): string {
  let out = "";
  for (const s of path) {
    if (typeof s === "number") out += `[${s}]`;
    else out += out ? `.${s}` : s;
  }
  return out;
}
