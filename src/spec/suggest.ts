// "did you mean …?" for misspelt keys and values (CST silently ignored `exit_code` and asserted the
// default instead; a close match turns that into a one-look fix).
import { distance } from "fastest-levenshtein";

const fold = (s: string) => s.toLowerCase().replace(/[-_\s]/g, "");

/** The closest candidate when it is plausibly what was meant, else undefined. */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  // Same word in another case or spelling convention (exit_code, EXITCODE, exit-code).
  const folded = candidates.find((c) => fold(c) === fold(word));
  if (folded) return folded;
  // A word cut short (`match` for `matches`) is far in edits but obvious to a reader.
  const prefixed = candidates.filter((c) => word.length >= 4 && fold(c).startsWith(fold(word)));
  if (prefixed.length === 1) return prefixed[0];
  // Two neighbouring letters swapped (`form` for `from`, `jsno` for `json`): one slip of the
  // fingers, though two edits, which short words are not allowed.
  const swapped = candidates.filter((c) => isSwap(fold(word), fold(c)));
  if (swapped.length === 1) return swapped[0];
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = distance(fold(word), fold(c));
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  // Loose enough for "succeeded" → SUCCESS (4 edits in 9), tight enough that short words only
  // match near-identical ones.
  const limit = Math.max(1, Math.min(4, Math.floor(word.length * 0.45)));
  return bestDistance <= limit ? best : undefined;
}

/** `a` is `b` with one pair of neighbouring letters swapped. */
function isSwap(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  let i = 0;
  while (a[i] === b[i]) i++;
  return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const guess = closestMatch(word, candidates);
  return guess === undefined ? undefined : `did you mean \`${guess}\`?`;
}

/** TAT API field names people copy from tccli or the console, by folded spelling → the spec's key.
 * Names that differ only in case (InvocationId, Filters, ExitCode) are found by folding anyway. */
const API_NAMES: Record<string, string> = {
  invocationtaskids: "taskIds",
  invocationtaskid: "taskIds",
  taskid: "taskIds",
  taskstatus: "status",
  invocationstatus: "status",
  instanceids: "instances",
  commandcontent: "command",
  content: "command",
};

/** The spec's key for an API field name, when it is one of `candidates`. */
export function specKeyForApiName(word: string, candidates: readonly string[]): string | undefined {
  const key = API_NAMES[fold(word)];
  return key !== undefined && candidates.includes(key) ? key : undefined;
}
