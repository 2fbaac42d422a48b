// Secrets must not reach any report, including in the disguises they take in command output: the
// base64 a script printed, or the percent-encoding of a URL it logged.
import type { RunReport } from "../model.js";
import { stripAnsi } from "./ansi.js";

const MASK = "***";
/** Derived forms shorter than this would mask ordinary text; the secret itself is always masked. */
const MIN_DERIVED = 8;

/**
 * The stable part of base64(secret) when the secret starts at each of the three byte alignments
 * within a longer encoded text: characters that also depend on neighbouring bytes are left out.
 */
function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const forms: string[] = [];
  for (const offset of [0, 1, 2] as const) {
    const buf = Buffer.concat([Buffer.alloc(offset), bytes]);
    const encoded = buf.toString("base64");
    const skip = [0, 2, 3][offset] ?? 0;
    const rest = buf.length % 3;
    const end = Math.floor(buf.length / 3) * 4 + (rest === 0 ? 0 : rest);
    const stable = encoded.slice(skip, end);
    forms.push(stable, stable.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return forms;
}

function urlForms(secret: string): string[] {
  const upper = encodeURIComponent(secret);
  const lower = upper.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
  return [upper, lower, upper.replace(/%20/g, "+")];
}

export function secretForms(secret: string): string[] {
  const derived = [...urlForms(secret), ...base64Forms(secret)].filter(
    (form) => form.length >= MIN_DERIVED,
  );
  return [...new Set([secret, ...derived])];
}

/**
 * A cut made before masking (an excerpt line shortened to 200 characters, ErrorInfo to 160, a spec
 * value to 60, TAT's own 24 KiB limit) can leave the head of a secret followed by a cut mark or the
 * end of the text, where the whole secret no longer matches. Such a head is masked too. Shorter
 * heads than this are left: they would mask ordinary words next to every "…".
 */
const MIN_PARTIAL = 3;
/** What follows a cut: "..." (excerpts, one-line messages), "…" (cap.ts), or the end of the text. */
const CUT_MARK = String.raw`(?=\.\.\.|…|\n…|$)`;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** `abc(?:d(?:e)?)?` for "abcdef": every head from MIN_PARTIAL characters up, as one trie-shaped
 * alternative so matching stays linear in the text. */
function headsPattern(form: string): string | undefined {
  if (form.length <= MIN_PARTIAL) return undefined;
  const chars = [...form];
  let tail = "";
  for (let i = chars.length - 2; i >= MIN_PARTIAL; i--)
    tail = `(?:${escapeRegex(chars[i] ?? "")}${tail})?`;
  return `${escapeRegex(chars.slice(0, MIN_PARTIAL).join(""))}${tail}${CUT_MARK}`;
}

/**
 * The kept end of an output (its last 2,000 characters, wait/output-summary.ts) is cut at its start,
 * before masking: it can begin with the end of a secret. A text that starts with such an end is
 * masked there. Any text's start is not a cut, so only ends this long count: shorter ones would
 * mask the start of ordinary ids and words that happen to be a secret's last characters.
 */
const MIN_TAIL = 8;

/** The text with the longest end of a form (MIN_TAIL characters or more) it starts with masked.
 * Found with indexOf, not a pattern: a nested pattern as deep as a session token is long costs
 * every text a walk through its nesting. */
function maskStart(text: string, forms: readonly string[]): string {
  if (text.length < MIN_TAIL) return text;
  const first = text.slice(0, MIN_TAIL);
  let longest = 0;
  for (const form of forms) {
    for (let i = form.indexOf(first, 1); i !== -1; i = form.indexOf(first, i + 1)) {
      const end = form.slice(i);
      if (end.length > longest && text.startsWith(end)) longest = end.length;
    }
  }
  return longest > 0 ? MASK + text.slice(longest) : text;
}

/**
 * A whole form may be broken over lines: `base64` wraps its output at 76 columns (openssl and PEM
 * at 64), so the encoding of a secret inside a file printed that way is split wherever the wrap
 * falls, and no line holds the whole form.
 */
const LINE_BREAK = String.raw`(?:\r\n?|\n)?`;

function wrappedPattern(form: string): string {
  return [...form].map(escapeRegex).join(LINE_BREAK);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC and CSI start escape sequences
const ESCAPE = /[\u001b\u009b]/;

/** Masks texts; `keys` masks object keys, which are never cut (see redactValue). */
export type Redactor = ((text: string) => string) & { keys?: (text: string) => string };

/** Builds the masking function once for a set of secrets (empty secrets are ignored). */
export function createRedactor(secrets: readonly string[]): Redactor {
  const forms = [...new Set(secrets.filter((s) => s.length > 0).flatMap(secretForms))];
  if (forms.length === 0) return (text) => text;
  // Longest first, so a secret is masked whole before any shorter form inside it; heads and tails
  // of cut secrets after every whole form.
  forms.sort((a, b) => b.length - a.length);
  const heads = forms.map(headsPattern).filter((p): p is string => p !== undefined);
  const pattern = new RegExp([...forms.map(wrappedPattern), ...heads].join("|"), "gu");
  const whole = new RegExp(forms.map(escapeRegex).join("|"), "gu");
  const mask = (text: string) => maskStart(text.replace(pattern, MASK), forms);
  const redact = (text: string) => {
    const masked = mask(text);
    if (!ESCAPE.test(masked)) return masked;
    // Every sink removes escape sequences after masking (sanitize.ts), which would join a secret
    // that one split (`sk9f\e[0mQ2x…`, a colouriser's highlight). Such a text is masked as the
    // sinks will show it, escapes removed; any other keeps its escapes (the JSON report's output).
    const shown = stripAnsi(masked);
    const again = mask(shown);
    return again === shown ? masked : again;
  };
  // A key is whole: the rules for the head or the end of a cut secret would take field names for
  // one ("fleet" when a secret starts with "fleet…") and break the report's shape.
  const keys = (text: string) => {
    const shown = ESCAPE.test(text) ? stripAnsi(text) : text;
    const masked = shown.replace(whole, MASK);
    return masked === shown ? text : masked;
  };
  return Object.assign(redact, { keys });
}

/** A redactor that follows a growing set of secrets (temporary credentials are refreshed mid-run),
 * rebuilt only when the set changes. */
export function liveRedactor(secrets: Iterable<string>): Redactor {
  let key = "";
  let redact: Redactor = (t) => t;
  const current = () => {
    const list = [...secrets];
    const k = list.join("\u0000");
    if (k !== key) {
      key = k;
      redact = createRedactor(list);
    }
    return redact;
  };
  return Object.assign((text: string) => current()(text), {
    keys: (text: string) => {
      const r = current();
      return (r.keys ?? r)(text);
    },
  });
}

export function redactText(text: string, secrets: string[]): string {
  return createRedactor(secrets)(text);
}

/** Masks every string inside a JSON-like value, keys included: some objects are keyed by what the
 * API sent (statusCounts and the progress line count tasks by TaskStatus), not by field names. */
export function redactValue<T>(value: T, redact: Redactor): T {
  const maskKey = redact.keys ?? redact;
  // Field names repeat in every record of a report; each is masked once.
  const keys = new Map<string, string>();
  const key = (k: string) => {
    let masked = keys.get(k);
    if (masked === undefined) {
      masked = maskKey(k);
      keys.set(k, masked);
    }
    return masked;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return redact(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, inner]) => [key(k), walk(inner)]));
    }
    return v;
  };
  return walk(value) as T;
}

export function redactReport(report: RunReport, secrets: string[]): RunReport {
  return redactValue(report, createRedactor(secrets));
}
