// The API's envelopes: `{"Response": {...fields, RequestId}}` on success and
// `{"Response": {"Error": {Code, Message}, RequestId}}` on failure, always HTTP 200 and always with
// a fresh RequestId.
import { randomUUID } from "node:crypto";

/** Thrown inside the emulator to answer an API error. */
export class ApiErrorAnswer extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function apiError(code: string, message: string): ApiErrorAnswer {
  return new ApiErrorAnswer(code, message);
}

export function successEnvelope(fields: object): string {
  return JSON.stringify({ Response: { ...fields, RequestId: randomUUID() } });
}

export function errorEnvelope(code: string, message: string): string {
  return JSON.stringify({
    Response: { Error: { Code: code, Message: message }, RequestId: randomUUID() },
  });
}
