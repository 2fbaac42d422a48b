// TaskResult.Output is base64 of the raw bytes the command printed, cut at 24 KiB by the agent.
// Windows commands print in the system code page (GBK/CP936 on Chinese systems), so the bytes are
// decoded strictly: text that is not valid in the encoding tried is never turned into U+FFFD junk
// that a `notMatches` would pass over. What cannot be decoded is reported as such, with the reason.
import { sniffUtf16, type Utf16 } from "./sniff-utf16.js";
import { MAX_OUTPUT_BYTES } from "./types.js";

/** `auto` (UTF-16 by its BOM or NUL bytes, else UTF-8, then GB18030 for Windows command types)
 * or a TextDecoder label. */
export const AUTO_ENCODING = "auto";

/**
 * Names decoded with another label: Windows code pages, which are not WHATWG labels, and the GBK
 * family, which WHATWG decodes as GB18030 while Node's ICU "gbk" turns bytes GBK does not define
 * (0xFF) into private-use characters instead of failing.
 */
const CODE_PAGES: Readonly<Record<string, string>> = {
  gbk: "gb18030",
  gb2312: "gb18030",
  "x-gbk": "gb18030",
  cp936: "gb18030",
  cp54936: "gb18030",
  cp65001: "utf-8",
  cp950: "big5",
  cp932: "shift_jis",
  cp949: "euc-kr",
  cp1200: "utf-16le",
  cp1201: "utf-16be",
};

/**
 * Encodings a spec may name (`expect.output.encoding`): the schema's enum, so a typo gets a located
 * error with the closest name. Every one is a label Node's TextDecoder accepts (tested), or a
 * Windows code page mapped to one.
 */
export const OUTPUT_ENCODINGS = [
  AUTO_ENCODING,
  "utf-8",
  "gb18030",
  "gbk",
  "gb2312",
  "big5",
  "shift_jis",
  "euc-jp",
  "iso-2022-jp",
  "euc-kr",
  "utf-16le",
  "utf-16be",
  "latin1",
  "iso-8859-1",
  "iso-8859-2",
  "iso-8859-5",
  "iso-8859-7",
  "iso-8859-15",
  "windows-1250",
  "windows-1251",
  "windows-1252",
  "windows-1253",
  "windows-1254",
  "windows-1256",
  "windows-874",
  "koi8-r",
  "koi8-u",
  "ibm866",
  "cp936",
  "cp54936",
  "cp65001",
  "cp950",
  "cp932",
  "cp949",
  "cp1200",
  "cp1201",
] as const;

/** Windows command types: their output is in the system code page unless the script says otherwise. */
const WINDOWS_COMMAND_TYPES: ReadonlySet<string> = new Set(["BAT", "POWERSHELL"]);

export interface DecodeOptions {
  /** `auto` (default) or an encoding label. */
  encoding?: string;
  /** CommandDocument.CommandType of the task (`SHELL`, `BAT`, `POWERSHELL`). */
  commandType?: string;
  /** TaskResult.Dropped: output was cut, so the last character may be incomplete. */
  dropped?: number;
}

/** The encoding each task's output is decoded with: the spec's, or an override's for its instance. */
export interface OutputEncodings {
  spec: string;
  instances: Record<string, string>;
}

export type DecodedOutput = { text: string; encoding: string } | { undecodable: string };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The label TextDecoder is given for a spec's encoding name. */
export function decoderLabel(encoding: string): string {
  return CODE_PAGES[encoding.toLowerCase()] ?? encoding;
}

/** Strict decode, or undefined when the bytes are not valid in `label`. */
function strictly(bytes: Uint8Array, label: string, cut: boolean): DecodedOutput | undefined {
  // A fresh decoder per call: a fatal decoder's state after an error is not worth reasoning about.
  const decoder = new TextDecoder(label, { fatal: true });
  try {
    // At the cut, stream mode holds back an incomplete last character instead of failing on it;
    // the held-back bytes are simply not shown (they are a fragment of a character TAT dropped).
    return { text: decoder.decode(bytes, { stream: cut }), encoding: decoder.encoding };
  } catch {
    return undefined;
  }
}

/** Offset of the first byte that is not part of a valid UTF-8 sequence, for messages. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    let need: number;
    let min = 0x80;
    let max = 0xbf;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) min = 0xa0;
      if (b === 0xed) max = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) min = 0x90;
      if (b === 0xf4) max = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      const lo = k === 1 ? min : 0x80;
      const hi = k === 1 ? max : 0xbf;
      if (c < lo || c > hi) return i;
    }
    i += need + 1;
  }
  return -1;
}

function notUtf8(bytes: Uint8Array): string {
  const at = firstInvalidUtf8(bytes);
  if (at < 0) return "output is not valid UTF-8";
  const hex = (bytes[at] as number).toString(16).toUpperCase().padStart(2, "0");
  return `output is not valid UTF-8 (byte 0x${hex} at offset ${at})`;
}

/**
 * One buffer for the bytes of every output up to TAT's 24 KiB: a fleet run decodes one output after
 * another, and a fresh 24 KiB buffer for each (outside the JS heap, freed only when a collection
 * finds its handle) made 240 MB of allocations at 10,000 tasks. The bytes are used only until the
 * decode below returns (the text is a copy), and nothing here awaits, so one buffer serves all.
 */
const scratch = Buffer.allocUnsafe(MAX_OUTPUT_BYTES);

/** The bytes of checked base64: in `scratch` when they fit, else a buffer of their own. */
function base64Bytes(base64: string): Buffer {
  // Three bytes per four characters, less one per `=`: an upper bound is enough to choose.
  if ((base64.length / 4) * 3 > scratch.length) return Buffer.from(base64, "base64");
  return scratch.subarray(0, scratch.write(base64, "base64"));
}

const SET_ENCODING =
  "set expect.output.encoding to its encoding (utf-16le, utf-16be, or utf-8 to judge it as UTF-8 with the NUL bytes in it)";

/** `auto` on output sniffed as UTF-16: decoded as such, or undecodable, never as UTF-8. */
function autoUtf16(bytes: Uint8Array, sniffed: Utf16, cut: boolean): DecodedOutput {
  const name = sniffed.label.toUpperCase();
  const why =
    sniffed.by === "bom"
      ? `begins with a ${name} byte order mark`
      : `has NUL bytes laid out as in ${name} text`;
  const decoded = strictly(bytes, sniffed.label, cut);
  if (!decoded) {
    return { undecodable: `output ${why} but is not valid ${name}; ${SET_ENCODING}` };
  }
  // NUL characters between the letters would hide a match as NUL bytes would: a UTF-32 BOM
  // (FF FE 00 00) begins like UTF-16LE's, and binary data is not text in any encoding.
  const nul = "text" in decoded ? decoded.text.indexOf("\0") : -1;
  if (nul >= 0) {
    return {
      undecodable: `output ${why}, but read as ${name} it has a NUL character (at character ${nul}); ${SET_ENCODING}`,
    };
  }
  return decoded;
}

/**
 * Base64 output → text, decoded strictly. With `auto`: UTF-16 when its byte order mark or its NUL
 * bytes say so (other NUL bytes: undecodable), else UTF-8, else GB18030 for Windows command types.
 * With an encoding named: UTF-8 first (except UTF-16 and ISO-2022, see below), then that encoding.
 * Otherwise undecodable, with the reason.
 */
export function decodeTaskOutput(base64: string, options: DecodeOptions = {}): DecodedOutput {
  if (base64.length % 4 !== 0 || !BASE64.test(base64)) {
    return { undecodable: "output is not valid base64" };
  }
  const bytes = base64Bytes(base64);
  // More than 24 KiB is a whole log read from COS (TAT never sends more, and the log replaces its
  // copy with Dropped 0): nothing was cut there, so an incomplete last character, or an odd byte
  // after UTF-16, is as invalid as in a short output.
  const cut = (options.dropped ?? 0) > 0 || bytes.length === MAX_OUTPUT_BYTES;
  const encoding = (options.encoding ?? AUTO_ENCODING).toLowerCase();
  const label = decoderLabel(encoding);
  if (encoding === AUTO_ENCODING) {
    const utf16 = sniffUtf16(bytes, cut);
    if (utf16 && "notText" in utf16) return { undecodable: `${utf16.notText}; ${SET_ENCODING}` };
    if (utf16) return autoUtf16(bytes, utf16, cut);
  }
  // UTF-16 text is almost always valid UTF-8 too (ASCII with NUL bytes between), and ISO-2022
  // text always is (7-bit, switched by escape sequences): a spec that names one means it, so no
  // UTF-8 attempt first, or `エラー` in ISO-2022-JP would be judged as escape codes and never found.
  if (label.startsWith("utf-16") || label.startsWith("iso-2022")) {
    return (
      strictly(bytes, label, cut) ?? {
        undecodable: `output is not valid ${label} (expect.output.encoding)`,
      }
    );
  }
  const utf8 = strictly(bytes, "utf-8", cut);
  if (utf8) return utf8;
  if (encoding !== AUTO_ENCODING && label !== "utf-8") {
    return (
      strictly(bytes, label, cut) ?? {
        undecodable: `${notUtf8(bytes)}, nor valid ${label} (expect.output.encoding)`,
      }
    );
  }
  const windows = WINDOWS_COMMAND_TYPES.has(options.commandType ?? "");
  if (encoding === AUTO_ENCODING && windows) {
    const gb = strictly(bytes, "gb18030", cut);
    if (gb) return gb;
    return {
      undecodable: `${notUtf8(bytes)}, nor valid GB18030 (the usual code page of ${options.commandType} output); set expect.output.encoding to its encoding`,
    };
  }
  return {
    undecodable: `${notUtf8(bytes)}; set expect.output.encoding to its encoding (e.g. gbk, latin1)`,
  };
}

/** Base64 → text, lossy UTF-8 (invalid sequences become U+FFFD); absent stays `undefined`. For
 * tools that only display output (benchmarks); judging goes through decodeTaskOutput. */
export function decodeOutput(base64: string | null | undefined): string | undefined {
  if (base64 === undefined || base64 === null) return undefined;
  return new TextDecoder("utf-8", { fatal: false, ignoreBOM: true }).decode(
    Buffer.from(base64, "base64"),
  );
}
