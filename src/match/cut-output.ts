// TAT keeps the head of an output and drops the rest (`Dropped` > 0): its copy is a prefix of what
// the command printed, its last line usually cut short. A match found there is in the full output
// unless it depends on where the cut fell: `$`, `\z`, `\b` and `\B` hold at the end of the kept
// part where the full output goes on (`/^deploy ok$/m` on a copy ending in the middle of
// `deploy okay`), and a group reaching the end (`version=(\S+)`) may go on too. A match that ends
// at or before the kept part's last line feed sees the same text on both sides of every position
// it reads, so it holds on the full output as well.
import { RE2JS } from "re2js";
import type { OutputPattern } from "../model.js";
import { compileRegex } from "../spec/pattern.js";
import { decidableOnAnyPrefix } from "./prefix-rule.js";

/** Whether the last line of `text` (cut by TAT) can be left out: where a match must end. */
export function endsBeforeCut(end: number, text: string): boolean {
  return end <= text.lastIndexOf("\n");
}

/** For a pattern found in `text`, TAT's copy of an output it cut: whether the finding holds on
 * the full output too. Only patterns that read what follows a position need the first match's
 * end, so the engine runs again only for those, and only on cut outputs. */
export function foundBeyondCut(
  pattern: Pick<OutputPattern, "kind" | "source" | "flags">,
  text: string,
): boolean {
  if (decidableOnAnyPrefix(pattern)) return true;
  const re = compileRegex(pattern.source, pattern.flags);
  if (!(re instanceof RE2JS)) return false;
  const m = re.matcher(text);
  return m.find() && endsBeforeCut(m.end(), text);
}
