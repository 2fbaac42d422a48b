// Whether output decoded with `auto` is UTF-16. UTF-16 text of ASCII characters is also valid
// UTF-8 (and GB18030): each character followed (little-endian) or preceded (big-endian) by a NUL
// byte. Read as UTF-8, `ERROR` in it is `E\0R\0R\0O\0R\0`, and a `notMatches: [ERROR]` passes
// over it. Windows tools write UTF-16LE (wmic, `cmd /u`, .NET programs, PowerShell redirections),
// with or without a byte order mark, so `auto` cannot take valid UTF-8 as proof of UTF-8.
//
// Text printed in UTF-8 or a code page has no NUL bytes; UTF-16 text of Latin letters, digits and
// line ends has one in every other byte. So output with a NUL byte is read as UTF-16 only when its
// NULs fall like that (with no line end of 8-bit text between them), and is otherwise not decoded
// at all: a reading with NULs between the characters, or a UTF-16 reading of UTF-8 lines, is the
// false green this guards against. Nothing is guessed without NULs or a BOM
// (UTF-16 text without one NUL byte would be one line of CJK letters: rare, and then not valid
// UTF-8 in most cases, so undecodable).

export type Utf16Label = "utf-16le" | "utf-16be";

/** Read as UTF-16: `bom` when a byte order mark says so, `nul` when the NUL bytes do. */
export type Utf16 = { label: Utf16Label; by: "bom" | "nul" };

export type Utf16Sniff =
  | Utf16
  /** NUL bytes, but not as UTF-16 text has them: why, for the report. */
  | { notText: string };

/**
 * Of the code units, the least share whose high byte is NUL (1/4): UTF-16 output from Windows is
 * mostly Latin letters, digits, spaces and line ends (wmic, dir, ipconfig, PowerShell errors, in
 * Chinese too); text below it is left undecoded rather than guessed at.
 */
const MIN_NUL_SHARE = 4;
/**
 * NULs in the low byte of a unit, at most one per 8 in the high one: UTF-16 has them only in
 * characters U+xx00 (一 is 00 4E in UTF-16LE), while NULs that separate UTF-8 strings
 * (/proc/…/cmdline, find -print0) fall in odd and even bytes alike.
 */
const MAX_STRAY_NULS = 8;

/** What is counted at even and at odd offsets. */
interface ByParity {
  even: number;
  odd: number;
}

/** NUL bytes at even and at odd offsets, and the first CR or LF byte at each (-1: none). */
function count(bytes: Uint8Array, end: number): { nul: ByParity; lineEnd: ByParity } {
  const nul = { even: 0, odd: 0 };
  const lineEnd = { even: -1, odd: -1 };
  for (let i = 0; i < end; i += 2) {
    const a = bytes[i];
    const b = bytes[i + 1];
    if (a === 0) nul.even++;
    else if ((a === 0x0a || a === 0x0d) && lineEnd.even < 0) lineEnd.even = i;
    if (b === 0) nul.odd++;
    else if ((b === 0x0a || b === 0x0d) && lineEnd.odd < 0) lineEnd.odd = i + 1;
  }
  return { nul, lineEnd };
}

/**
 * UTF-16 by its byte order mark (FF FE, FE FF), or by its NUL bytes; undefined when there is no
 * NUL byte and no BOM. `cut`: the output may end in the middle of a code unit (TAT's 24 KiB cut,
 * output still growing), so an odd length is no evidence against UTF-16.
 */
export function sniffUtf16(bytes: Uint8Array, cut: boolean): Utf16Sniff | undefined {
  // Neither BOM is valid UTF-8 or GB18030 (0xFF is no byte of either), so this reads nothing
  // `auto` could have decoded otherwise.
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { label: "utf-16le", by: "bom" };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { label: "utf-16be", by: "bom" };
  const first = bytes.indexOf(0);
  if (first < 0) return undefined;
  const where = `NUL bytes (the first at offset ${first})`;
  if (bytes.length % 2 === 1 && !cut) {
    return {
      notText: `output has ${where} but an odd number of bytes, so it is not UTF-16 either`,
    };
  }
  const end = bytes.length & ~1;
  const { nul, lineEnd } = count(bytes, end);
  // The high byte is the second of a unit in little-endian, the first in big-endian.
  const le = nul.odd >= nul.even;
  const [high, low]: [keyof ByParity, keyof ByParity] = le ? ["odd", "even"] : ["even", "odd"];
  const label: Utf16Label = le ? "utf-16le" : "utf-16be";
  const name = label.toUpperCase();
  if (nul[high] * MIN_NUL_SHARE < end / 2 || nul[low] * MAX_STRAY_NULS > nul[high]) {
    return {
      notText: `output has ${where}, but not in every other byte as UTF-16 text of Latin letters and digits has them: it is neither UTF-8 text nor surely UTF-16`,
    };
  }
  // A CR or LF in a high byte would be a letter of Gurmukhi, Gujarati, Malayalam or Sinhala; in
  // 8-bit text it ends a line. Output that is partly UTF-8 (a script's own messages) and partly
  // UTF-16 (a tool it ran) has some: read as UTF-16, its UTF-8 lines would be junk.
  const at = lineEnd[high];
  if (at >= 0) {
    const hex = (bytes[at] as number).toString(16).toUpperCase().padStart(2, "0");
    return {
      notText: `output has ${where} as ${name} text has them, but also a line end of 8-bit text (byte 0x${hex} at offset ${at}, a high byte in ${name}): it looks partly UTF-8, partly UTF-16`,
    };
  }
  return { label, by: "nul" };
}
