// A recorded scenario as the YAML file a person keeps: a header that says what it is, when and
// where it was recorded and how to replay it, then the scenario itself.
import { stringify } from "yaml";
import type { RawScenario } from "../emulator/scenario-build.js";
import type { RecordNotes } from "./to-scenario.js";

export interface RecordHeader {
  version: string;
  recordedAt: string;
  region: string;
  endpointHost: string;
  redactions: number;
  noOutput: boolean;
}

export function renderScenario(
  scenario: RawScenario,
  header: RecordHeader,
  notes: RecordNotes,
): string {
  const lines = [
    `# Recorded by tat-assert ${header.version} at ${header.recordedAt}`,
    `# from region ${header.region} (${header.endpointHost}).`,
    "# Replay it with: tat-assert --replay THIS_FILE specs/*.yml",
    "# The credentials below are generated and work only against the emulator; nothing of the",
    "# account's credentials is recorded.",
  ];
  if (header.noOutput) lines.push("# Output was not recorded (--no-output).");
  if (header.redactions > 0)
    lines.push(`# ${header.redactions} --redact pattern(s) replaced matches with ***.`);
  if (notes.truncated.length > 0 && header.noOutput)
    lines.push(
      `# TAT had cut the output of ${notes.truncated.join(", ")}: \`dropped:\` says how much.`,
    );
  else if (notes.truncated.length > 0)
    lines.push(
      `# TAT had cut the output of ${notes.truncated.join(", ")}: only the kept 24 KiB is here,`,
      "# with `dropped:` the bytes TAT cut; a replay serves it cut, so a check that needs the rest",
      "# cannot be verified there either.",
    );
  if (notes.recut?.length)
    lines.push(
      `# Redacted output of ${notes.recut.join(", ")} grew past 24 KiB: cut again, the rest counted in \`dropped\`.`,
    );
  if (notes.fromCos?.length)
    lines.push(
      `# TAT had cut the output of ${notes.fromCos.join(", ")}: the whole log, read from COS, is here.`,
    );
  for (const why of notes.cosUnread ?? []) lines.push(`# ${why}`);
  if (notes.empty.length > 0)
    lines.push(`# ${notes.empty.join(", ")}: listed with no task yet, left out.`);
  if (notes.binary.length > 0)
    lines.push(`# Output of ${notes.binary.join(", ")} is not UTF-8: kept as bytes, not redacted.`);
  // The end marker is what shows the file whole: a block document cut anywhere is still YAML, and
  // the loader refuses a recording without it (emulator/scenario.ts).
  return `${lines.join("\n")}\n${stringify(scenario, { lineWidth: 0 })}...\n`;
}
