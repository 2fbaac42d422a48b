// Reporter names on the command line → reporters. `name` or `name:arg` (the arg is a path for file
// reporters, the check name for github-check); only the first colon splits, so Windows paths work.
import { resolve } from "node:path";
import { closest } from "fastest-levenshtein";
import { UsageError } from "../errors.js";
import type { RunReport } from "../model.js";
import { fileReporter } from "./file-reporter.js";
import { githubActionsReporter, writeGithubActionsOutputs } from "./github-actions.js";
import { githubCheckReporter } from "./github-check.js";
import { type GithubOptions, resolveGithubTarget } from "./github-env.js";
import { DEFAULT_HTML_PATH, renderHtml } from "./html.js";
import { DEFAULT_JSON_PATH, jsonChunks } from "./json.js";
import { DEFAULT_JUNIT_PATH, renderJunit } from "./junit.js";
import { createRedactor, redactValue } from "./redact.js";
import type { Reporter } from "./reporter.js";
import { workflowCommand } from "./workflow-commands.js";

export interface ReporterContext {
  /** GITHUB_* variables etc. */
  env: Record<string, string | undefined>;
  cwd: string;
  /** Warnings ("cannot write checks: falling back …"). */
  stderr: NodeJS.WritableStream;
  /** Where workflow commands go under GitHub Actions. @default process.stdout */
  stdout?: NodeJS.WritableStream;
  /** Where a report named `-` goes. @default stdout */
  reportStdout?: NodeJS.WritableStream;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Passed to Octokit (`request.fetch`). */
  fetch?: typeof globalThis.fetch;
  github?: GithubOptions & {
    /** Minimum time between progress updates of the check run. @default 15000 */
    progressIntervalMs?: number;
    /** @default 500 */
    maxAnnotations?: number;
    /** The time the check run's last writes get (tests). @default END_BUDGET_MS (github-check.ts) */
    endBudgetMs?: number;
  };
  /** Masked in everything a reporter receives (also their base64 and URL-encoded forms). */
  secrets?: string[];
  /** Masks what reporters say themselves (warnings quoting GitHub's answers). */
  redact?: (text: string) => string;
  /** For JUnit's `hostname`. @default os.hostname() */
  hostname?: string;
  extra?: Record<string, (arg: string | undefined, ctx: ReporterContext) => Reporter>;
}

type Factory = (arg: string | undefined, ctx: ReporterContext) => Reporter;

/** Which GitHub outputs exist for a context, so the check run and the automatic reporter do not repeat each other. */
interface GithubRoles {
  actions: boolean;
  check: boolean;
}
const roles = new WeakMap<ReporterContext, GithubRoles>();
function rolesOf(ctx: ReporterContext): GithubRoles {
  let r = roles.get(ctx);
  if (!r) {
    r = { actions: false, check: false };
    roles.set(ctx, r);
  }
  return r;
}

const underActions = (ctx: ReporterContext) => ctx.env.GITHUB_ACTIONS === "true";
const stdoutOf = (ctx: ReporterContext) => ctx.stdout ?? process.stdout;
const realSleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

function githubCheck(arg: string | undefined, ctx: ReporterContext): Reporter {
  const resolved = resolveGithubTarget(ctx.env, ctx.github, arg);
  if (!resolved.ok) {
    throw new UsageError(`the github-check reporter needs ${resolved.missing.join(", ")}`);
  }
  const mine = rolesOf(ctx);
  mine.check = true;
  const outputs = {
    env: ctx.env,
    stdout: stdoutOf(ctx),
    cwd: ctx.cwd,
    workspace: ctx.env.GITHUB_WORKSPACE,
  };
  return githubCheckReporter({
    target: resolved.target,
    fetch: ctx.fetch,
    now: ctx.now ?? Date.now,
    sleep: ctx.sleep ?? realSleep,
    stderr: ctx.stderr,
    cwd: ctx.cwd,
    workspace: ctx.env.GITHUB_WORKSPACE,
    progressIntervalMs: ctx.github?.progressIntervalMs,
    maxAnnotations: ctx.github?.maxAnnotations,
    ...(ctx.github?.endBudgetMs !== undefined && { endBudgetMs: ctx.github.endBudgetMs }),
    fallbackAvailable: underActions(ctx),
    // Under Actions the one warning is an annotation the run's page shows.
    ...(underActions(ctx) && {
      warnFallback: (message: string) => {
        const text = ctx.redact ? ctx.redact(message) : message;
        stdoutOf(ctx).write(
          `${workflowCommand("warning", { title: "tat-assert github-check" }, text)}\n`,
        );
      },
    }),
    // The automatic reporter, when present, writes the job summary anyway.
    fallback: async (report) => {
      if (!underActions(ctx)) return;
      await writeGithubActionsOutputs(report, outputs, {
        summary: !mine.actions,
        annotations: true,
      });
    },
  });
}

/** `-` is standard output; anything else a path relative to the working folder. */
/** Names of standard output: opening one of them truncates a redirected log and loses the console,
 * so they are read as `-` (the console then moves to standard error). */
const STDOUT_NAMES = new Set(["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"]);
const isStdout = (arg: string | undefined) => arg !== undefined && STDOUT_NAMES.has(arg);

function reportPath(arg: string | undefined, fallback: string, ctx: ReporterContext): string {
  return isStdout(arg) ? "-" : resolve(ctx.cwd, arg || fallback);
}

/** Where a report named `-` goes: the process's standard output, never the redirected one. */
const reportOut = (ctx: ReporterContext) => ctx.reportStdout ?? ctx.stdout ?? process.stdout;

const BUILT_IN: Record<string, Factory> = {
  junit: (arg, ctx) =>
    fileReporter(
      "junit",
      reportPath(arg, DEFAULT_JUNIT_PATH, ctx),
      (r) => renderJunit(r, { flavor: "broad", hostname: ctx.hostname }),
      reportOut(ctx),
    ),
  "junit-strict": (arg, ctx) =>
    fileReporter(
      "junit-strict",
      reportPath(arg, DEFAULT_JUNIT_PATH, ctx),
      (r) => renderJunit(r, { flavor: "strict", hostname: ctx.hostname }),
      reportOut(ctx),
    ),
  json: (arg, ctx) =>
    fileReporter("json", reportPath(arg, DEFAULT_JSON_PATH, ctx), jsonChunks, reportOut(ctx)),
  html: (arg, ctx) =>
    fileReporter("html", reportPath(arg, DEFAULT_HTML_PATH, ctx), renderHtml, reportOut(ctx)),
  "github-check": githubCheck,
};

/** Whether any of these reporter specs writes to standard output (`json:-`, `junit:-`). */
export function reportsToStdout(specs: string[]): boolean {
  return specs.some((s) => {
    const { name, arg } = parseReporterSpec(s);
    return isStdout(arg) && Object.hasOwn(FILE_DEFAULTS, name);
  });
}

/** Reporters that write a file, and where: two writing one file would race. */
const FILE_DEFAULTS: Record<string, string> = {
  junit: DEFAULT_JUNIT_PATH,
  "junit-strict": DEFAULT_JUNIT_PATH,
  json: DEFAULT_JSON_PATH,
  html: DEFAULT_HTML_PATH,
};

const writesFile = (name: string) => FILE_DEFAULTS[name] !== undefined;

export function parseReporterSpec(spec: string): { name: string; arg: string | undefined } {
  const colon = spec.indexOf(":");
  if (colon < 0) return { name: spec.trim(), arg: undefined };
  const arg = spec.slice(colon + 1).trim();
  return { name: spec.slice(0, colon).trim(), arg: arg === "" ? undefined : arg };
}

/** Every hook gets secrets masked; one redacted copy of the report is shared by all reporters. */
function withRedaction(reporters: Reporter[], secrets: string[] | undefined): Reporter[] {
  if (!secrets || secrets.every((s) => s === "")) return reporters;
  const redact = createRedactor(secrets);
  const cache = new WeakMap<RunReport, RunReport>();
  const redacted = (report: RunReport) => {
    let r = cache.get(report);
    if (!r) {
      r = redactValue(report, redact);
      cache.set(report, r);
    }
    return r;
  };
  return reporters.map((r) => ({
    name: r.name,
    ...(r.file !== undefined && { file: r.file }),
    ...(r.start ? { start: (run) => r.start?.(redactValue(run, redact)) } : {}),
    ...(r.progress ? { progress: (event) => r.progress?.(redactValue(event, redact)) } : {}),
    end: (report) => r.end(redacted(report)),
  }));
}

/** "junit", "junit:out/junit.xml", "json:out/report.json", "github-check", … → reporters. */
export function createReporters(specs: string[], ctx: ReporterContext): Reporter[] {
  const factories: Record<string, Factory> = { ...BUILT_IN, ...ctx.extra };
  const paths = new Map<string, string>();
  const reporters = specs.map((spec) => {
    const { name, arg } = parseReporterSpec(spec);
    const factory = Object.hasOwn(factories, name) ? factories[name] : undefined;
    if (!factory) {
      const known = Object.keys(factories).sort();
      const guess = name ? closest(name, known) : undefined;
      throw new UsageError(
        `unknown reporter "${name}"${guess ? ` (did you mean "${guess}"?)` : ""}; known reporters: ${known.join(", ")}`,
      );
    }
    // `junit:$OUT` with OUT empty in CI: writing the default path instead would put the report
    // where the pipeline does not look, with an exit 0.
    if (arg === undefined && spec.includes(":")) {
      throw new UsageError(
        `reporter "${spec}" names an empty ${writesFile(name) ? "path" : "argument"}: give one, or write "${name}" alone for its default`,
      );
    }
    const fileDefault = FILE_DEFAULTS[name];
    if (fileDefault !== undefined && !ctx.extra?.[name]) {
      const path = reportPath(arg, fileDefault, ctx);
      const other = paths.get(path);
      if (other)
        throw new UsageError(
          `reporters "${other}" and "${spec}" would both write ${path === "-" ? "to standard output" : path}`,
        );
      paths.set(path, spec);
    }
    return factory(arg, ctx);
  });
  return withRedaction(reporters, ctx.secrets);
}

/** Under GitHub Actions (GITHUB_ACTIONS=true): the job summary and `::error` annotations. */
export function automaticReporters(ctx: ReporterContext): Reporter[] {
  if (!underActions(ctx)) return [];
  const mine = rolesOf(ctx);
  mine.actions = true;
  const reporter = githubActionsReporter({
    env: ctx.env,
    stdout: stdoutOf(ctx),
    cwd: ctx.cwd,
    workspace: ctx.env.GITHUB_WORKSPACE,
    // A check run carries the annotations itself (and falls back to these when it cannot).
    annotations: () => !mine.check,
  });
  return withRedaction([reporter], ctx.secrets);
}
