// Whether one JSON value meets a condition, and the words for both sides. Values come from task
// output: they are shown only through showJson (sanitised, one line, cut short).
import type { JsonCondition, JsonType, OutputPattern } from "../../model.js";
import { plainLine } from "../../report/sanitize.js";
import { compiledPattern } from "../compiled-pattern.js";

const MAX_SHOWN = 80;

/** A value as JSON text on one line, safe to print, at most MAX_SHOWN characters. */
export function showJson(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  const safe = plainLine(text);
  return safe.length > MAX_SHOWN ? `${safe.slice(0, MAX_SHOWN - 1)}…` : safe;
}

/** A normalised path of a selected value: its keys come from the output, so it is untrusted. */
export function showPath(path: string): string {
  const safe = plainLine(path);
  return safe.length > 2 * MAX_SHOWN ? `${safe.slice(0, 2 * MAX_SHOWN - 1)}…` : safe;
}

export function typeOf(value: unknown): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "boolean";
  return "object";
}

/** Equal as JSON: same type, same scalars, same items in order, same keys in any order. */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => jsonEquals(item, b[i]));
  }
  const ka = Object.keys(a);
  const rb = b as Record<string, unknown>;
  if (ka.length !== Object.keys(rb).length) return false;
  const ra = a as Record<string, unknown>;
  return ka.every((k) => Object.hasOwn(rb, k) && jsonEquals(ra[k], rb[k]));
}

function showPattern(p: OutputPattern): string {
  return p.kind === "substring" ? JSON.stringify(p.source) : p.text;
}

/** "equals \"ok\", at most 250": what the condition asks, for `expected`. */
export function describeCondition(c: JsonCondition): string {
  const parts: string[] = [];
  if (c.type !== undefined) parts.push(`is ${article(c.type)}`);
  if (c.equals !== undefined) parts.push(`equals ${showJson(c.equals)}`);
  if (c.oneOf !== undefined) parts.push(`is one of ${c.oneOf.map(showJson).join(", ")}`);
  if (c.matches !== undefined) {
    parts.push(
      `${c.matches.kind === "substring" ? "contains" : "matches"} ${showPattern(c.matches)}`,
    );
  }
  if (c.min !== undefined) parts.push(`at least ${c.min}`);
  if (c.above !== undefined) parts.push(`above ${c.above}`);
  if (c.max !== undefined) parts.push(`at most ${c.max}`);
  if (c.below !== undefined) parts.push(`below ${c.below}`);
  return parts.join(", ");
}

function article(type: JsonType): string {
  return /^[aeio]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** Whether `value` is of `type` (an integer is a number too). */
function isType(value: unknown, type: JsonType): boolean {
  const actual = typeOf(value);
  return actual === type || (type === "number" && actual === "integer");
}

/** Why `value` does not meet `c` ("is 300, more than 250"), or undefined when it does. */
export function unmet(value: unknown, c: JsonCondition): string | undefined {
  const shown = showJson(value);
  const kind = typeOf(value);
  if (c.type !== undefined && !isType(value, c.type)) {
    return `is ${shown} (${article(kind === "integer" ? "number" : kind)}), not ${article(c.type)}`;
  }
  if (c.equals !== undefined && !jsonEquals(value, c.equals)) {
    return `is ${shown}, not ${showJson(c.equals)}`;
  }
  if (c.oneOf !== undefined && !c.oneOf.some((o) => jsonEquals(value, o))) {
    return `is ${shown}, none of ${c.oneOf.map(showJson).join(", ")}`;
  }
  if (c.matches !== undefined) {
    if (typeof value !== "string") return `is ${shown}, not a string to match`;
    const compiled = compiledPattern(c.matches);
    if ("problem" in compiled) return `cannot be matched: ${compiled.problem}`;
    if (!compiled.test(value)) {
      const verb = c.matches.kind === "substring" ? "contain" : "match";
      return `is ${shown}, which does not ${verb} ${showPattern(c.matches)}`;
    }
  }
  const ranged =
    c.min !== undefined || c.max !== undefined || c.above !== undefined || c.below !== undefined;
  if (ranged) {
    if (typeof value !== "number") return `is ${shown}, not a number`;
    if (c.min !== undefined && value < c.min) return `is ${shown}, less than ${c.min}`;
    if (c.above !== undefined && value <= c.above) return `is ${shown}, not above ${c.above}`;
    if (c.max !== undefined && value > c.max) return `is ${shown}, more than ${c.max}`;
    if (c.below !== undefined && value >= c.below) return `is ${shown}, not below ${c.below}`;
  }
  return undefined;
}
