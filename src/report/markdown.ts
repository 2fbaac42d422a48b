// Untrusted text (task output, instance names, messages) rendered into GitHub Markdown: it must not
// break a table, open HTML, or close a code fence early.
import { stripAnsi } from "./ansi.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Printable text: escapes and controls gone, line ends as LF (a stray CR would garble the page). */
export function plain(text: string): string {
  return stripAnsi(text)
    .replace(/\r\n?/g, "\n")
    .replace(CONTROL, "\uFFFD")
    .replace(/[\uD800-\uDFFF]/gu, "\uFFFD");
}

/** Inline text: Markdown and HTML specials neutralised, one line. */
export function mdText(text: string): string {
  return plain(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_[\]|#~])/g, "\\$1")
    .replace(/\r?\n|\r/g, " ");
}

/** Text for a table cell: as `mdText`, never empty (an empty cell collapses oddly). */
export function mdCell(text: string): string {
  const t = mdText(text);
  return t.trim() === "" ? "—" : t;
}

/** A fenced block whose fence is longer than any backtick run inside. */
export function codeBlock(text: string, info = ""): string {
  const body = plain(text).replace(/\n$/, "");
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${body}\n${fence}`;
}

export function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}
