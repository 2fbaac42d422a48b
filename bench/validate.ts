// Benchmark: `validate` at scale and within bounds. 1,000 realistic spec files in a temp folder,
// validated by loadGateSpecs (what `tat-assert validate` calls) in a fresh process, against the
// baseline of only reading them and parsing their YAML in a fresh process; the built CLI end to end
// when dist/ exists; a spec with 8,000 bad exit codes; a spec with a 1 MB regex. Each figure is
// printed with its goal and "met" or "missed".
//
//   node --import tsx bench/validate.ts            (or: npm run bench)
//   node --import tsx bench/validate.ts --rounds=1
//
// Runs straight from src/ through tsx (the CLI row needs `npm run build`). About 30 s on 2 cores.
import { execFile, fork } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ms, ratio, table } from "./lib/table.js";
import { loadText, median } from "./lib/timing.js";
import type { ChildFigures } from "./validate-child.js";
import {
  badExitCodesSpec,
  hugeRegexSpec,
  realisticSpec,
  writeSpecFiles,
} from "./validate-input.js";

const ROUNDS = Number(/^--rounds=(\d+)$/.exec(process.argv[2] ?? "")?.[1] ?? 3);
const FILES = 1000;
const BAD_EXIT_CODES = 8000;
const REGEX_BYTES = 1_000_000;

const CHILD = fileURLToPath(new URL("./validate-child.ts", import.meta.url));
const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

function child(mode: string, arg: string): Promise<ChildFigures> {
  return new Promise((resolve, reject) => {
    const proc = fork(CHILD, [mode, arg], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "pipe", "inherit", "ipc"],
    });
    let out = "";
    proc.stdout?.on("data", (chunk) => {
      out += chunk;
    });
    proc.once("error", reject);
    proc.once("exit", (code) => {
      if (code === 0) resolve(JSON.parse(out) as ChildFigures);
      else reject(new Error(`${mode} ${arg}: child exited with ${code}`));
    });
  });
}

/** Wall time of a whole process, from spawn to exit. */
async function processMs(args: string[]): Promise<{ ms: number; stdout: string }> {
  const start = performance.now();
  const { stdout } = await promisify(execFile)(process.execPath, args, {
    maxBuffer: 64 * 1024 * 1024,
  });
  return { ms: performance.now() - start, stdout };
}

/** Median of each numeric field over the rounds; the first round's issues. */
async function rounds(mode: string, arg: string): Promise<ChildFigures> {
  const all: ChildFigures[] = [];
  for (let r = 0; r < ROUNDS; r++) all.push(await child(mode, arg));
  const [first] = all;
  if (!first) throw new Error("no rounds");
  return {
    ...first,
    ms: median(all.map((f) => f.ms)),
    cpuMs: median(all.map((f) => f.cpuMs)),
    rssPeakDeltaMb: median(all.map((f) => f.rssPeakDeltaMb)),
  };
}

const verdict = (met: boolean) => (met ? "met" : "missed");

/** An issue line that points at a real value: not the file's 1:1. */
const located = (line: string) => /^[^:]+:(\d+):(\d+):/.exec(line)?.slice(1).join(":") !== "1:1";

async function main() {
  const dir = await mkdtemp(join(tmpdir(), "tat-assert-validate-bench-"));
  try {
    const specs = join(dir, "specs");
    await writeSpecFiles(specs, FILES);
    const bad = join(dir, "bad-exit-codes.yml");
    await writeFile(bad, badExitCodesSpec(BAD_EXIT_CODES));
    const regex = join(dir, "huge-regex.yml");
    await writeFile(regex, hugeRegexSpec(REGEX_BYTES));

    const baseline = await rounds("read-events", specs);
    const full = await rounds("read-parse", specs);
    const validate = await rounds("validate", specs);
    if (validate.specs !== FILES) {
      throw new Error(
        `validate found ${validate.specs} valid specs: ${validate.issues.slice(0, 3)}`,
      );
    }
    let cli: { ms: number; startupMs: number } | undefined;
    if (existsSync(CLI)) {
      const walls: number[] = [];
      const startups: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const run = await processMs([CLI, "validate", specs]);
        if (!run.stdout.startsWith(`${FILES} specs valid`)) throw new Error(`CLI: ${run.stdout}`);
        walls.push(run.ms);
        startups.push((await processMs(["-e", "0"])).ms);
      }
      cli = { ms: median(walls), startupMs: median(startups) };
    }
    const badYaml = await rounds("events-text", bad);
    const badRun = await rounds("text", bad);
    const regexYaml = await rounds("yaml-text", regex);
    const regexRun = await rounds("text", regex);

    const rows: string[][] = [
      ["figure", "ms", "CPU ms", "baseline ms", "× baseline", "goal", "", "on CPU ms"],
      [
        `read + js-yaml events of ${FILES} files (baseline)`,
        ms(baseline.ms),
        ms(baseline.cpuMs),
        "",
        "",
        "",
        "",
      ],
      [
        `  the same with yaml's parseAllDocuments (the full reader)`,
        ms(full.ms),
        ms(full.cpuMs),
        ms(baseline.ms),
        ratio(full.ms, baseline.ms),
        "",
        "",
      ],
      [
        `validate ${FILES} files, loadGateSpecs, fresh process`,
        ms(validate.ms),
        ms(validate.cpuMs),
        ms(baseline.ms),
        ratio(validate.ms, baseline.ms),
        "< 1000 ms",
        verdict(validate.ms < 1000),
        verdict(validate.cpuMs < 1000),
      ],
    ];
    if (cli) {
      rows.push([
        `tat-assert validate ${FILES} files (built CLI, whole process)`,
        ms(cli.ms),
        "",
        ms(cli.startupMs),
        ratio(cli.ms, cli.startupMs),
        "< 1000 ms",
        verdict(cli.ms < 1000),
      ]);
    }
    const badLocated = badRun.issues.every(located);
    rows.push(
      [
        `${BAD_EXIT_CODES.toLocaleString("en-US")} bad exit codes (${Math.round(badExitCodesSpec(BAD_EXIT_CODES).length / 1000)} KB spec)`,
        ms(badRun.ms),
        ms(badRun.cpuMs),
        ms(badYaml.ms),
        ratio(badRun.ms, badYaml.ms),
        "< 2000 ms",
        verdict(badRun.ms < 2000),
        verdict(badRun.cpuMs < 2000),
      ],
      [
        "  its problems listed (each at its own line)",
        String(badRun.issues.length),
        "",
        "",
        "",
        "≤ 5, located",
        verdict(badRun.issues.length <= 5 && badRun.issues.length > 0 && badLocated),
      ],
      [
        "1 MB regex: time to its error",
        ms(regexRun.ms),
        ms(regexRun.cpuMs),
        ms(regexYaml.ms),
        ratio(regexRun.ms, regexYaml.ms),
        "< 100 ms",
        verdict(regexRun.ms < 100),
        verdict(regexRun.cpuMs < 100),
      ],
      [
        "  peak RSS above the start (MB)",
        regexRun.rssPeakDeltaMb.toFixed(1),
        "",
        regexYaml.rssPeakDeltaMb.toFixed(1),
        "",
        "< 50 MB",
        verdict(regexRun.rssPeakDeltaMb < 50),
      ],
      [
        "  its problems listed",
        String(regexRun.issues.length),
        "",
        "",
        "",
        "1, located",
        verdict(regexRun.issues.length === 1 && regexRun.issues.every(located)),
      ],
    );
    const bytes = Array.from({ length: FILES }, (_, n) => realisticSpec(n).length);
    const mean = bytes.reduce((a, b) => a + b, 0) / FILES;
    console.log(
      `validate bench: ${FILES} spec files of ${Math.round(mean)} bytes on average; medians of ${ROUNDS} fresh processes each`,
    );
    // On a shared machine a process gets less than a core; wall times then read long. The last
    // column judges the CPU time against the same goal: what an idle machine would show, roughly.
    console.log(
      `CPU share of the baseline process: ${Math.round((100 * baseline.cpuMs) / baseline.ms)} % of a core (near 100 % on an idle machine); ${loadText()} at the end`,
    );
    console.log(
      "goals are judged on wall ms and, in the last column, on CPU ms (the work's own cost on a shared machine)\n",
    );
    console.log(table(rows));
    if (!cli) console.log("\n(built CLI not measured: run `npm run build` first)");
    console.log("\n8,000 bad exit codes, as printed:");
    for (const line of badRun.issues) console.log(`  ${line}`);
    console.log("1 MB regex, as printed:");
    for (const line of regexRun.issues) console.log(`  ${line.slice(0, 160)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
