// `output.json` as checks: one that reads the JSON (it fails when the output is not JSON where JSON
// is required), then one per assertion, each at its own spec line. The reading is done once per
// task and shared by the assertions.
//
// Truncated output (Dropped > 0): TAT keeps the head, so the dropped part is the end. `whole` and
// `last` are then never certain (the value may continue, or another may follow): could not verify.
// With `lines`, every complete kept line is certain: a kept line that is not JSON, or that breaks
// an `all` assertion, is a real failure, and a kept line that meets an `any` assertion a real pass;
// anything else could not be verified, since the dropped lines were not seen.
import type { JsonAssertion, JsonOutputRule, TaskObservation } from "../../model.js";
import type { Check, Judgement } from "../check.js";
import { excerptAround } from "../excerpt.js";
import { cosFailure, judgedDroppedBytes, visibleOutput } from "../output-check.js";
import { describeCondition, showJson, showPath, unmet } from "./condition.js";
import { compileJsonPath, isJsonPathProblem } from "./path.js";
import {
  inexactIn,
  inexactNumberText,
  type JsonDocument,
  type JsonReading,
  readJson,
} from "./read.js";

const SOURCE: Record<JsonOutputRule["from"], string> = {
  whole: "the output is one JSON value",
  last: "a JSON value printed last",
  lines: "every non-empty line of the output is JSON",
};

/** What one task's output gave: the reading, the text it came from, and whether it was cut. */
interface Read {
  text: string;
  reading: JsonReading;
  dropped: number;
}

type Unreadable = { outcome: "error"; actual: string; message: string };

/** Offset where 1-based `line` starts. */
function lineStart(text: string, line: number): number {
  let at = 0;
  for (let n = 1; n < line && at >= 0; n++) {
    const nl = text.indexOf("\n", at);
    at = nl < 0 ? -1 : nl + 1;
  }
  return Math.max(0, at);
}

function excerptAt(text: string, line: number): string | undefined {
  return line > 0 && text !== "" ? excerptAround(text, lineStart(text, line)) : undefined;
}

const withExcerpt = (j: Judgement, excerpt: string | undefined): Judgement =>
  excerpt === undefined ? j : { ...j, excerpt };

/** What the assertion says, for `expected` and messages: "$.status equals \"ok\"". */
export function describeAssertion(a: JsonAssertion): string {
  if (a.exists === false) return `${a.path} is absent`;
  const condition = describeCondition(a.condition);
  if (condition === "") return `${a.path} exists`;
  if (a.over === "one") return `${a.path} ${condition}`;
  return `${a.over === "all" ? "every" : "some"} value at ${a.path} ${condition}`;
}

/** Why an assertion could not be judged on a document: it would read a number JSON.parse did
 * not read as printed (read.ts, inexactNumbers). */
export interface Unverified {
  unverifiable: string;
}

/** Conditions that read a number's value: equal, in a range, an integer. */
function readsNumber(c: JsonAssertion["condition"]): boolean {
  return (
    c.equals !== undefined ||
    c.oneOf !== undefined ||
    c.min !== undefined ||
    c.max !== undefined ||
    c.above !== undefined ||
    c.below !== undefined ||
    c.type === "integer"
  );
}

function inexactText(path: string, literal: string): Unverified {
  return { unverifiable: `${path} ${inexactNumberText(literal)}` };
}

/** Why the assertion does not hold on one document, or undefined when it does; Unverified when
 * it cannot be told. */
export function assertionUnmet(
  a: JsonAssertion,
  document: unknown,
  inexact?: ReadonlyMap<number, string>,
): string | Unverified | undefined {
  const path = compileJsonPath(a.path);
  if (isJsonPathProblem(path)) return path.problem;
  // A filter compares the numbers as read: which values it selects is not known.
  if (inexact !== undefined && a.path.includes("?")) {
    const [literal] = inexact.values();
    return inexactText(a.path, literal as string);
  }
  let nodes: ReturnType<typeof path.select>;
  try {
    nodes = path.select(document);
  } catch (error) {
    return `${a.path} could not be evaluated: ${error instanceof Error ? error.message : String(error)}`;
  }
  const first = nodes[0];
  // A number or string (a last line `0` after the JSON a script printed) has no members at all:
  // "absent" would hold whatever was meant, so it is not taken as checked.
  if (a.exists === false && (typeof document !== "object" || document === null) && a.path !== "$") {
    return `the JSON read is ${showJson(document)}, which has no members: ${a.path} being absent from it checks nothing`;
  }
  if (a.exists === false) {
    return first === undefined
      ? undefined
      : `${showPath(first.path)} is ${showJson(first.value)}, expected absent`;
  }
  if (first === undefined) return `no value at ${a.path}`;
  if (describeCondition(a.condition) === "") return undefined;
  const numeric = readsNumber(a.condition);
  /** Why the value at `shown` does not meet the condition (after `shown`), or Unverified. */
  const judge = (value: unknown, shown: string): string | Unverified | undefined => {
    const literal = numeric ? inexactIn(value, inexact) : undefined;
    return literal !== undefined ? inexactText(shown, literal) : unmet(value, a.condition);
  };
  if (a.over === "one") {
    if (nodes.length > 1) return `${a.path} selects ${nodes.length} values, expected one`;
    const why = judge(first.value, a.path);
    return typeof why === "string" ? `${a.path} ${why}` : why;
  }
  const failing: { path: string; why: string }[] = [];
  let unverified: Unverified | undefined;
  for (const node of nodes) {
    const shown = showPath(node.path);
    const why = judge(node.value, shown);
    if (why === undefined) {
      if (a.over === "any") return undefined;
    } else if (typeof why !== "string") {
      unverified ??= why;
    } else {
      failing.push({ path: shown, why });
      if (a.over === "all") break;
    }
  }
  const [bad] = failing;
  if (a.over === "all" && bad !== undefined) return `${bad.path} ${bad.why}`;
  // A value could not be judged: with `all` none failed, with `any` none held.
  if (unverified !== undefined) return unverified;
  if (bad === undefined) return undefined;
  return `none of the ${nodes.length} values at ${a.path} holds (first: ${bad.path} ${bad.why})`;
}

export function jsonChecks(rule: JsonOutputRule): Check[] {
  const reads = new WeakMap<TaskObservation, Read | Unreadable>();
  const read = (task: TaskObservation): Read | Unreadable => {
    let known = reads.get(task);
    if (known) return known;
    known = readTask(task, rule.from);
    reads.set(task, known);
    return known;
  };
  const reader: Check = {
    check: "output.json",
    expected: SOURCE[rule.from],
    where: rule.where,
    judge(task): Judgement {
      const r = read(task);
      if ("outcome" in r) return r;
      if ("problem" in r.reading && r.reading.overLimit) {
        return {
          outcome: "error",
          actual: "not read",
          message: `${r.reading.problem}: not verified`,
        };
      }
      if ("problem" in r.reading) {
        return withExcerpt(
          { outcome: "fail", actual: "not JSON", message: r.reading.problem },
          excerptAt(r.text, r.reading.line),
        );
      }
      const docs = r.reading.documents;
      const [doc] = docs;
      const kept = r.dropped > 0 ? ` (complete lines kept of truncated output)` : "";
      return {
        outcome: "pass",
        actual: docs.length === 1 && doc ? `JSON at line ${doc.line}` : `${docs.length} JSON lines`,
        message:
          docs.length === 1 && doc
            ? `read JSON starting at line ${doc.line}${kept}`
            : `read ${docs.length} JSON lines${kept}`,
      };
    },
  };
  return [reader, ...rule.assert.map((a) => assertionCheck(a, rule, read))];
}

function assertionCheck(
  a: JsonAssertion,
  rule: JsonOutputRule,
  read: (task: TaskObservation) => Read | Unreadable,
): Check {
  const expected = describeAssertion(a);
  return {
    check: "output.json",
    expected,
    where: a.where,
    judge(task): Judgement {
      const r = read(task);
      // The reader check reports why; this one is simply not checked.
      if ("outcome" in r || "problem" in r.reading) {
        return { outcome: "skip", actual: "no JSON", message: `not checked: no JSON was read` };
      }
      return judgeDocuments(a, rule, r, r.reading.documents, expected);
    },
  };
}

function judgeDocuments(
  a: JsonAssertion,
  rule: JsonOutputRule,
  r: Read,
  docs: JsonDocument[],
  expected: string,
): Judgement {
  const lines = rule.from === "lines";
  const at = (doc: JsonDocument) => (lines ? `line ${doc.line}: ` : "");
  const from = (doc: JsonDocument) => (lines ? "" : ` (JSON from line ${doc.line})`);
  const cut = r.dropped > 0;
  if (!lines || rule.lines === "all") {
    let unverified: { doc: JsonDocument; why: Unverified } | undefined;
    for (const doc of docs) {
      const why = assertionUnmet(a, doc.value, doc.inexact);
      if (typeof why === "string") {
        return withExcerpt(
          { outcome: "fail", actual: why, message: `${at(doc)}${why}${from(doc)}` },
          excerptAt(r.text, doc.line),
        );
      }
      if (why !== undefined) unverified ??= { doc, why };
    }
    if (cut) return truncatedUnverified(docs.length, expected, r.dropped);
    if (unverified) return inexactUnverified(unverified.doc, unverified.why, r, at, from);
    const [doc] = docs;
    return {
      outcome: "pass",
      actual: "holds",
      message: lines
        ? `${expected} on all ${docs.length} JSON lines`
        : `${expected}${doc ? from(doc) : ""}`,
    };
  }
  let firstWhy: { doc: JsonDocument; why: string } | undefined;
  let unverified: { doc: JsonDocument; why: Unverified } | undefined;
  for (const doc of docs) {
    const why = assertionUnmet(a, doc.value, doc.inexact);
    if (why === undefined) {
      return {
        outcome: "pass",
        actual: `holds at line ${doc.line}`,
        message: `line ${doc.line}: ${expected}`,
      };
    }
    if (typeof why === "string") firstWhy ??= { doc, why };
    else unverified ??= { doc, why };
  }
  if (cut) return truncatedUnverified(docs.length, expected, r.dropped);
  if (unverified) return inexactUnverified(unverified.doc, unverified.why, r, at, from);
  const detail = firstWhy ? ` (line ${firstWhy.doc.line}: ${firstWhy.why})` : "";
  return withExcerpt(
    {
      outcome: "fail",
      actual: "no line holds",
      message: `no JSON line has ${expected}${detail}`,
    },
    firstWhy ? excerptAt(r.text, firstWhy.doc.line) : undefined,
  );
}

function inexactUnverified(
  doc: JsonDocument,
  why: Unverified,
  r: Read,
  at: (doc: JsonDocument) => string,
  from: (doc: JsonDocument) => string,
): Judgement {
  return withExcerpt(
    {
      outcome: "error",
      actual: "a number not read as printed",
      message: `${at(doc)}${why.unverifiable}${from(doc)}`,
    },
    excerptAt(r.text, doc.line),
  );
}

function truncatedUnverified(lines: number, expected: string, dropped: number): Judgement {
  return {
    outcome: "error",
    actual: `${dropped} bytes dropped`,
    message: `${expected}: not verified on the ${dropped} bytes TAT dropped (${lines} kept JSON lines checked)`,
  };
}

function readTask(task: TaskObservation, from: JsonOutputRule["from"]): Read | Unreadable {
  const visible = visibleOutput(task);
  if ("missing" in visible) {
    return {
      outcome: "error",
      actual: visible.actual,
      message: `${visible.missing}: cannot read JSON from it`,
    };
  }
  // COS was needed for the full log and could not give it: the JSON may be in what TAT cut.
  const cosError = cosFailure(task);
  if (cosError !== undefined) {
    return {
      outcome: "error",
      actual: "full output not read from COS",
      message: `cannot read JSON from the full output: ${cosError}`,
    };
  }
  const dropped = judgedDroppedBytes(task);
  if (dropped > 0 && from !== "lines") {
    return {
      outcome: "error",
      actual: `${dropped} bytes dropped`,
      message: `the output was truncated (${dropped} bytes dropped): the JSON ${from === "last" ? "printed last" : "value"} may be in the dropped part, so it cannot be read with certainty (use from: lines for JSON lines)`,
    };
  }
  // A cut output may end inside a line: only complete lines are certain.
  const text =
    dropped > 0 ? visible.text.slice(0, visible.text.lastIndexOf("\n") + 1) : visible.text;
  const reading = readJson(text, from);
  if (dropped > 0 && "problem" in reading && reading.line === 0) {
    return {
      outcome: "error",
      actual: `${dropped} bytes dropped`,
      message: `the output was truncated (${dropped} bytes dropped) before a complete JSON line`,
    };
  }
  return { text, reading, dropped };
}
