// Step outputs through the $GITHUB_OUTPUT file, in the heredoc form so any value is safe.

import { randomUUID } from "node:crypto";
import { appendFile } from "node:fs/promises";

export async function writeOutputs(
  file: string | undefined,
  outputs: Record<string, string>,
): Promise<void> {
  if (!file) return;
  let text = "";
  for (const [name, value] of Object.entries(outputs)) {
    const delimiter = `ghadelimiter_${randomUUID()}`;
    text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  await appendFile(file, text, "utf8");
}

/** `::add-mask::` so the runner hides the value in every later log line. */
export function maskCommand(secret: string): string {
  // A multi-line secret is masked line by line: the runner masks whole log lines' substrings.
  return secret
    .split(/\r?\n/)
    .filter((l) => l.trim() !== "")
    .map((l) => `::add-mask::${l}\n`)
    .join("");
}
