// THE one strict parser at the API boundary: every TAT answer the client receives goes through
// parseResponse before anything reads it. It owns the envelope (`{"Response": …}`), API errors
// (`Response.Error`), and the shape of each action's fields, checked against a JSON Schema per
// action derived from Tencent's definitions (wire-schema.ts). A field of the wrong type is a MalformedResponseError (exit 4) naming the action, the field path,
// what came and the RequestId; it never reaches the poller as data.
//
// The schemas (wire-schema.ts, RESPONSE_SCHEMAS) are checked by ajv's code generated ahead of time
// from them (wire-validators.generated.ts), so no run loads ajv's compiler. An
// action without a schema of its own gets the envelope checks only (`Response` is an object with a
// string `RequestId`): add one there before reading its fields.
import type { ErrorObject, ValidateFunction } from "ajv";
import { MalformedResponseError, TatApiError, TatNetworkError } from "../errors.js";
import { plainLine } from "../report/sanitize.js";
import * as generated from "./wire-validators.generated.js";

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Deeper JSON than any TAT answer (the deepest is 5 levels) is refused before it is parsed. */
export const MAX_JSON_DEPTH = 32;

const VALIDATORS = generated as unknown as Record<string, ValidateFunction>;
const ENVELOPE = VALIDATORS.Envelope as ValidateFunction;

function validatorFor(action: string): ValidateFunction {
  return (Object.hasOwn(VALIDATORS, action) ? VALIDATORS[action] : undefined) ?? ENVELOPE;
}

/** The unwrapped `Response` object (its fields plus `RequestId`), or a thrown TatApiError/TatNetworkError. */
export function parseResponse<T>(action: string, status: number, text: string): T {
  const validate = validatorFor(action);
  let parsed: unknown;
  const tooDeep = jsonDepthExceeds(text, MAX_JSON_DEPTH);
  if (!tooDeep) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  const response = isObject(parsed) && isObject(parsed.Response) ? parsed.Response : undefined;
  const error = response && isObject(response.Error) ? response.Error : undefined;
  const requestId = typeof response?.RequestId === "string" ? response.RequestId : undefined;
  // An API error is an API error whatever the status line says.
  if (error && typeof error.Code === "string") {
    const message = typeof error.Message === "string" ? error.Message : "";
    throw new TatApiError(action, error.Code, message, requestId);
  }
  if (status < 200 || status > 299) {
    // The body is not quoted: it is someone else's page and could echo request headers.
    throw new TatNetworkError(
      action,
      `HTTP_${status}`,
      `HTTP ${status} without an API response (${describeBody(text, parsed)})`,
      status,
    );
  }
  if (tooDeep) {
    throw new MalformedResponseError(
      action,
      "Response",
      `more than ${MAX_JSON_DEPTH} levels`,
      `must not nest deeper than ${MAX_JSON_DEPTH} levels`,
      undefined,
    );
  }
  if (!response || requestId === undefined) {
    throw new TatNetworkError(
      action,
      "BAD_RESPONSE",
      `HTTP ${status} but the body is not a TAT API response (${describeBody(text, parsed)})`,
      status,
    );
  }
  // An Error that names no code (`"Error": {"Code": 7}`, `"Error": "InternalError"`) says the call
  // failed without saying how: the fields next to it are not an answer, never data to judge.
  if (response.Error !== undefined) throw malformedApiError(action, response.Error, requestId);
  if (!validate(response)) {
    const first = (validate.errors ?? [])[0];
    throw malformed(action, response, first, requestId);
  }
  return response as T;
}

function malformedApiError(
  action: string,
  error: unknown,
  requestId: string,
): MalformedResponseError {
  if (!isObject(error)) {
    return new MalformedResponseError(
      action,
      "Response.Error",
      describeValue(error),
      "must be an object",
      requestId,
    );
  }
  if (error.Code === undefined) {
    return new MalformedResponseError(
      action,
      "Response.Error.Code",
      "nothing",
      "is required",
      requestId,
    );
  }
  return new MalformedResponseError(
    action,
    "Response.Error.Code",
    describeValue(error.Code),
    "must be a string",
    requestId,
  );
}

function malformed(
  action: string,
  response: Json,
  e: ErrorObject | undefined,
  requestId: string,
): MalformedResponseError {
  if (!e) return new MalformedResponseError(action, "Response", "?", "is malformed", requestId);
  const segments = e.instancePath.split("/").slice(1).map(unescapePointer);
  let path = `Response${segments.map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join("")}`;
  let value: unknown = response;
  for (const s of segments) value = (value as Record<string, unknown> | undefined)?.[s];
  if (e.keyword === "required") {
    const missing = String((e.params as { missingProperty?: string }).missingProperty);
    path += `.${missing}`;
    return new MalformedResponseError(action, path, "nothing", "is required", requestId);
  }
  return new MalformedResponseError(action, path, describeValue(value), problemOf(e), requestId);
}

function problemOf(e: ErrorObject): string {
  switch (e.keyword) {
    case "type": {
      const t = (e.params as { type: string | string[] }).type;
      const types = Array.isArray(t) ? t.join(" or ") : t;
      return `must be ${/^[aeiou]/.test(types) ? "an" : "a"} ${types}`;
    }
    case "minimum":
      return "must not be negative";
    case "minLength":
      return "must not be empty";
    case "format":
      return `must be ${(e.params as { format: string }).format}`;
    default:
      return e.message ?? "is malformed";
  }
}

const MAX_SHOWN = 40;

/** What came, short and printable: `"0"` (a string), `0.5`, `false`, `null`, `an object`. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "object") return "an object";
  if (typeof value === "string") {
    const shown = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
    return `the string ${JSON.stringify(plainLine(shown))}`;
  }
  return String(value);
}

const unescapePointer = (s: string) => s.replace(/~1/g, "/").replace(/~0/g, "~");

/** The next quote or bracket. */
const STRUCTURE = /["[{\]}]/g;

/**
 * Index just past the quote that closes the string whose body starts at `from`, or -1 when none
 * does. A quote is escaped when an odd run of backslashes precedes it. Found with indexOf, not a
 * regex: `(?:\\.[^"\\]*)*` backtracks once per escape, and 5 million of them (a 10 MB `\n…`
 * string) overflowed the regex stack, a RangeError that ended the run as an internal error.
 */
function stringEnd(text: string, from: number): number {
  for (let q = text.indexOf('"', from); q !== -1; q = text.indexOf('"', q + 1)) {
    let slashes = 0;
    while (q - 1 - slashes >= from && text.charCodeAt(q - 1 - slashes) === 0x5c) slashes++;
    if (slashes % 2 === 0) return q + 1;
  }
  return -1;
}

/**
 * Whether brackets nest deeper than `max` outside strings; linear (each character is looked at
 * once, a run of backslashes once more), no parse, no recursion. JSON.parse copes with any depth,
 * but slowly (a million levels take seconds), and so would everything that walks the result.
 * Native searches skip string bodies (most of an answer is base64 output) far faster than a loop
 * over characters.
 */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  const structure = new RegExp(STRUCTURE);
  for (let m = structure.exec(text); m !== null; m = structure.exec(text)) {
    const c = m[0];
    if (c === '"') {
      const end = stringEnd(text, structure.lastIndex);
      // An unterminated string: nothing after it is structure (and JSON.parse will refuse it).
      if (end === -1) return false;
      structure.lastIndex = end;
    } else if (c === "[" || c === "{") {
      if (++depth > max) return true;
    } else depth--;
  }
  return false;
}

function describeBody(text: string, parsed: unknown): string {
  if (text.length === 0) return "empty body";
  if (parsed === undefined) return `${text.length} bytes, not JSON`;
  return `${text.length} bytes of JSON without Response.RequestId`;
}
