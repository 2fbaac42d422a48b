// Which URLs may receive COS credentials. TaskResult.OutputUrl comes from the API answer, so it is
// untrusted: a signed request goes only to a COS bucket host of the documented form, or to an
// endpoint the user configured (the emulator, a private COS gateway). Anything else is refused
// before any request is made.

/** `<bucket>-<appid>.cos.<region>.myqcloud.com`, as TAT builds OutputUrl (tat-api.md §7). */
const COS_HOST =
  /^([a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?)-(\d{1,20})\.cos\.([a-z]{2,}(?:-[a-z0-9]+){1,4})\.myqcloud\.com$/;

export interface CosObject {
  /** The URL the request goes to (the OutputUrl, or rewritten onto the endpoint override). */
  requestUrl: URL;
  /** `<bucket>-<appid>`; absent for a URL already on the endpoint override. */
  bucket?: string;
  region?: string;
  /** Object key, without the leading `/`, still percent-encoded as in the URL. */
  key: string;
}

export type CosUrlResult = { object: CosObject } | { reason: string };

/** A configured COS endpoint (--cos-endpoint, the Action's cos-endpoint) receives credentials:
 * only a plain http(s) origin and path is taken, without user, query or fragment. */
export function cosEndpointUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  const plain = !url.username && !url.password && !url.search && !url.hash;
  if ((url.protocol !== "https:" && url.protocol !== "http:") || !plain) return undefined;
  return url.href.replace(/\/$/, "");
}

function describeHost(url: string): string {
  try {
    return new URL(url).host || "(no host)";
  } catch {
    return "(not a URL)";
  }
}

/**
 * Reads an OutputUrl. With `cosEndpoint`, a bucket URL is fetched path-style from the endpoint
 * (`<endpoint>/<bucket>-<appid>/<key>`), and a URL already on the endpoint is used as it is.
 */
export function parseCosUrl(outputUrl: string, cosEndpoint?: string): CosUrlResult {
  const notCos = (): CosUrlResult => ({
    reason: `OutputUrl is not a COS URL (host ${describeHost(outputUrl)}): no credentials are sent to it`,
  });
  let url: URL;
  try {
    url = new URL(outputUrl);
  } catch {
    return notCos();
  }
  if (url.username || url.password) return notCos();
  const endpoint = cosEndpoint === undefined ? undefined : new URL(cosEndpoint);
  if (endpoint && url.origin === endpoint.origin) {
    return { object: { requestUrl: url, key: url.pathname.replace(/^\//, "") } };
  }
  const m = COS_HOST.exec(url.hostname);
  if (!m || url.protocol !== "https:" || url.port !== "") return notCos();
  const [, name, appId, region] = m;
  const bucket = `${name}-${appId}`;
  const key = url.pathname.replace(/^\//, "");
  if (key === "") return { reason: `OutputUrl names no object (${url.host}/)` };
  if (!endpoint) return { object: { requestUrl: url, bucket, region, key } };
  const base = endpoint.pathname.replace(/\/$/, "");
  const requestUrl = new URL(`${endpoint.origin}${base}/${bucket}/${key}`);
  return { object: { requestUrl, bucket, ...(region && { region }), key } };
}
