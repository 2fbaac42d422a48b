// Inputs of validate.ts: 1,000 spec files as a platform team writes them (a target, a wait policy,
// status and exit codes, output patterns, a list of instances, sometimes overrides or a quorum),
// each different; a spec with 8,000 bad exit codes; a spec with a 1 MB regex.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

const id = (prefix: string, n: number) => `${prefix}-${n.toString(36).padStart(8, "0")}`;

/** One realistic spec file (about 1 KB), different for each `n`. */
export function realisticSpec(n: number): string {
  const instances = Array.from({ length: 5 + (n % 20) }, (_, i) => id("ins", n * 100 + i));
  const lines = [
    "# yaml-language-server: $schema=../schema/spec-v1.json",
    `# Runbook ${n}: deploy step ${n % 7} of service ${Math.floor(n / 7)}.`,
    "version: 1",
    `name: service ${Math.floor(n / 7)} step ${n % 7} (${n})`,
    `description: checks the ${n % 2 ? "deploy" : "migration"} runbook of service ${Math.floor(n / 7)}`,
    "region: ap-guangzhou",
    "target:",
    n % 5 === 0
      ? `  invocationIds: [${id("inv", n)}, ${id("inv", n + 1_000_000)}]`
      : `  invocationId: \${INVOCATION_${n % 3}:-${id("inv", n)}}`,
    "wait:",
    `  timeout: ${5 + (n % 10)}m`,
    "  minInterval: 500ms",
    "  maxInterval: 5s",
    "expect:",
    "  status: SUCCESS",
    n % 4 === 0 ? '  exitCode: [0, "10-12"]' : "  exitCode: 0",
    "  output:",
    `    matches: ["deploy ok", '/version=\\d+\\.\\d+\\.${n % 10}/', '/HEALTH(CHECK)?:\\s+(ok|passed)/i']`,
    `    notMatches: [Traceback, '/ERROR|FATAL/', '/panic: .*goroutine \\d+/']`,
    `  duration: { max: ${10 + (n % 5)}m }`,
    "  truncated: false",
    "instances:",
    `  exactly: [${instances.join(", ")}]`,
  ];
  if (n % 10 === 3) {
    lines.push(
      "overrides:",
      `  ${instances[0]}:`,
      "    exitCode: 3",
      "    output: { matches: ['/degraded mode \\(\\d+ nodes\\)/'] }",
    );
  }
  if (n % 10 === 7) lines.push("quorum: { minPassRatio: 0.9, maxFailures: 2 }");
  return `${lines.join("\n")}\n`;
}

/** Writes `count` spec files (0000.yml, 0001.yml, …) into `dir`; returns their paths. */
export async function writeSpecFiles(dir: string, count: number): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = Array.from({ length: count }, (_, n) =>
    join(dir, `${String(n).padStart(4, "0")}.yml`),
  );
  await Promise.all(files.map((file, n) => writeFile(file, realisticSpec(n))));
  return files;
}

/** A spec whose exitCode list holds `count` codes out of range (300, 301, …), one per line. */
export function badExitCodesSpec(count: number): string {
  const codes = Array.from({ length: count }, (_, i) => `    - ${300 + i}\n`).join("");
  return `version: 1\ntarget: { invocationId: inv-bench001 }\nexpect:\n  exitCode:\n${codes}`;
}

/** A spec with one `matches` regex of about `bytes` characters. */
export function hugeRegexSpec(bytes: number): string {
  const source = "(a|b)".repeat(Math.ceil(bytes / 5));
  return `version: 1\ntarget: { invocationId: inv-bench001 }\nexpect:\n  output:\n    matches: ['/${source}/']\n`;
}
