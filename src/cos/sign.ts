// COS request signatures (q-sign-algorithm=sha1, https://cloud.tencent.com/document/product/436/7778),
// computed by Tencent's own SDK rather than by hand: the function is the one behind the SDK's
// static `COS.getAuthorization`, imported from its module so the SDK's HTTP stack (cos-request
// and its dependencies, about 1.4 MB of bundle) is not pulled into the Action. Even that module
// (with its XML parser) is loaded on the first signature, not at start: most runs never read
// from COS, and loading it cost every run memory.
type CosUtil = typeof import("cos-nodejs-sdk-v5/sdk/util.js").default;
let sdkUtil: Promise<CosUtil> | undefined;

export interface CosSignInput {
  secretId: string;
  secretKey: string;
  method: string;
  /** The path exactly as sent, starting with `/`. */
  pathname: string;
  /** The Host header as sent (signed, so a signature is good for one bucket only). */
  host: string;
  /** `start;end` epoch seconds during which the signature is valid. */
  keyTime: string;
}

/** How long a signature we make stays valid: long enough for one slow download to start. */
export const SIGNATURE_LIFETIME_SECONDS = 900;

export function keyTimeAt(nowMs: number, lifetimeSeconds = SIGNATURE_LIFETIME_SECONDS): string {
  // A second of slack before now, as the SDK does, for a server clock slightly behind ours.
  const start = Math.floor(nowMs / 1000) - 1;
  return `${start};${start + lifetimeSeconds}`;
}

/** The `Authorization` header value for a COS request. */
export async function cosAuthorization(input: CosSignInput): Promise<string> {
  sdkUtil ??= import("cos-nodejs-sdk-v5/sdk/util.js").then((m) => m.default);
  const cosUtil = await sdkUtil;
  return cosUtil.getAuth({
    SecretId: input.secretId,
    SecretKey: input.secretKey,
    Method: input.method,
    Pathname: input.pathname,
    UseRawKey: true,
    Query: {},
    Headers: { host: input.host },
    KeyTime: input.keyTime,
  });
}

export interface ParsedCosAuthorization {
  secretId: string;
  signTime: string;
  keyTime: string;
  headerList: string[];
  urlParamList: string[];
  signature: string;
}

/** Splits a `q-sign-algorithm=sha1&q-ak=…` value; undefined when it is not one. */
export function parseCosAuthorization(value: string): ParsedCosAuthorization | undefined {
  const fields = new Map<string, string>();
  for (const part of value.split("&")) {
    const eq = part.indexOf("=");
    if (eq <= 0) return undefined;
    fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const get = (k: string) => fields.get(k);
  const secretId = get("q-ak");
  const signTime = get("q-sign-time");
  const keyTime = get("q-key-time");
  const signature = get("q-signature");
  if (get("q-sign-algorithm") !== "sha1" || !secretId || !signTime || !keyTime || !signature) {
    return undefined;
  }
  if (!/^\d+;\d+$/.test(keyTime) || !/^[0-9a-f]{40}$/.test(signature)) return undefined;
  const list = (k: string) => (get(k) ?? "").split(";").filter((s) => s.length > 0);
  return {
    secretId,
    signTime,
    keyTime,
    headerList: list("q-header-list"),
    urlParamList: list("q-url-param-list"),
    signature,
  };
}
