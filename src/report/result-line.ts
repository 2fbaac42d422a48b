// The one-line form of a result, shared by every reporter so a failure reads the same in the
// console, in JUnit and on GitHub: "ins-a: exit code 2, expected 0 (specs/deploy.yml:14)".
import type { AssertionResult, SourceLocation } from "../model.js";

export function locationText(where: SourceLocation): string {
  return `${where.file}:${where.line}`;
}

/** `subject` is the instance id for task results; spec-level results have none. */
export function resultLine(result: AssertionResult, subject?: string): string {
  const prefix = subject ? `${subject}: ` : "";
  return `${prefix}${result.message} (${locationText(result.where)})`;
}
