// Runs the committed action bundle the way the GitHub runner does: `node <action>/action-dist/index.mjs`
// with the action's inputs as INPUT_* variables (defaults from action.yml applied, as the runner
// applies them), the environment files in a temporary folder, and the workspace as the working
// directory. The bundle is copied alone into a folder with no node_modules above it, so it can only
// work if it really is self-contained.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { ROOT, runNode } from "../helpers/cli.js";

export const BUNDLE = join(ROOT, "action-dist", "index.mjs");

interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}

export function actionYml(): ActionYml {
  return parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as ActionYml;
}

/** The pull request head commit: check runs must go here, not to GITHUB_SHA's merge commit. */
export const PR_HEAD_SHA = "9f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c";
export const MERGE_SHA = "0123456789abcdef0123456789abcdef01234567";
export const GITHUB_TOKEN = "ghs_workflowTokenForTheFakeGithub0123456789";
// biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a JS template
export const TOKEN_EXPRESSION = "${{ github.token }}";

/** Copies the bundle alone into a fresh folder (the action's checkout, minus everything else). */
export function installAction(): string {
  const dir = mkdtempSync(join(tmpdir(), "tat-assert-action-"));
  const main = join(dir, actionYml().runs.main);
  mkdirSync(dirname(main), { recursive: true });
  copyFileSync(BUNDLE, main);
  return main;
}

/** True when some folder from `dir` up to the root has a node_modules the bundle could lean on. */
export function nodeModulesAbove(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, "node_modules"))) return true;
    if (dirname(d) === d) return false;
  }
}

export interface ActionRunOptions {
  /** Inputs by their action.yml names; `undefined` leaves the input (and its default) out. */
  inputs: Record<string, string | undefined>;
  /** Files to create in the workspace, by relative path. */
  files?: Record<string, string>;
  /** Step `env:` and runner variables beyond the defaults. */
  env?: Record<string, string>;
  /** Leave out action.yml's defaults (a runner always applies them; for input-error cases). */
  noDefaults?: boolean;
  /** Send a signal once stdout contains `when` (the runner cancelling the job). */
  interrupt?: { when: string; signal: NodeJS.Signals };
  timeoutMs?: number;
}

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Parsed $GITHUB_OUTPUT. */
  outputs: Record<string, string>;
  /** $GITHUB_STEP_SUMMARY, "" when not written. */
  summary: string;
  /** The workspace folder ($GITHUB_WORKSPACE). */
  workspace: string;
  /** $GITHUB_OUTPUT as written. */
  outputFile: string;
}

/** The INPUT_* variables the runner sets: action.yml defaults (with `${{ github.token }}`), then `with:`. */
export function inputEnv(
  inputs: Record<string, string | undefined>,
  withDefaults: boolean,
): Record<string, string> {
  const env: Record<string, string> = {};
  const name = (input: string) => `INPUT_${input.replace(/ /g, "_").toUpperCase()}`;
  if (withDefaults) {
    for (const [input, spec] of Object.entries(actionYml().inputs)) {
      if (spec.default === undefined) continue;
      env[name(input)] = String(spec.default).replace(TOKEN_EXPRESSION, GITHUB_TOKEN);
    }
  }
  for (const [input, value] of Object.entries(inputs)) {
    if (value === undefined) delete env[name(input)];
    else env[name(input)] = value;
  }
  return env;
}

/** `name<<delimiter` … `delimiter` blocks, as @actions/core writes and the runner reads them. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? "");
    if (!m) continue;
    const [, key, delimiter] = m as unknown as [string, string, string];
    const end = lines.indexOf(delimiter, i + 1);
    if (end < 0) throw new Error(`output ${key}: no closing delimiter`);
    outputs[key] = lines.slice(i + 1, end).join("\n");
    i = end;
  }
  return outputs;
}

export async function runAction(main: string, options: ActionRunOptions): Promise<ActionRun> {
  const base = mkdtempSync(join(tmpdir(), "tat-assert-runner-"));
  const workspace = join(base, "workspace");
  const temp = join(base, "_temp");
  mkdirSync(workspace);
  mkdirSync(temp);
  for (const [path, text] of Object.entries(options.files ?? {})) {
    mkdirSync(dirname(join(workspace, path)), { recursive: true });
    writeFileSync(join(workspace, path), text);
  }
  const outputFile = join(temp, "set_output");
  const summaryFile = join(temp, "step_summary");
  const eventFile = join(temp, "event.json");
  writeFileSync(outputFile, "");
  writeFileSync(
    eventFile,
    JSON.stringify({
      action: "synchronize",
      number: 17,
      pull_request: { number: 17, head: { sha: PR_HEAD_SHA, ref: "feature" } },
    }),
  );
  const home = join(base, "home");
  mkdirSync(home);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: home,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: temp,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_REPOSITORY: "acme/deploys",
    GITHUB_SHA: MERGE_SHA,
    GITHUB_RUN_ID: "4815162342",
    GITHUB_RUN_ATTEMPT: "1",
    ...options.env,
    ...inputEnv(options.inputs, !options.noDefaults),
  };
  const run = await runNode([main], {
    cwd: workspace,
    env,
    timeoutMs: options.timeoutMs ?? 30_000,
    onStart: (child, output) => {
      const { interrupt } = options;
      if (!interrupt) return;
      const onData = () => {
        if (!output.stdout().includes(interrupt.when)) return;
        child.stdout?.off("data", onData);
        child.kill(interrupt.signal);
      };
      child.stdout?.on("data", onData);
    },
  });
  const outputText = readFileSync(outputFile, "utf8");
  return {
    code: run.code,
    stdout: run.stdout,
    stderr: run.stderr,
    outputs: parseOutputFile(outputText),
    summary: existsSync(summaryFile) ? readFileSync(summaryFile, "utf8") : "",
    workspace,
    outputFile: outputText,
  };
}

/** Undoes the workflow-command escaping of a message (`%0A` → newline, …). */
export function unescapeData(text: string): string {
  return text.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%");
}

/** The workflow commands of a kind in stdout, e.g. `error` → `[{ props, message }]`. */
export function commands(
  stdout: string,
  kind: string,
): { props: Record<string, string>; message: string }[] {
  const found: { props: Record<string, string>; message: string }[] = [];
  for (const line of stdout.split("\n")) {
    const m = new RegExp(`^::${kind}(?: ([^:]*))?::(.*)$`).exec(line);
    if (!m) continue;
    const props: Record<string, string> = {};
    for (const pair of (m[1] ?? "").split(",").filter(Boolean)) {
      const eq = pair.indexOf("=");
      props[pair.slice(0, eq)] = unescapeData(
        pair
          .slice(eq + 1)
          .replace(/%3A/g, ":")
          .replace(/%2C/g, ","),
      );
    }
    found.push({ props, message: unescapeData(m[2] ?? "") });
  }
  return found;
}
