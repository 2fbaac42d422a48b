// "did you mean …?" for misspelt keys and values (CST silently ignored `exit_code` and asserted the
// default instead; a close match turns that into a one-look fix).
import { distance } from "fastest-levenshtein";

const fold = (s: string) => s.toLowerCase().replace(/[-_\s]/g, "");

/** The closest candidate when it is plausibly what was meant, else undefined. */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  // Same word in another case or spelling convention (exit_code, EXITCODE, exit-code).
  const folded = candidates.find((c) => fold(c) === fold(word));
  if (folded) return folded;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = distance(fold(word), fold(c));
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  return bestDistance <= limit ? best : undefined;
}

export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const guess = closestMatch(word, candidates);
  return guess === undefined ? undefined : `did you mean \`${guess}\`?`;
}
