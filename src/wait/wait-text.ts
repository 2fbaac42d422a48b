// The words of a wait: an error met as a report record, refusals with what to do about them, and
// why a target was never found.
import { CredentialsError, TatApiError, TatNetworkError } from "../errors.js";
import type { ApiErrorRecord } from "../model.js";
import { formatDuration } from "../spec/duration.js";
import { hintFor } from "../tat/error-hints.js";

export function toRecord(error: unknown, at: string): ApiErrorRecord | undefined {
  if (error instanceof TatApiError) {
    const r: ApiErrorRecord = {
      action: error.action,
      code: error.code,
      message: error.apiMessage,
      at,
      recovered: false,
    };
    if (error.requestId) r.requestId = error.requestId;
    return r;
  }
  if (error instanceof TatNetworkError) {
    return { action: error.action, code: error.code, message: error.detail, at, recovered: false };
  }
  if (error instanceof CredentialsError) {
    return {
      action: "credentials",
      code: error.name,
      message: error.message,
      at,
      recovered: false,
    };
  }
  return undefined;
}

export function describe(r: ApiErrorRecord): string {
  const hint = hintFor(r.code);
  return `${r.action} ${r.code}: ${r.message}${r.requestId ? ` (RequestId ${r.requestId})` : ""}${hint ? `; ${hint}` : ""}`;
}

export function notFoundReason(kind: string, missing: string[], waitedMs: number): string {
  if (kind === "latest") {
    return `no ${missing[0]?.replace(/^an /, "") ?? "invocation"} found after ${formatDuration(waitedMs)} (check the command id, since and the region)`;
  }
  if (kind === "filters") {
    const list =
      missing.slice(0, 5).join(", ") +
      (missing.length > 5 ? ` and ${missing.length - 5} more` : "");
    return `no task with ${list} found after ${formatDuration(waitedMs)} (check the filter values, since and the region)`;
  }
  const what = kind === "tasks" ? "task" : "invocation";
  const list =
    missing.slice(0, 5).join(", ") + (missing.length > 5 ? ` and ${missing.length - 5} more` : "");
  return `${what}${missing.length === 1 ? "" : "s"} ${list} not found after ${formatDuration(waitedMs)} (check the id and the region)`;
}

export function abortReason(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  if (typeof reason === "string") return reason;
  return "cancelled";
}
