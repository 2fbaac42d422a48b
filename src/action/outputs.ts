// What the step hands to the runner: outputs through $GITHUB_OUTPUT, masks and the step's
// failure message as workflow commands on stdout.
import { randomUUID } from "node:crypto";
import { appendFile } from "node:fs/promises";
import { EXIT } from "../exit-code.js";
import { groupDigits } from "../locale-free.js";
import type { RunReport } from "../model.js";
import { capBytes } from "../report/cap.js";
import { nothingChecked } from "../report/verdict-text.js";
import { escapeData, workflowCommand } from "../report/workflow-commands.js";

/** The runner shows about 4 KB of an annotation's message. */
const MESSAGE_MAX_BYTES = 4000;

export type ActionResult = "passed" | "skipped" | "failed" | "error";

/** `failed` is a known failure (exit 1); everything else that is not a pass is `error`. A run
 * that skipped every spec exits 0 having checked nothing: `skipped`, as its check run says, so a
 * job gated on `passed` does not take it for one. */
export function resultName(exitCode: number, report?: RunReport): ActionResult {
  if (exitCode === EXIT.PASS) return report && nothingChecked(report) ? "skipped" : "passed";
  if (exitCode === EXIT.FAIL) return "failed";
  return "error";
}

/** Appends outputs in the heredoc form (`name<<delimiter`), so any value is safe. */
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
  // The runner masks within single log lines, so a multi-line secret is masked line by line.
  return secret
    .split(/\r?\n/)
    .filter((l) => l.trim() !== "")
    .map((l) => `::add-mask::${escapeData(l)}\n`)
    .join("");
}

/** The step's own annotation: `::error` when it fails, `::warning` when fail-on lets it pass. */
/** The step's own message; `at` places it on the spec line it is about (an invalid spec), so even
 * this one is never a bare title. */
export function stepMessage(
  level: "error" | "warning",
  message: string,
  at?: { file: string; line: number },
): string {
  const text = capBytes(
    message.trimEnd(),
    MESSAGE_MAX_BYTES,
    (cut) => `\n… (${groupDigits(cut)} characters cut; the whole message is in the log)`,
  );
  const where = at ? { file: at.file, line: Math.max(1, at.line) } : {};
  return `${workflowCommand(level, { ...where, title: "tat-assert" }, text)}\n`;
}
