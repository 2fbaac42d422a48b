// The one sanitiser for untrusted text: task output, ErrorInfo, status strings, instance ids, spec
// names, API and GitHub error messages. Every sink goes through it: the console (TTY and CI lines,
// progress too), stderr warnings and errors, workflow commands, Markdown (job summary, check run),
// JUnit and JSON. Sink encoders (mdText, xmlText, workflowCommand's escaping) sit on top of `plain`.
//
// Order matters: secrets are masked first, then text is cleaned, and only then cut (cap.ts), so no
// prefix of a secret survives a truncation. Masking lives in redact.ts; it is re-exported here so
// a new sink needs only this module.
import { Writable } from "node:stream";
import { stripAnsi } from "./ansi.js";

export {
  createRedactor,
  liveRedactor,
  redactReport,
  redactText,
  redactValue,
} from "./redact.js";

// C0 controls except TAB, LF and CR (CR is turned into LF below), DEL, and the C1 controls: U+009B
// is CSI on terminals that honour 8-bit controls, so it is as dangerous as ESC [.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
/** Bidirectional overrides, embeddings and isolates: they reorder what a reader sees ("Trojan
 * source"). Plain marks (LRM, RLM) stay: right-to-left text needs them. */
const BIDI = /[\u202A-\u202E\u2066-\u2069]/g;
/** A surrogate that is not half of a pair (output cut mid-character). */
const LONE_SURROGATE = /[\uD800-\uDFFF]/gu;

/** Multi-line text safe for a terminal or a CI log: no escape sequences, no control characters,
 * no bidi overrides, line ends as LF. A stray CR would garble a page, and in a CI log it starts a
 * line the runner reads on its own. */
export function plain(text: string): string {
  return cleanText(text).replace(/\r\n?/g, "\n");
}

/** As `plain` but line ends left alone, for formats that keep CR themselves (XML's `&#13;`). */
export function cleanText(text: string): string {
  return stripAnsi(text)
    .replace(CONTROL, "\uFFFD")
    .replace(BIDI, "\uFFFD")
    .replace(LONE_SURROGATE, "\uFFFD");
}

/** The same, on one line: for text that must not start a line of its own. */
export function plainLine(text: string): string {
  return plain(text).replace(/\n+/g, " ⏎ ");
}

/**
 * The runner reads a line as a workflow command when, after leading whitespace, it starts with
 * `::` (or the legacy `##[`): `::add-mask::`, `::stop-commands::`, `::error::`. Such a line in
 * our own output gets a visible prefix so it is shown, never obeyed. Applied to whole rendered
 * lines, so it holds however untrusted pieces were put together.
 */
const COMMAND_LINE = /^(\s*)(?=::|##\[)/gmu;
export function defuseCommands(text: string): string {
  return text.replace(COMMAND_LINE, "$1> ");
}

/** What a log or terminal line writer prints: plain text with no line able to start a command. */
export function logText(text: string): string {
  return defuseCommands(plain(text));
}

/** One line of log text: `plainLine`, defused. */
export function logLine(text: string): string {
  return defuseCommands(plainLine(text));
}

/** Raw characters JSON.stringify leaves as they are but a terminal would obey or reorder. */
const JSON_UNSAFE = /[\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

/** Serialised JSON with those characters written as `\uXXXX`: the same data, safe to print
 * (`json:-`) and to embed. */
export function jsonSafe(json: string): string {
  return json.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** A stream for stderr that masks secrets and defuses commands in everything written through
 * it. `redact` is called at each write, so secrets learnt mid-run count. */
export function safeStream(
  stream: { write(text: string): unknown },
  redact: (text: string) => string = (t) => t,
): NodeJS.WritableStream {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      stream.write(logText(redact(chunk.toString())));
      done();
    },
  });
}
