// One measurement of validate.ts in a fresh process, so that each starts cold (no compiled
// schema, no compiled regex, no warm JIT), as `tat-assert validate` does. Prints one JSON line.
//
//   node --import tsx bench/validate-child.ts <mode> <arg>
//
// Modes: "read-events <dir>" (the baseline: read every file and parse it into js-yaml's events with
// every scalar decoded, where the loader's fast reader starts), "read-parse <dir>" (the same with
// `yaml`'s parseAllDocuments, the full reader the loader falls back to),
// "validate <dir>" (loadGateSpecs, what the CLI's validate calls), "text <file>" (parseSpecs of one
// spec's text, after a warm-up spec, as the 8,000-exit-codes and 1 MB regex cases), and their
// baselines "events-text <file>" and "yaml-text <file>" (only the parse of that text by the reader
// that reads it: js-yaml's events for a plain spec, `yaml` for one the fast reader declines).
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { EVENT_ID, getScalarValue, parseEvents } from "js-yaml";
import { LineCounter, parseAllDocuments } from "yaml";
import { formatIssue } from "../src/errors.js";
import { loadGateSpecs } from "../src/gate.js";
import { parseSpecs } from "../src/spec/load.js";
import { withPlainYamlEnv } from "../src/spec/yaml-source.js";

export interface ChildFigures {
  ms: number;
  cpuMs: number;
  /** Peak RSS above the RSS when the measured work started. */
  rssPeakDeltaMb: number;
  specs: number;
  issues: string[];
}

const [mode, arg = ""] = process.argv.slice(2);

/** When the measured work started; `restart` moves it past a warm-up. */
let started = { at: performance.now(), cpu: process.cpuUsage(), rss: process.memoryUsage().rss };
const restart = () => {
  started = { at: performance.now(), cpu: process.cpuUsage(), rss: process.memoryUsage().rss };
};

// The baselines parse as the loader does, behind withPlainYamlEnv: without it yaml reads
// process.env once per token, and the baseline would time that instead of the parser.
const parseYaml = (text: string) =>
  withPlainYamlEnv(() =>
    parseAllDocuments(text, {
      lineCounter: new LineCounter(),
      uniqueKeys: false,
      prettyErrors: false,
    }),
  );

/** js-yaml's events of a text with every scalar decoded: the count of scalars. */
function decodeEvents(text: string): number {
  let scalars = 0;
  for (const event of parseEvents(text, {})) {
    if (event.type === EVENT_ID.SCALAR && getScalarValue(text, event).length >= 0) scalars++;
  }
  return scalars;
}

async function run(): Promise<{ specs: number; issues: string[] }> {
  if (mode === "read-events") {
    const files = (await readdir(arg)).filter((f) => f.endsWith(".yml")).map((f) => join(arg, f));
    const texts = await Promise.all(files.map((f) => readFile(f, "utf8")));
    let scalars = 0;
    for (const text of texts) scalars += decodeEvents(text);
    return { specs: scalars, issues: [] };
  }
  if (mode === "read-parse") {
    const files = (await readdir(arg)).filter((f) => f.endsWith(".yml")).map((f) => join(arg, f));
    const texts = await Promise.all(files.map((f) => readFile(f, "utf8")));
    let docs = 0;
    for (const text of texts) docs += [parseYaml(text)].flat().length;
    return { specs: docs, issues: [] };
  }
  if (mode === "validate") {
    try {
      const specs = await loadGateSpecs([arg], { cwd: process.cwd(), env: {} });
      return { specs: specs.length, issues: [] };
    } catch (error) {
      const issues = (error as { issues?: Parameters<typeof formatIssue>[0][] }).issues;
      if (!issues) throw error;
      return { specs: 0, issues: issues.map(formatIssue) };
    }
  }
  if (mode === "events-text") {
    const text = await readFile(arg, "utf8");
    restart();
    return { specs: decodeEvents(text), issues: [] };
  }
  if (mode === "yaml-text") {
    const text = await readFile(arg, "utf8");
    restart();
    return { specs: [parseYaml(text)].flat().length, issues: [] };
  }
  if (mode === "text") {
    const text = await readFile(arg, "utf8");
    // The schema compiles on first use; the goal is about the spec, not about that.
    parseSpecs("version: 1\ntarget: { invocationId: inv-warm0001 }\n", "warm.yml", { env: {} });
    restart();
    const r = parseSpecs(text, "big.yml", { env: {} });
    return { specs: r.specs.length, issues: r.issues.map(formatIssue) };
  }
  throw new Error(`unknown mode ${mode}`);
}

let rssPeak = 0;
const sample = () => {
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
};
const sampler = setInterval(sample, 5);
restart();
const result = await run();
const ms = performance.now() - started.at;
const used = process.cpuUsage(started.cpu);
clearInterval(sampler);
sample();
const figures: ChildFigures = {
  ms,
  cpuMs: (used.user + used.system) / 1000,
  rssPeakDeltaMb: Math.max(0, rssPeak - started.rss) / 1e6,
  ...result,
};
process.stdout.write(`${JSON.stringify(figures)}\n`);
