// Every string that enters the JUnit file passes through here, so the document stays well-formed
// whatever a remote command printed.
import { cleanText, defuseCommands } from "./sanitize.js";

// Outside the XML 1.0 `Char` production: C0 controls other than TAB/LF/CR, lone surrogates,
// U+FFFE/U+FFFF. Numeric references to them are just as illegal, so they are replaced.
const ILLEGAL = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Makes any string legal XML character data through the sanitiser (escapes dropped, control
 * characters and bidi overrides → U+FFFD), then what XML 1.0 still forbids → U+FFFD. */
export function xmlClean(text: string): string {
  // Defused too: `junit:-` prints the document where a CI runner reads workflow commands.
  return defuseCommands(cleanText(text)).replace(ILLEGAL, "\uFFFD");
}

/**
 * Escaped text content. `>` is always escaped, which also disarms `]]>`; CR is kept as a
 * reference because parsers would otherwise turn CRLF into LF.
 */
export function xmlText(text: string): string {
  return xmlClean(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\r/g, "&#13;");
}

/** Escaped attribute value (double-quoted). Whitespace is referenced so normalisation keeps it. */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, "&quot;").replace(/\t/g, "&#9;").replace(/\n/g, "&#10;");
}
