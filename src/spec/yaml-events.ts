// The fast reader: the same SourceDocuments as readYaml's `yaml` path, built from js-yaml's flat
// event stream, which is about ten times faster than `yaml`'s parser on spec files (bench/README.md,
// "validate on js-yaml's events"). It reads only plain specs: mappings, lists and scalars with no
// anchors, aliases, tags or directives, no empty values, nothing the walker would have a problem
// with (an unset variable, a duplicate key, a value over a bound). On anything else, or on any
// syntax error, it answers `undefined` and the loader reads the text with readYaml, so every message
// about a spec still comes from one reader. Values are resolved by `yaml`'s own core-schema tags,
// and test/spec/yaml-events.test.ts checks both readers give equal documents over every spec in
// the repository and thousands of mutated ones.
import {
  COLLECTION_STYLE,
  EVENT_ID,
  type Event,
  getScalarValue,
  type MappingEvent,
  parseEvents,
  SCALAR_STYLE,
  type ScalarEvent,
  type SequenceEvent,
} from "js-yaml";
import { isScalar, LineCounter, type ScalarTag, Schema } from "yaml";
import type { SourceLocation } from "../model.js";
import { interpolate } from "./interpolate.js";
import { LIMITS } from "./limits.js";
import {
  coerce,
  escapeSegment,
  type Positions,
  type SourceDocument,
  setMember,
  type TypedReading,
} from "./yaml-source.js";

/** Thrown inside the walk when the text leaves the plain subset; caught once, in readPlainYaml. */
class NotPlain {}
const NOT_PLAIN = new NotPlain();

/** The core schema's implicit scalar tags, in `yaml`'s order: the first whose test matches wins. */
const CORE_TAGS = new Schema({}).tags.filter(
  (tag): tag is ScalarTag & { test: RegExp } => tag.default === true && "test" in tag && !!tag.test,
);

/** Whether any of those tags could match: one test instead of nine for most scalars (words). */
const ANY_CORE_TAG = CORE_TAGS.every((tag) => tag.test.flags === "")
  ? new RegExp(CORE_TAGS.map((tag) => `(?:${tag.test.source})`).join("|"))
  : /(?:)/;

/** A plain scalar's value as `yaml` resolves it under the core schema (YAML 1.2). */
function resolvePlain(text: string): unknown {
  if (!ANY_CORE_TAG.test(text)) return text;
  for (const tag of CORE_TAGS) {
    if (!tag.test.test(text)) continue;
    let failed = false;
    const value = tag.resolve(
      text,
      () => {
        failed = true;
      },
      { intAsBigInt: false },
    );
    if (failed) throw NOT_PLAIN;
    // Some tags (booleans) answer a Scalar node, to keep how the value was written.
    return isScalar(value) ? value.value : value;
  }
  return text;
}

// A block scalar's header: its indicator, then only spaces and a comment (after a space) up to the
// end of the line. The leftmost such indicator on the header line is the one (a key cannot hold
// ` |` followed only by a comment: ` #` would start the comment before the key's colon). Headers
// with an indentation digit or keep chomping (`+`) are left to the full reader: the two parsers
// read some of those differently (a review's fuzzer found three such texts).
const BLOCK_HEADER = /[ \t][|>]-?(?:[ \t]+#.*|[ \t]*)$/;

/** Texts up to this size are tried on the fast reader (the 8,000-exit-code bench spec is 87 KB). */
const FAST_TEXT_CHARS = 128 * 1024;

/**
 * Documents the fast reader reads in one text. A spec file holds a few; the bound on documents
 * (LIMITS.fileDocuments, ten times this) is the full reader's to enforce and report, and the two
 * readers may count empty documents differently.
 */
const FAST_DOCUMENTS = 100;

/**
 * Texts where js-yaml and `yaml` were found to disagree (a review fuzzed 700,000 texts): each
 * goes to the full reader whole. None of these is how people write specs: a tab in a line's
 * indentation, a line starting with `%` (a directive, also one js-yaml does not report), a BOM
 * past the start, the text starting with a space, `...` followed by content, a line over 1,024
 * characters (an implicit key longer than YAML allows), a lone "\r".
 */
const DISAGREEING_LINE = /^[ ]*\t|^%|\uFEFF|^\.\.\.(?![ \t]*(?:[ \t]#.*)?\r?$)|\r(?!\n)/m;

function disagreeingText(text: string): boolean {
  if (text[0] === " " || text[0] === "\t" || DISAGREEING_LINE.test(text)) return true;
  for (let from = 0; from < text.length; ) {
    const end = text.indexOf("\n", from);
    if ((end < 0 ? text.length : end) - from > 1024) return true;
    if (end < 0) break;
    from = end + 1;
  }
  return false;
}

export function readPlainYaml(
  text: string,
  file: string,
  env: Record<string, string | undefined>,
): SourceDocument[] | undefined {
  // A spec is a few kilobytes; a larger text is most often one about to be refused for its size
  // or shape, and the full reader would read it a second time.
  if (text.length > FAST_TEXT_CHARS || disagreeingText(text)) return undefined;
  let events: Event[];
  try {
    events = parseEvents(text, {});
  } catch {
    return undefined;
  }
  try {
    return new EventWalker(events, text, file, env).documents();
  } catch (error) {
    if (error === NOT_PLAIN) return undefined;
    throw error;
  }
}

class EventWalker {
  private i = 0;
  private lines: LineCounter | undefined;
  private positions: Positions = new Map();
  private typedReadings: TypedReading[] = [];
  private nodes = 0;
  /** The path of the node being read, one segment per level (copied only for a typed reading). */
  private readonly path: (string | number)[] = [];
  /** How many flow collections the node being read is in. */
  private flowDepth = 0;

  constructor(
    private readonly events: Event[],
    private readonly text: string,
    private readonly file: string,
    private readonly env: Record<string, string | undefined>,
  ) {}

  documents(): SourceDocument[] {
    const out: SourceDocument[] = [];
    const { events } = this;
    for (let count = 1; this.i < events.length; count++) {
      const doc = events[this.i++];
      if (doc?.type !== EVENT_ID.DOCUMENT || doc.directives.length > 0) throw NOT_PLAIN;
      if (count > FAST_DOCUMENTS) throw NOT_PLAIN;
      this.positions = new Map();
      this.typedReadings = [];
      this.nodes = 0;
      let value: unknown = null;
      let start = -1;
      const root = events[this.i];
      if (root && root.type !== EVENT_ID.POP) {
        // An empty document is skipped, as `yaml` reads it: no value, no index.
        if (
          root.type === EVENT_ID.SCALAR &&
          root.valueStart < 0 &&
          root.anchorStart < 0 &&
          root.tagStart < 0
        ) {
          this.i++;
        } else {
          start = this.start(root);
          value = this.node("");
        }
      }
      if (events[this.i++]?.type !== EVENT_ID.POP) throw NOT_PLAIN;
      if (value === null || value === undefined) continue;
      out.push({
        index: out.length,
        value,
        positions: this.positions,
        where: this.at(start),
        syntaxIssues: [],
        issues: [],
        unresolved: new Set(),
        typedReadings: this.typedReadings,
      });
    }
    return out;
  }

  /** Reads the node at `this.i` and everything under it. */
  private node(ptr: string, key?: SourceLocation): unknown {
    const event = this.events[this.i++];
    if (!event || ++this.nodes > LIMITS.documentValues) throw NOT_PLAIN;
    if (event.type === EVENT_ID.ALIAS || event.type === EVENT_ID.POP) throw NOT_PLAIN;
    if (event.type === EVENT_ID.DOCUMENT || event.anchorStart >= 0 || event.tagStart >= 0) {
      throw NOT_PLAIN;
    }
    const where = this.at(this.start(event));
    this.positions.set(ptr, key ? { key, value: where } : { value: where });
    if (event.type === EVENT_ID.SCALAR) return this.scalar(event);
    const flow = event.style === COLLECTION_STYLE.FLOW;
    // `{a: b\n#c\n}`: `yaml` refuses a comment at the start of a line in a flow collection. The
    // outermost one's scan covers those inside it.
    if (flow && this.flowDepth === 0 && commentInFlow(this.text, event.start)) throw NOT_PLAIN;
    if (flow) this.flowDepth++;
    const value = this.collection(event, ptr);
    if (flow) this.flowDepth--;
    return value;
  }

  private collection(event: MappingEvent | SequenceEvent, ptr: string): unknown {
    if (event.type === EVENT_ID.SEQUENCE) {
      const items: unknown[] = [];
      while (this.events[this.i]?.type !== EVENT_ID.POP) {
        if (items.length === LIMITS.listItems) throw NOT_PLAIN;
        const item = this.events[this.i];
        // `[a: 1]`: `yaml` holds a pair in the list, not a mapping.
        if (
          event.style === COLLECTION_STYLE.FLOW &&
          item?.type === EVENT_ID.MAPPING &&
          this.text[item.start] !== "{"
        ) {
          throw NOT_PLAIN;
        }
        const i = items.length;
        this.path.push(i);
        items.push(this.node(`${ptr}/${i}`));
        this.path.pop();
      }
      this.i++;
      return items;
    }
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    while (this.events[this.i]?.type !== EVENT_ID.POP) {
      if (seen.size === LIMITS.mappingKeys) throw NOT_PLAIN;
      const keyEvent = this.events[this.i++];
      if (
        keyEvent?.type !== EVENT_ID.SCALAR ||
        keyEvent.anchorStart >= 0 ||
        keyEvent.tagStart >= 0 ||
        keyEvent.valueStart < 0
      ) {
        throw NOT_PLAIN;
      }
      const name = this.keyName(keyEvent);
      if (name.length > LIMITS.keyLength || seen.has(name)) throw NOT_PLAIN;
      seen.add(name);
      this.path.push(name);
      const value = this.node(`${ptr}/${escapeSegment(name)}`, this.at(this.start(keyEvent)));
      this.path.pop();
      setMember(out, name, value);
    }
    this.i++;
    return out;
  }

  /** `\U` beyond Unicode and an escaped line break before an empty line read differently. */
  private declineOddEscapes(event: ScalarEvent): void {
    const source = this.text.slice(event.valueStart, event.valueEnd);
    if (!source.includes("\\")) return;
    if (source.includes("\\U") || source.includes("\n")) throw NOT_PLAIN;
  }

  private keyName(event: ScalarEvent): string {
    if (event.style === SCALAR_STYLE.DOUBLE_QUOTED) this.declineOddEscapes(event);
    const raw = getScalarValue(this.text, event);
    const value = event.style === SCALAR_STYLE.PLAIN ? resolvePlain(raw) : raw;
    if (value === null || typeof value === "object") throw NOT_PLAIN;
    return String(value);
  }

  private scalar(event: ScalarEvent): unknown {
    // An empty value: `yaml` places it after the colon, which the events do not say.
    if (event.valueStart < 0) throw NOT_PLAIN;
    if (event.style === SCALAR_STYLE.DOUBLE_QUOTED) this.declineOddEscapes(event);
    const raw = getScalarValue(this.text, event);
    const plain = event.style === SCALAR_STYLE.PLAIN;
    const value = plain ? resolvePlain(raw) : raw;
    if (typeof value !== "string") return value;
    if (value.length > LIMITS.valueLength) throw NOT_PLAIN;
    const result = interpolate(value, this.env);
    if (result.problems.length > 0 || result.value.length > LIMITS.valueLength) throw NOT_PLAIN;
    if (!result.replaced) return result.value;
    const typed = coerce(result.value);
    if (plain) return typed;
    if (typeof typed !== "string") this.typedReadings.push({ path: [...this.path], value: typed });
    return result.value;
  }

  /** Where `yaml` says a node starts: its first character, the opening quote, a block header. */
  private start(event: Event): number {
    if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) return event.start;
    if (event.type !== EVENT_ID.SCALAR) throw NOT_PLAIN;
    const { style, valueStart } = event;
    if (style === SCALAR_STYLE.PLAIN) return valueStart;
    if (style === SCALAR_STYLE.SINGLE_QUOTED || style === SCALAR_STYLE.DOUBLE_QUOTED) {
      const quote = style === SCALAR_STYLE.SINGLE_QUOTED ? "'" : '"';
      if (this.text[valueStart - 1] !== quote) throw NOT_PLAIN;
      return valueStart - 1;
    }
    // A block scalar's content starts on the line after its header.
    const headerEnd = this.text.lastIndexOf("\n", valueStart - 1);
    if (headerEnd < 0) throw NOT_PLAIN;
    const headerStart = this.text.lastIndexOf("\n", headerEnd - 1) + 1;
    const header = this.text.slice(headerStart, headerEnd).replace(/\r$/, "");
    const found = BLOCK_HEADER.exec(` ${header}`);
    if (!found) throw NOT_PLAIN;
    return headerStart + found.index;
  }

  private at(offset: number): SourceLocation {
    if (!this.lines) {
      this.lines = new LineCounter();
      this.lines.addNewLine(0);
      for (let n = this.text.indexOf("\n"); n >= 0; n = this.text.indexOf("\n", n + 1)) {
        this.lines.addNewLine(n + 1);
      }
    }
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, col };
  }
}

/**
 * Whether the flow collection opening at `start` holds a comment, or its end is not found (then
 * the answer is yes, and the full reader reads the text). Quoted scalars are skipped; a `#` counts
 * only after white space, as YAML reads it.
 */
function commentInFlow(text: string, start: number): boolean {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") {
      if (--depth === 0) return false;
    } else if (c === "#" && /\s/.test(text[i - 1] ?? "")) return true;
    else if ((c === '"' || c === "'") && /[\s[{,:]/.test(text[i - 1] ?? "")) {
      i = quoteEnd(text, i);
      if (i < 0) return true;
    }
  }
  return true;
}

/** The offset of the quote closing the scalar quoted at `open`, or -1. */
function quoteEnd(text: string, open: number): number {
  const quote = text[open];
  for (let i = open + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === "\\") i++;
    else if (text[i] === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}
