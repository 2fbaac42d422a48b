// Turns what came back into the action's fields or one of our errors. TAT reports API errors inside
// an HTTP 200 body; anything else (a 5xx page from a proxy, truncated JSON) is a transport problem.
import { TatApiError, TatNetworkError } from "../errors.js";

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The unwrapped `Response` object (its fields plus `RequestId`), or a thrown TatApiError/TatNetworkError. */
export function parseResponse<T>(action: string, status: number, text: string): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const response = isObject(parsed) && isObject(parsed.Response) ? parsed.Response : undefined;
  const error = response && isObject(response.Error) ? response.Error : undefined;
  const requestId = typeof response?.RequestId === "string" ? response.RequestId : undefined;
  // An API error is an API error whatever the status line says.
  if (error && typeof error.Code === "string") {
    const message = typeof error.Message === "string" ? error.Message : "";
    throw new TatApiError(action, error.Code, message, requestId);
  }
  if (status < 200 || status > 299) {
    // The body is not quoted: it is someone else's page and could echo request headers.
    throw new TatNetworkError(
      action,
      `HTTP_${status}`,
      `HTTP ${status} without an API response (${describeBody(text, parsed)})`,
      status,
    );
  }
  if (!response || requestId === undefined) {
    throw new TatNetworkError(
      action,
      "BAD_RESPONSE",
      `HTTP ${status} but the body is not a TAT API response (${describeBody(text, parsed)})`,
      status,
    );
  }
  return response as T;
}

function describeBody(text: string, parsed: unknown): string {
  if (text.length === 0) return "empty body";
  if (parsed === undefined) return `${text.length} bytes, not JSON`;
  return `${text.length} bytes of JSON without Response.RequestId`;
}
