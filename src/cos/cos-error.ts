// The error a COS answer names. The body is untrusted text from the network: only a bounded prefix
// is read, only the <Code> and <Message> elements are taken (by a plain scan, no XML parser and so
// no entity expansion), and what is shown goes through the sanitiser.
import { plainLine } from "../report/sanitize.js";

/** Enough for COS's error document; anything longer is not read. */
export const MAX_ERROR_BODY_BYTES = 16 * 1024;
const MAX_SHOWN = 200;

function element(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([^<]{0,${MAX_ERROR_BODY_BYTES}})</${name}>`).exec(xml);
  if (!m?.[1]) return undefined;
  const text = plainLine(m[1].trim());
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

/** `AccessDenied (Access Denied.)`, or undefined when the body names no code. */
export function cosErrorCode(xml: string): { code: string; message?: string } | undefined {
  const code = element(xml, "Code");
  if (!code || !/^[A-Za-z][A-Za-z0-9.]{0,63}$/.test(code)) return undefined;
  const message = element(xml, "Message");
  return { code, ...(message && { message }) };
}

/** Reads at most `limit` bytes of a body, then stops reading. */
export async function readPrefix(
  body: ReadableStream<Uint8Array> | null,
  limit = MAX_ERROR_BODY_BYTES,
): Promise<string> {
  if (!body) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // A body cut short still yields what arrived.
  } finally {
    reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).subarray(0, limit).toString("utf8");
}
