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
  /** Waiting cannot fix it even though the code alone would say so (a refused connection to a
   * remote host); see retry-policy.ts `waitingCannotFix`. */
  readonly permanent: boolean;
  constructor(
    readonly action: string,
    /** e.g. `ECONNRESET`, `ETIMEDOUT`, `HTTP_503`, `BAD_RESPONSE`. */
    readonly code: string,
    message: string,
    readonly httpStatus?: number,
    options?: { cause?: unknown; permanent?: boolean },
  ) {
    super(
      `${action}: ${message}`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.detail = message;
    this.permanent = options?.permanent ?? false;
  }
}

/**
 * An answer that the API's own definitions do not allow (a field of the wrong type, a set that is
 * not an array, output that is not base64): never data. `path` names the field as in the JSON
 * (`Response.InvocationTaskSet[0].TaskResult.ExitCode`), `got` what came, already made printable.
 */
export class MalformedResponseError extends TatApiError {
  constructor(
    action: string,
    readonly path: string,
    readonly got: string,
    problem: string,
    requestId: string | undefined,
  ) {
    super(action, MALFORMED_RESPONSE, `${path} ${problem}, got ${got}`, requestId);
  }
}

/** A record that does not belong to what was asked (another invocation's task, an id not asked
 * for, a filter it does not match): it is never adopted, never counted. */
export class ForeignRecordError extends TatApiError {
  constructor(action: string, message: string, requestId: string | undefined) {
    super(action, FOREIGN_RECORD, message, requestId);
  }
}

/** Codes of the two errors above, as they appear in reports (`apiErrors[].code`). */
export const MALFORMED_RESPONSE = "MalformedResponse";
export const FOREIGN_RECORD = "ForeignRecord";

/** The pages of a result set did not add up even after walking it again: the set is unknown, and a
 * partial set is never judged. */
export class IncompleteResultError extends UnverifiedError {
  constructor(
    readonly action: string,
    /** What did not add up, e.g. "TotalCount 5 but the pages held 4 distinct records". */
    readonly inconsistency: string,
    /** What is wrong with the set as a whole; a set too large to read whole says so instead. */
    summary = "the result set is inconsistent",
  ) {
    super(`${action}: ${summary}: ${inconsistency}`);
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
