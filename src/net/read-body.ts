// An HTTP answer's body as text, read at most to a limit and decoded strictly. Every answer we
// act on (the TAT API's, STS's, the metadata service's, the Actions ID token's) is UTF-8 JSON or
// plain text by contract; a byte that is not UTF-8 means the answer is not the one we asked for (a
// proxy's page in GBK, a cut or corrupted stream), and turning it into U+FFFD would let the rest of
// the answer pass as data. The caller decides what such an answer is: an error, never text.

export type BodyRead = { text: string } | { tooLarge: true } | { notUtf8: true };

/** Reads `res`'s body; past `limitBytes` (counted after any content decoding) or at the first
 * byte that is not UTF-8, stops reading and cancels the rest, which is never inflated. A leading
 * BOM is kept as text (the JSON parser then refuses it, as it would refuse any stray byte). */
export async function readBody(res: Response, limitBytes: number): Promise<BodyRead> {
  const declared = Number(res.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limitBytes) {
    await res.body?.cancel().catch(() => {});
    return { tooLarge: true };
  }
  if (!res.body) return { text: "" };
  const reader = res.body.getReader();
  // Decoded chunk by chunk: the chunks and a joined copy of them are never held next to the text
  // (three copies of a body of up to 32 MiB).
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let text = "";
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limitBytes) {
        await reader.cancel().catch(() => {});
        return { tooLarge: true };
      }
      text += decoder.decode(value, { stream: true });
    }
    // Throws when the body ends inside a character.
    return { text: text + decoder.decode() };
  } catch (error) {
    // fetch's own failures (a reset mid-body) are the caller's to describe; only the decoder's
    // error is ours.
    if (!isDecodeError(error)) throw error;
    await reader.cancel().catch(() => {});
    return { notUtf8: true };
  }
}

/** Node's fatal TextDecoder throws a TypeError with this code. undici's stream errors are
 * TypeErrors too ("terminated"), so the code tells them apart; so would no `instanceof`, which
 * fails across realms (a vm context, as jest runs tests in). */
function isDecodeError(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "ERR_ENCODING_INVALID_ENCODED_DATA";
}
