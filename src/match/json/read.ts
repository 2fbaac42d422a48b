// JSON out of task output, three ways:
// - whole: the output is one JSON value (surrounding whitespace allowed);
// - last:  the last JSON value printed, after any log: a JSON line, or a pretty-printed block,
//          possibly after a prefix on its first line (`result: {…}`), possibly followed by lines
//          that are not JSON (`smoke ok`). An object or array is found by walking back from its
//          closing bracket (on the last line that ends with one) to its opening bracket, skipping
//          strings (in valid JSON a quote is escaped exactly when an odd run of backslashes
//          precedes it), so the work is linear in what it passes over, whatever the log before
//          holds. One found right after `,`, `[`, `{` or `"key":` is inside a value that is
//          broken, and is not judged. A number, string, true, false or null is read only as the
//          whole last line.
//          A line after the value found that opens another (`{`, or `[` before `{ [ " ]`, at its
//          start or after a prefix as found values may have) and does not parse is the last value,
//          unreadable: a problem, never a fall-back to the earlier one.
// - lines: every non-empty line is one JSON value (JSON Lines).
// Line numbers are 1-based and count LF, as excerpts do.
import { plainLine } from "../../report/sanitize.js";
import { lineOf } from "../excerpt.js";

export type JsonSource = "whole" | "last" | "lines";

/** A JSON value and the output line it starts on. */
export interface JsonDocument {
  value: unknown;
  line: number;
  /** Numbers JSON.parse could not hold as printed (inexactNumbers): the value read → the
   * literal printed. A condition or capture that reads one of them is not verified. */
  inexact?: ReadonlyMap<number, string>;
}

export interface JsonReadProblem {
  problem: string;
  /** The output line the problem is on (0 when it is about the output as a whole). */
  line: number;
  /** A limit of this reader was reached (size, depth): the JSON may be fine, it was not read. */
  overLimit?: true;
}

export type JsonReading = { documents: JsonDocument[] } | JsonReadProblem;

/** JSON.parse builds about ten times its text in objects: more than this is not read. */
export const MAX_JSON_CHARS = 16 * 1024 * 1024;
/** Deeper nesting than any health report has; the walk back stops there. */
export const MAX_JSON_DEPTH = 512;

const MAX_SHOWN = 80;

// A byte order mark (PowerShell writes one) is read as space at the edges of a value.
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xfeff;

/** The parse error, made safe to show (V8 quotes the text it failed on) and placed on a line. */
function parseProblem(error: unknown, text: string, start: number): JsonReadProblem {
  // V8 quotes the text it failed on (`, "curl: (7) "... is not valid JSON`): the excerpt shows it.
  let message = (error instanceof Error ? error.message : String(error)).replace(
    /, "[\s\S]*" is not valid JSON$/,
    "",
  );
  let line = lineOf(text, start);
  const position = /at position (\d+)/.exec(message);
  if (position) {
    const at = start + Number(position[1]);
    line = lineOf(text, at);
    const column = at - (text.lastIndexOf("\n", at - 1) + 1) + 1;
    message = message.replace(/\s*\(line \d+ column \d+\)/, "");
    message = `${message.replace(/\s*at position \d+/, "")} at line ${line} column ${column}`;
  }
  const safe = plainLine(message);
  const shown = safe.length > 2 * MAX_SHOWN ? `${safe.slice(0, 2 * MAX_SHOWN - 1)}…` : safe;
  return { problem: `not valid JSON: ${shown}`, line };
}

/** End (index of the closing quote) of the string that opens at `open`, in valid JSON text. */
function closingQuote(text: string, open: number): number {
  let i = open + 1;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || Number.isNaN(c)) return i;
    i += c === 0x5c ? 2 : 1;
  }
}

/**
 * The first key printed twice in one object of valid JSON text between start and end. JSON.parse
 * keeps the last one silently, other readers the first: `{"status":"down","status":"ok"}` would
 * pass `$.status equals ok` on a value the output also says is "down". Linear in the text.
 */
function duplicateKey(
  text: string,
  start: number,
  end: number,
): { key: string; at: number } | undefined {
  const objects: (Set<string> | undefined)[] = [];
  let keyNext = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b) {
      objects.push(new Set());
      keyNext = true;
    } else if (c === 0x5b) {
      objects.push(undefined);
    } else if (c === 0x7d || c === 0x5d) {
      objects.pop();
      keyNext = false;
    } else if (c === 0x2c) {
      keyNext = objects[objects.length - 1] !== undefined;
    } else if (c === 0x22) {
      const close = closingQuote(text, i);
      const keys = objects[objects.length - 1];
      if (keyNext && keys) {
        const quoted = text.slice(i + 1, close);
        const key = quoted.includes("\\") ? (JSON.parse(`"${quoted}"`) as string) : quoted;
        if (keys.has(key)) return { key, at: i };
        keys.add(key);
        keyNext = false;
      }
      i = close;
    }
  }
  return undefined;
}

function duplicateProblem(text: string, dup: { key: string; at: number }): JsonReadProblem {
  const line = lineOf(text, dup.at);
  const column = dup.at - (text.lastIndexOf("\n", dup.at - 1) + 1) + 1;
  const safe = plainLine(JSON.stringify(dup.key));
  const key = safe.length > MAX_SHOWN ? `${safe.slice(0, MAX_SHOWN - 1)}…` : safe;
  return {
    problem: `not usable JSON: key ${key} appears twice in one object at line ${line} column ${column} (which value is meant is not known)`,
    line,
  };
}

/** A character of a JSON number after its first: a digit, `.`, `e`, `E`, `+` or `-`. */
const inNumber = (c: number) =>
  (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;

/** `1.50e2` → `15e1`: a decimal's digits (no leading or trailing zeros) and exponent, so two
 * spellings of one number compare equal. Anything else (`Infinity`) is itself. */
function decimalKey(text: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return text;
  const all = `${m[2]}${m[3] ?? ""}`.replace(/^0+/, "");
  if (all === "") return "0";
  const digits = all.replace(/0+$/, "");
  // BigInt: an exponent of 30 digits is still compared exactly.
  const exponent =
    BigInt(m[4] ?? 0) - BigInt(m[3]?.length ?? 0) + BigInt(all.length - digits.length);
  return `${m[1]}${digits}e${exponent}`;
}

/**
 * Number literals in valid JSON text between start and end that JSON.parse reads as another
 * number: `9007199254740993` (past 2^53) is read as 9007199254740992, `1e400` as Infinity,
 * `1e-400` as 0. A check on the value read would judge a number the output never printed (two
 * build ids past 2^53 read the same), so such a value is never judged. A literal is exact when it
 * is, as a decimal, the number the double read from it prints as: then no other exact literal
 * reads as the same double, and bounds compare as the printed decimals do. Linear in the text.
 */
function inexactNumbers(text: string, start: number, end: number): Map<number, string> | undefined {
  let found: Map<number, string> | undefined;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = closingQuote(text, i);
      continue;
    }
    if (c !== 0x2d && (c < 0x30 || c > 0x39)) continue;
    let j = i + 1;
    let exponent = false;
    for (; j < end && inNumber(text.charCodeAt(j)); j++) {
      if ((text.charCodeAt(j) | 0x20) === 0x65) exponent = true;
    }
    const from = i;
    i = j - 1;
    // At most 15 digits and no exponent: every such decimal survives a double (DBL_DIG). Most
    // numbers are such, and are passed over without a copy.
    if (j - from <= 15 && !exponent) continue;
    const literal = text.slice(from, j);
    const value = Number(literal);
    if (Number.isFinite(value) && decimalKey(literal) === decimalKey(String(value))) continue;
    found ??= new Map();
    if (!found.has(value)) found.set(value, literal);
  }
  return found;
}

/** The printed literal of a number in `value` (itself, or an item or member at any depth) that
 * JSON.parse did not read exactly, or undefined. */
export function inexactIn(
  value: unknown,
  inexact: ReadonlyMap<number, string> | undefined,
): string | undefined {
  if (inexact === undefined) return undefined;
  if (typeof value === "number") return inexact.get(value);
  if (typeof value !== "object" || value === null) return undefined;
  for (const item of Object.values(value)) {
    const literal = inexactIn(item, inexact);
    if (literal !== undefined) return literal;
  }
  return undefined;
}

/** What is said of a value holding such a number: "holds a number printed as …". */
export function inexactNumberText(literal: string): string {
  const printed = literal.length > MAX_SHOWN ? `${literal.slice(0, MAX_SHOWN - 1)}…` : literal;
  return `holds a number printed as ${printed}, which is read as ${String(Number(literal))}: not compared (print it as a string to compare it exactly)`;
}

function parseAt(text: string, start: number, end: number): JsonDocument | JsonReadProblem {
  if (end - start > MAX_JSON_CHARS) {
    return {
      problem: `a JSON value of ${end - start} characters; at most ${MAX_JSON_CHARS} are read`,
      line: lineOf(text, start),
      overLimit: true,
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text.slice(start, end));
  } catch (error) {
    return parseProblem(error, text, start);
  }
  const dup = duplicateKey(text, start, end);
  if (dup) return duplicateProblem(text, dup);
  const inexact = inexactNumbers(text, start, end);
  return inexact
    ? { value, line: lineOf(text, start), inexact }
    : { value, line: lineOf(text, start) };
}

/** Index after the last non-whitespace character before `end`, not going below `floor`. */
function trimEnd(text: string, end: number, floor = 0): number {
  let i = end;
  while (i > floor && isSpace(text.charCodeAt(i - 1))) i--;
  return i;
}

function trimStart(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Start of the opening quote of the string whose closing quote is at `close`, or -1. */
function openingQuote(text: string, close: number): number {
  let j = text.lastIndexOf('"', close - 1);
  while (j >= 0) {
    let slashes = 0;
    while (j - 1 - slashes >= 0 && text.charCodeAt(j - 1 - slashes) === 0x5c) slashes++;
    if (slashes % 2 === 0) return j;
    j = text.lastIndexOf('"', j - 1);
  }
  return -1;
}

/** Where the object or array that ends at `end` (exclusive) opens, or why it cannot be found. */
function openingBracket(text: string, end: number): number | JsonReadProblem {
  const expected: number[] = [];
  for (let i = end - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = openingQuote(text, i);
      if (i < 0) break;
    } else if (c === 0x7d || c === 0x5d) {
      expected.push(c === 0x7d ? 0x7b : 0x5b);
      if (expected.length > MAX_JSON_DEPTH) {
        return {
          problem: `JSON nested deeper than ${MAX_JSON_DEPTH} levels is not read`,
          line: lineOf(text, i),
          overLimit: true,
        };
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (expected.pop() !== c) {
        return {
          problem: `not valid JSON: \`${String.fromCharCode(c)}\` does not match its closing bracket`,
          line: lineOf(text, i),
        };
      }
      if (expected.length === 0) return i;
    }
  }
  return {
    problem: "the output ends with a closing bracket that nothing opens: no JSON value found",
    line: lineOf(text, end - 1),
  };
}

const isClose = (c: number) => c === 0x7d || c === 0x5d;

/**
 * Why the object or array opening at `open` is not a value of its own but inside another, or
 * undefined. The walk back stops at the value's own opening bracket, so an enclosing value cut
 * short (a crash in the middle of pretty-printed JSON) or followed by text is not seen, and its
 * inner `"db": {"status":"ok"}` would pass a health check whose own status is "down". What comes
 * before the bracket, on its line or else at the end of the line before, tells: `,`, `[` or `{`
 * (an item or member), or a quoted key and its colon. A prefix such as `result: ` does not.
 */
function inside(text: string, open: number): JsonReadProblem | undefined {
  const before = trimEnd(text, open);
  const c = text.charCodeAt(before - 1);
  const key = c === 0x3a && text.charCodeAt(trimEnd(text, before - 1) - 1) === 0x22;
  if (c !== 0x2c && c !== 0x5b && c !== 0x7b && !key) return undefined;
  const line = lineOf(text, open);
  const mark = key ? '":' : String.fromCharCode(c);
  return {
    problem: `not valid JSON: the value at line ${line} is inside another (\`${mark}\` before it) that begins earlier and is cut short or followed by text`,
    line,
  };
}

/** The object or array whose closing bracket is the last character before `end`. */
function bracketedValue(text: string, end: number): JsonDocument | JsonReadProblem {
  const open = openingBracket(text, end);
  if (typeof open !== "number") return open;
  return inside(text, open) ?? parseAt(text, open, end);
}

/** End (exclusive, trimmed) of the last line before `before` whose text ends with } or ], or -1.
 * Walks back line by line: linear in what it passes over. */
function lastBracketLineEnd(text: string, before: number): number {
  let lineEnd = before;
  while (lineEnd > 0) {
    const start = text.lastIndexOf("\n", lineEnd - 1) + 1;
    const end = trimEnd(text, lineEnd, start);
    if (end > start && isClose(text.charCodeAt(end - 1))) return end;
    lineEnd = start - 1;
  }
  return -1;
}

/**
 * Where a JSON object or array opens on the trimmed line [start, end), or -1. At the start: `{`,
 * or `[` then `{`, `[`, `"` or `]` (not a log prefix like `[INFO]` or `[2026-11-30 …]`). After a
 * prefix, as a value found may have one (`health: {"status":`): the same, except that `{` must be
 * followed by `"`, `}` or the end of the line (not `${HOME}` or a `{id}` placeholder in a log).
 */
function jsonOpening(text: string, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x7b && c !== 0x5b) continue;
    const j = trimStart(text, i + 1, end);
    const next = j < end ? text.charCodeAt(j) : -1;
    if (
      c === 0x7b ? i === start || next === 0x22 || next === 0x7d || next === -1 : opensArray(next)
    ) {
      return i;
    }
  }
  return -1;
}

/** After `[`, what makes it an array rather than a log prefix: `{`, `[`, `"` or `]`. */
const opensArray = (next: number) =>
  next === 0x7b || next === 0x5b || next === 0x22 || next === 0x5d;

/** The first line in [from, end) that opens a JSON value: a value printed after the one found,
 * which could not be read (cut short by a crash, or followed by text). Falling back to an earlier
 * value over it would judge a health check the runbook no longer reported. */
function unreadableAfter(text: string, from: number, end: number): JsonReadProblem | undefined {
  let start = from;
  while (start < end) {
    const nl = text.indexOf("\n", start);
    const lineEnd = nl < 0 || nl > end ? end : nl;
    const first = trimStart(text, start, lineEnd);
    const last = trimEnd(text, lineEnd, first);
    const open = last > first ? jsonOpening(text, first, last) : -1;
    if (open >= 0) {
      const read = parseAt(text, open, last);
      const why = "problem" in read ? read.problem : "not the end of the output";
      return {
        problem: `the last JSON value printed is not valid JSON: ${why}`,
        line: lineOf(text, open),
      };
    }
    start = lineEnd + 1;
  }
  return undefined;
}

function readLast(text: string): JsonReading {
  const end = trimEnd(text, text.length);
  if (end === 0) return { problem: "no output: no JSON value to read", line: 0 };
  const lastLine = trimStart(text, text.lastIndexOf("\n", end - 1) + 1, end);
  let read: JsonDocument | JsonReadProblem;
  if (isClose(text.charCodeAt(end - 1))) {
    read = bracketedValue(text, end);
  } else {
    // A scalar (or a one-line value) on the last line; else lines printed after the JSON (`smoke
    // ok`): the value is the object or array that ends the last line ending with } or ].
    read = parseAt(text, lastLine, end);
    if (!("problem" in read)) return { documents: [read] };
    const before = lastBracketLineEnd(text, lastLine);
    if (before < 0) {
      return {
        problem: `no JSON value found: the last line is ${read.problem}, and no line before it ends with } or ]`,
        line: read.line,
      };
    }
    // The lines skipped (from the value's last line to the end) must not hold a later value.
    const after = text.indexOf("\n", before);
    const unreadable = after < 0 ? undefined : unreadableAfter(text, after + 1, end);
    if (unreadable) return unreadable;
    read = bracketedValue(text, before);
  }
  if ("problem" in read) {
    if (read.overLimit) return read;
    return { problem: `the last JSON value printed is ${read.problem}`, line: read.line };
  }
  return { documents: [read] };
}

function readWhole(text: string): JsonReading {
  const end = trimEnd(text, text.length);
  const start = trimStart(text, 0, end);
  if (start === end) return { problem: "no output: no JSON value to read", line: 0 };
  const read = parseAt(text, start, end);
  return "problem" in read ? read : { documents: [read] };
}

function readLines(text: string): JsonReading {
  if (text.length > MAX_JSON_CHARS) {
    return {
      problem: `${text.length} characters of JSON lines; at most ${MAX_JSON_CHARS} are read`,
      line: 0,
      overLimit: true,
    };
  }
  const documents: JsonDocument[] = [];
  let line = 1;
  for (let start = 0; start <= text.length; line++) {
    const nl = text.indexOf("\n", start);
    const end = nl < 0 ? text.length : nl;
    const from = trimStart(text, start, end);
    const to = trimEnd(text, end, from);
    if (to > from) {
      let value: unknown;
      try {
        value = JSON.parse(text.slice(from, to));
      } catch (error) {
        const p = parseProblem(error, text, from);
        return { problem: `line ${line} is ${p.problem}`, line };
      }
      const dup = duplicateKey(text, from, to);
      if (dup) return { problem: `line ${line} is ${duplicateProblem(text, dup).problem}`, line };
      const inexact = inexactNumbers(text, from, to);
      documents.push(inexact ? { value, line, inexact } : { value, line });
    }
    if (nl < 0) break;
    start = nl + 1;
  }
  if (documents.length === 0) return { problem: "no output: no JSON line to read", line: 0 };
  return { documents };
}

/** The JSON values `from` reads in `text`, or the first reason there are none. */
export function readJson(text: string, from: JsonSource): JsonReading {
  switch (from) {
    case "whole":
      return readWhole(text);
    case "last":
      return readLast(text);
    case "lines":
      return readLines(text);
  }
}
