// Untrusted text (task output, ErrorInfo) made printable: escape sequences gone, control characters
// replaced, line ends as LF. A stray CR would garble a page, and in a CI log it starts a new line the
// runner reads on its own, where task output could pose as a workflow command (::add-mask:: …).
import { stripAnsi } from "./ansi.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

export function plain(text: string): string {
  return stripAnsi(text)
    .replace(/\r\n?/g, "\n")
    .replace(CONTROL, "\uFFFD")
    .replace(/[\uD800-\uDFFF]/gu, "\uFFFD");
}

/** The same, on one line: for messages that must not start a line of their own. */
export function plainLine(text: string): string {
  return plain(text).replace(/\n+/g, " ⏎ ");
}
