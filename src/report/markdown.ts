// Untrusted text (task output, instance names, messages) rendered into GitHub Markdown: it must not
// break a table, open HTML, or close a code fence early.
import { logText, plain } from "./sanitize.js";

export { plain };

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
  const body = logText(text).replace(/\n$/, "");
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
