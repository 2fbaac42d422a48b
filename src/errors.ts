// The closed set of errors tat-assert raises on purpose. Library code throws these; only the CLI
// and the Action catch everything, and exit-code.ts maps them to exit codes.
import type { SourceLocation } from "./model.js";

export type ErrorKind = "usage" | "spec" | "unverified" | "api" | "internal";

export abstract class TatAssertError extends Error {
  abstract readonly kind: ErrorKind;
}

/** The command line or options are wrong. */
export class UsageError extends TatAssertError {
  readonly kind = "usage";
  override readonly name = "UsageError";
}

export interface SpecIssue {
  where: SourceLocation;
  /** Dotted field path in the spec, e.g. `expect.exitCode`. */
  path: string;
  message: string;
  /** How to fix it, when obvious ("did you mean `exitCode`?"). */
  fix?: string;
}

/** One or more specs are invalid; carries every problem at once. */
export class SpecError extends TatAssertError {
  readonly kind = "spec";
  override readonly name = "SpecError";
  constructor(readonly issues: SpecIssue[]) {
    super(issues.map(formatIssue).join("\n"));
  }
}

export function formatIssue(issue: SpecIssue): string {
  const at = `${issue.where.file}:${issue.where.line}:${issue.where.col}`;
  const path = issue.path ? ` ${issue.path}:` : "";
  return `${at}:${path} ${issue.message}${issue.fix ? ` (${issue.fix})` : ""}`;
}

/** A warning in the same form: `file:line:col: warning: path: message (fix)`. */
export function formatWarning(issue: SpecIssue): string {
  const at = `${issue.where.file}:${issue.where.line}:${issue.where.col}`;
  const path = issue.path ? ` ${issue.path}:` : "";
  return `${at}: warning:${path} ${issue.message}${issue.fix ? ` (${issue.fix})` : ""}`;
}

/** The result cannot be known: deadline, cancellation, target never found. */
export class UnverifiedError extends TatAssertError {
  readonly kind = "unverified";
  override readonly name = "UnverifiedError";
}

/** The cloud API answered with an error (`Response.Error`). */
export class TatApiError extends TatAssertError {
  readonly kind = "api";
  override readonly name = "TatApiError";
  constructor(
    readonly action: string,
    readonly code: string,
    readonly apiMessage: string,
    readonly requestId: string | undefined,
  ) {
    super(`${action}: ${code}: ${apiMessage}${requestId ? ` (RequestId ${requestId})` : ""}`);
  }
}

/** The API could not be reached or answered something that is not an API response. */
export class TatNetworkError extends TatAssertError {
  readonly kind = "api";
  override readonly name = "TatNetworkError";
  /** The message without the action, for records that show the action apart (as `apiMessage`). */
  readonly detail: string;
  constructor(
    readonly action: string,
    /** e.g. `ECONNRESET`, `ETIMEDOUT`, `HTTP_503`, `BAD_RESPONSE`. */
    readonly code: string,
    message: string,
    readonly httpStatus?: number,
    options?: { cause?: unknown },
  ) {
    super(`${action}: ${message}`, options);
    this.detail = message;
  }
}

/** Credentials could not be found or obtained. */
export class CredentialsError extends TatAssertError {
  readonly kind = "api";
  override readonly name = "CredentialsError";
}

/** A bug in tat-assert: report it. */
export class InternalError extends TatAssertError {
  readonly kind = "internal";
  override readonly name = "InternalError";
}
