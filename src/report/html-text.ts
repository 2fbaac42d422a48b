// Untrusted text made safe for HTML: first made plain like every other sink (no escape sequences,
// no control characters), then stripped of bidirectional controls (which can make `rm -rf /` read
// as something else), then escaped for both element content and quoted attribute values.
import { plain } from "./plain-text.js";

const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
const HTML_SPECIAL = /[&<>"'`]/g;
const ENTITY: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
};

/** The sanitiser's text with bidirectional controls neutralised: for data the page's script puts
 * into the DOM as text (never as markup). */
export function clean(text: string): string {
  return plain(text).replace(BIDI, "\uFFFD");
}

/** For text nodes and double- or single-quoted attribute values alike. */
export function html(text: string | number | undefined): string {
  if (text === undefined) return "";
  return clean(String(text)).replace(HTML_SPECIAL, (c) => ENTITY[c] ?? c);
}

/** JSON placed inside a <script type="application/json">: nothing in it can close the element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** A token safe as (part of) a class name or id: statuses come from the API and are untrusted. */
export function token(text: string): string {
  return /^[A-Z_]{1,32}$/.test(text) ? text : "OTHER";
}
