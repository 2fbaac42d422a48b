// TaskResult.Output is base64 of raw bytes: the agent cuts at 24 KiB, which can split a multi-byte
// character, and scripts may print any bytes at all. Decoding must never throw.

const utf8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/** Base64 → text (UTF-8, invalid sequences become U+FFFD); absent (`undefined` or the API's `null`) stays `undefined`. */
export function decodeOutput(base64: string | null | undefined): string | undefined {
  if (base64 === undefined || base64 === null) return undefined;
  return utf8.decode(Buffer.from(base64, "base64"));
}
