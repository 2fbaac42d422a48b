// A value named by a JSONPath in a task's output, as text: what `capture:` stores for
// `${capture.x}` and fleet comparisons. Pure: the caller gives the output text (and how much TAT
// dropped from it) and keeps whatever it needs.
//
// String form: a string as it is; a number, true, false or null as JSON writes it (`1.5`, `true`,
// `null`); an object or array as compact JSON with its keys in the order printed.
// Which value: with `whole` and `last`, the one value the path selects in that JSON; with `lines`,
// the value from the last JSON line where the path selects one. A path that selects several values
// (a wildcard matching many) captures nothing: which one was meant is not known. Truncated output
// (droppedBytes > 0) captures nothing either: the value may have been in the dropped end.
import { compileJsonPath, isJsonPathProblem } from "./path.js";
import { inexactIn, inexactNumberText, type JsonSource, readJson } from "./read.js";

/** `unverifiable`: the value holds a number JSON.parse did not read as printed (read.ts). */
export type CaptureResult = { value: string } | { missing: string } | { unverifiable: string };

/** The captured value as text (see the header for its form). */
export function jsonText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function captureJson(
  text: string,
  from: JsonSource,
  path: string,
  options: { droppedBytes?: number } = {},
): CaptureResult {
  const compiled = compileJsonPath(path);
  if (isJsonPathProblem(compiled)) return { missing: compiled.problem };
  // Even with lines, a later line holding the value may be in the dropped part.
  const dropped = options.droppedBytes ?? 0;
  if (dropped > 0) {
    return {
      missing: `the output was truncated (${dropped} bytes dropped): the value may be in the dropped part`,
    };
  }
  const reading = readJson(text, from);
  if ("problem" in reading) {
    return {
      missing: reading.line > 0 ? `${reading.problem} (line ${reading.line})` : reading.problem,
    };
  }
  const documents = reading.documents;
  for (let i = documents.length - 1; i >= 0; i--) {
    const doc = documents[i];
    if (doc === undefined) continue;
    // A filter compares the numbers as read: which value it selects is not known.
    const [anyInexact] = doc.inexact?.values() ?? [];
    if (anyInexact !== undefined && path.includes("?")) {
      return {
        unverifiable: `${path}: the JSON at line ${doc.line} ${inexactNumberText(anyInexact)}`,
      };
    }
    let nodes: ReturnType<typeof compiled.select>;
    try {
      nodes = compiled.select(doc.value);
    } catch (error) {
      return {
        missing: `${path} could not be evaluated: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    const [node] = nodes;
    if (node === undefined) continue;
    if (nodes.length > 1) {
      return {
        missing: `${path} selects ${nodes.length} values at line ${doc.line}; a capture needs one`,
      };
    }
    // Two numbers past 2^53 read as one would be captured, and compared, as the same value.
    const literal = inexactIn(node.value, doc.inexact);
    if (literal !== undefined) {
      return { unverifiable: `${path} (JSON from line ${doc.line}) ${inexactNumberText(literal)}` };
    }
    return { value: jsonText(node.value) };
  }
  const where =
    from === "lines" ? "on any JSON line" : `in the JSON from line ${documents[0]?.line ?? 1}`;
  return { missing: `no value at ${path} ${where}` };
}
