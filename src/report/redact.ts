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
function base64Forms(secret: string, encoding: "utf8" | "latin1" = "utf8"): string[] {
  const bytes = Buffer.from(secret, encoding);
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

/** Hex of the UTF-8 bytes, as `xxd -p`, `od` and `hexdump` print them, in both cases. */
function hexForms(secret: string): string[] {
  const hex = Buffer.from(secret, "utf8").toString("hex");
  return [hex, hex.toUpperCase()];
}

/** The stable base64 of the UTF-16LE bytes, as PowerShell's `-EncodedCommand` and
 * `[Convert]::ToBase64String([Text.Encoding]::Unicode…)` write a secret. */
function utf16Base64Forms(secret: string): string[] {
  return base64Forms(Buffer.from(secret, "utf16le").toString("latin1"), "latin1");
}

/** The secret inside a JSON string (`"key":"…\n"`), when escaping changes it. */
function jsonForm(secret: string): string {
  return JSON.stringify(secret).slice(1, -1);
}

/** The value as set and as used: a secret set from a file often ends in a newline the credential
 * chain trims before use. */
const asSetAndUsed = (secret: string) => {
  const used = secret.trim();
  // The value as set is always masked; trimmed, it is a form like the others, masked only when it
  // is long enough not to be ordinary text (" x\n" must not mask every "x").
  return used !== secret && used.length >= MIN_DERIVED ? [secret, used] : [secret];
};

const derivedOnly = (forms: string[]) => forms.filter((form) => form.length >= MIN_DERIVED);

/** Every form masked whole: the secret and each disguise of it. */
export function secretForms(secret: string): string[] {
  const bases = asSetAndUsed(secret);
  const derived = bases.flatMap((s) => [
    ...urlForms(s),
    ...base64Forms(s),
    ...hexForms(s),
    ...utf16Base64Forms(s),
    jsonForm(s),
  ]);
  return [...new Set([...bases, ...derivedOnly(derived)])];
}

/** The forms also masked across line breaks and where a cut leaves their head: the secret as
 * printed and its base64, the two that `base64`'s wrapping and TAT's 24 KiB cut meet. Each such
 * pattern costs the one expression every text runs through several times what a plain form costs
 * (compiling it took 1 s for three secrets when every form was wrapped), so the rarer disguises
 * are masked whole only. */
function cutForms(secret: string): string[] {
  const bases = asSetAndUsed(secret);
  return [...new Set([...bases, ...derivedOnly(bases.flatMap((s) => base64Forms(s)))])];
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
 * TAT cuts an output at 24 KiB wherever that falls. Inside a file printed through `base64` (76
 * columns), the head of a secret's encoding left at the end of the text can span a line break,
 * which the head patterns (one line each) do not reach. So the end of a text is also read with its
 * line breaks taken out, and a head found there that spans one is masked to the end. Only heads of
 * this many characters count: shorter ones would match ordinary base64.
 */
const MIN_WRAPPED_HEAD = 8;

function maskWrappedHead(text: string, forms: readonly string[]): string {
  if (forms.length === 0 || !text.includes("\n")) return text;
  let longest = 0;
  for (const f of forms) longest = Math.max(longest, f.length);
  // The last `longest` characters that are not line breaks, and where each of them is.
  const chars: string[] = [];
  const at: number[] = [];
  for (let i = text.length - 1; i >= 0 && chars.length < longest; i--) {
    const c = text[i] as string;
    if (c === "\n" || c === "\r") continue;
    chars.push(c);
    at.push(i);
  }
  if (chars.length < MIN_WRAPPED_HEAD) return text;
  const joined = chars.reverse().join("");
  at.reverse();
  const last = joined.slice(-MIN_WRAPPED_HEAD);
  let head = 0;
  for (const form of forms) {
    // The text ends with form.slice(0, k) only where its last characters sit in the form.
    for (let p = form.indexOf(last); p !== -1; p = form.indexOf(last, p + 1)) {
      const k = p + MIN_WRAPPED_HEAD;
      if (k > head && k < form.length && joined.endsWith(form.slice(0, k))) head = k;
    }
  }
  if (head === 0) return text;
  const start = at[joined.length - head] as number;
  // On one line the head patterns have masked it already.
  if (!/[\r\n]/.test(text.slice(start))) return text;
  return `${text.slice(0, start)}${MASK}`;
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

/** Characters no reader sees as they are: controls (the sinks show U+FFFD for them, after
 * masking), zero-width characters and marks, bidi controls, word joiners, the BOM. One of them
 * inside a secret (`sk9f\u200bQ2x…`, a NUL from a C string) leaves both halves readable. */
const HIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** The text as a reader sees it: escape sequences and hidden characters removed. */
function asRead(text: string): string {
  const plain = ESCAPE.test(text) ? stripAnsi(text) : text;
  return plain.replace(HIDDEN, "");
}

/** Masks texts; `keys` masks object keys, which are never cut (see redactValue). */
export type Redactor = ((text: string) => string) & { keys?: (text: string) => string };

/** Builds the masking function once for a set of secrets (empty secrets are ignored). */
export function createRedactor(secrets: readonly string[]): Redactor {
  const forms = [...new Set(secrets.filter((s) => s.length > 0).flatMap(secretForms))];
  if (forms.length === 0) return (text) => text;
  // Longest first, so a secret is masked whole before any shorter form inside it; heads and tails
  // of cut secrets after every whole form.
  forms.sort((a, b) => b.length - a.length);
  const cut = new Set(secrets.filter((s) => s.length > 0).flatMap(cutForms));
  const heads = forms
    .filter((f) => cut.has(f))
    .map(headsPattern)
    .filter((p): p is string => p !== undefined);
  // Wrapped over lines: the secret and its base64, as printed (base64, PEM, a folded log line).
  const whole = forms.map((f) => (cut.has(f) ? wrappedPattern(f) : escapeRegex(f)));
  const pattern = new RegExp([...whole, ...heads].join("|"), "gu");
  const anyForm = new RegExp(forms.map(escapeRegex).join("|"), "gu");
  const wrappedHeads = forms.filter((f) => cut.has(f) && f.length > MIN_WRAPPED_HEAD);
  const mask = (text: string) =>
    maskWrappedHead(maskStart(text.replace(pattern, MASK), forms), wrappedHeads);
  const redact = (text: string) => {
    const masked = mask(text);
    const shown = asRead(masked);
    if (shown === masked) return masked;
    // Every sink removes escape sequences after masking (sanitize.ts), which would join a secret
    // that one split (`sk9f\e[0mQ2x…`, a colouriser's highlight), and a hidden character splits
    // one for a reader. Such a text is masked as a reader sees it, those characters removed; any
    // other keeps them (the JSON report's output).
    const again = mask(shown);
    return again === shown ? masked : again;
  };
  // A key is whole: the rules for the head or the end of a cut secret would take field names for
  // one ("fleet" when a secret starts with "fleet…") and break the report's shape.
  const keys = (text: string) => {
    const shown = asRead(text);
    const masked = shown.replace(anyForm, MASK);
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
