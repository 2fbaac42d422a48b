// How many problems are listed before one line counts the rest: fixing the first ones often fixes
// many more, and a list of thousands is read by nobody (and costs time to build).
import type { SpecIssue } from "../errors.js";
import { groupDigits } from "../locale-free.js";

/** Problems listed per document, per file, and for the checks across specs (`needs:`). */
export const ISSUES_SHOWN = 50;

/** The first ISSUES_SHOWN problems, then one line counting the rest. */
export function listedFirst(issues: SpecIssue[]): SpecIssue[] {
  const hidden = issues.slice(ISSUES_SHOWN);
  const [first] = hidden;
  if (!first || hidden.length === 1) return issues;
  return [
    ...issues.slice(0, ISSUES_SHOWN),
    {
      where: first.where,
      path: first.path,
      message: `${groupDigits(hidden.length)} more problems from here on are not listed`,
      fix: "fix the ones above and validate again",
    },
  ];
}

/** Names shown in one message before the rest are counted. */
export const NAMES_SHOWN = 8;

/** `a, b, c`, or the first few names and how many more: a spec may declare thousands, and one
 * message per name that lists them all grew with their square. */
export function someNames(names: readonly string[], separator = ", "): string {
  if (names.length <= NAMES_SHOWN) return names.join(separator);
  return `${names.slice(0, NAMES_SHOWN).join(separator)} and ${names.length - NAMES_SHOWN} more`;
}
