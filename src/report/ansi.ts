// Coloured command output is the usual reason a JUnit file stops parsing (ESC is illegal in XML
// 1.0) and the reason Markdown shows "[31m" noise, so escape sequences are removed, not escaped.

// CSI (ESC [ … final byte, or the 8-bit CSI U+009B), OSC (ESC ] … BEL or ST), and the
// two-character escapes (ESC followed by one byte in @–_ or a charset designator).
const ANSI =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[()*+][0-~]|\u001b[@-Z\\-_]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}
