// Inputs of match.ts: a spec with three `matches` and two `notMatches` regexes, and task
// observations whose output is exactly the 24 KiB TAT keeps. The lines the `matches` look for sit
// at the very end and the `notMatches` never occur, so every pattern reads (nearly) all of it.
import type { Spec, TaskObservation } from "../src/model.js";
import { parseSpecs } from "../src/spec/load.js";
import { MAX_OUTPUT_BYTES } from "../src/tat/types.js";

/** As a user writes them in YAML (single quotes keep the backslashes). */
export const PATTERNS = {
  matches: [
    String.raw`/deploy ok version=\d+\.\d+\.\d+/`,
    String.raw`/HEALTH(CHECK)?:\s+(ok|passed)/i`,
    String.raw`/^done in \d+ms$/m`,
  ],
  notMatches: ["/ERROR|FATAL|Traceback/", String.raw`/panic: .*goroutine \d+/`],
};

const yamlList = (items: string[]) => `[${items.map((p) => `'${p}'`).join(", ")}]`;

export function parseOne(text: string): Spec {
  const { specs, issues } = parseSpecs(text, "match-bench.yml", { env: {} });
  const spec = specs[0];
  if (!spec || issues.length > 0) throw new Error(`bad bench spec: ${JSON.stringify(issues)}`);
  return spec;
}

export function benchSpec(): Spec {
  return parseOne(
    [
      "version: 1",
      "target: { invocationId: inv-bench001 }",
      "expect:",
      "  status: SUCCESS",
      "  output:",
      `    matches: ${yamlList(PATTERNS.matches)}`,
      `    notMatches: ${yamlList(PATTERNS.notMatches)}`,
      "",
    ].join("\n"),
  );
}

/** A plausible deploy log of exactly MAX_OUTPUT_BYTES (ASCII), different for each task. */
export function deployLog(task: number): string {
  const tail = "health: ok\ndeploy ok version=1.4.2\ndone in 8123ms\n";
  const lines: string[] = [];
  let size = tail.length;
  for (let step = 1; ; step++) {
    const line = `2026-11-28T01:${String(step % 60).padStart(2, "0")}:07Z [info] task ${task} step ${step}: copied ${(step * 7919) % 10_000} files (${step % 97} MB) in ${(step * 31) % 1000}ms\n`;
    if (size + line.length > MAX_OUTPUT_BYTES) {
      const room = MAX_OUTPUT_BYTES - size;
      if (room > 0) lines.push(`${"#".repeat(room - 1)}\n`);
      break;
    }
    lines.push(line);
    size += line.length;
  }
  return lines.join("") + tail;
}

export function taskWithOutput(n: number, output: string): TaskObservation {
  const id = String(n).padStart(8, "0");
  return {
    invocationId: "inv-bench001",
    taskId: `invt-${id}`,
    instanceId: `ins-${id}`,
    status: "SUCCESS",
    terminal: true,
    exitCode: 0,
    output,
    outputFetched: true,
    droppedBytes: 0,
    execStartTime: "2026-11-28T01:00:00+00:00",
    execEndTime: "2026-11-28T01:02:00+00:00",
    history: [],
  };
}
