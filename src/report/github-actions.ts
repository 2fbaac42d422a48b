// Under GitHub Actions: the job summary ($GITHUB_STEP_SUMMARY) and `::error`/`::warning`
// annotations on the spec lines. The runner shows only 10 of each per step, so findings at the
// same line are merged and the most important come first.
import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { groupDigits } from "../locale-free.js";
import type { RunReport } from "../model.js";
import { capBytes } from "./cap.js";
import {
  collectFindings,
  type FindingGroup,
  groupFindings,
  locatedRunErrors,
  repoPath,
} from "./findings.js";
import type { Reporter } from "./reporter.js";
import { renderSummary } from "./summary-markdown.js";
import { workflowCommand } from "./workflow-commands.js";

/** GitHub's limit is 1 MiB per step summary; stay below it. */
const SUMMARY_MAX_BYTES = 1_000_000;
/** The runner shows about 4 KB of an annotation message. */
const MESSAGE_MAX_BYTES = 4000;
const LINES_PER_GROUP = 5;

export interface PathContext {
  cwd: string;
  /** GITHUB_WORKSPACE: the repository root that annotation paths are relative to. */
  workspace?: string;
}

function groupTitle(g: FindingGroup): string {
  const first = g.findings[0];
  const what = g.level === "failure" ? g.check : `${g.check} not verified`;
  if (!first?.subject) return `${g.spec}: ${what}`;
  // Several findings at one line can be one instance's (two patterns on the same line).
  const instances = new Set(g.findings.map((f) => f.subject));
  if (instances.size === 1) {
    const n = g.findings.length;
    return `${g.spec}: ${what} on ${first.subject}${n > 1 ? ` (${n} checks)` : ""}`;
  }
  return `${g.spec}: ${what} on ${instances.size} instances`;
}

function groupMessage(g: FindingGroup): string {
  const first = g.findings[0];
  if (g.findings.length === 1 && first) {
    return `${first.line}\nexpected: ${first.result.expected}\nactual: ${first.result.actual}`;
  }
  const lines = g.findings.slice(0, LINES_PER_GROUP).map((f) => f.line);
  const more = g.findings.length - lines.length;
  if (more > 0) lines.push(`… and ${groupDigits(more)} more`);
  return lines.join("\n");
}

/** One command per group of findings, in the order the runner should show them; errors that
 * stopped the run (an invalid spec) come first, at their spec line. */
export function annotationCommands(report: RunReport, paths: PathContext): string[] {
  const stopped = locatedRunErrors(report).map((e) =>
    workflowCommand(
      "error",
      {
        file: repoPath(e.file, paths.cwd, paths.workspace),
        line: Math.max(1, e.line),
        title: e.title,
      },
      capBytes(e.message, MESSAGE_MAX_BYTES, (cut) => `… (${groupDigits(cut)} characters cut)`),
    ),
  );
  return stopped.concat(
    groupFindings(collectFindings(report)).map((g) =>
      workflowCommand(
        g.level === "failure" ? "error" : "warning",
        {
          file: repoPath(g.file, paths.cwd, paths.workspace),
          line: Math.max(1, g.line),
          title: groupTitle(g),
        },
        capBytes(
          groupMessage(g),
          MESSAGE_MAX_BYTES,
          (cut) => `… (${groupDigits(cut)} characters cut)`,
        ),
      ),
    ),
  );
}

export function jobSummary(report: RunReport): string {
  return renderSummary(report, {
    maxBytes: SUMMARY_MAX_BYTES,
    limitName: "GitHub's 1 MiB step summary limit",
  });
}

export async function appendJobSummary(path: string, report: RunReport): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await appendFile(path, `${jobSummary(report)}\n`, "utf8");
}

export interface GithubActionsOptions extends PathContext {
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream;
  /** Decided when the run ends: false when a GitHub Check run carries the annotations instead. */
  annotations: () => boolean;
}

export async function writeGithubActionsOutputs(
  report: RunReport,
  options: Omit<GithubActionsOptions, "annotations">,
  what: { summary: boolean; annotations: boolean },
): Promise<void> {
  const summaryPath = options.env.GITHUB_STEP_SUMMARY;
  if (what.summary && summaryPath) await appendJobSummary(summaryPath, report);
  if (what.annotations) {
    for (const line of annotationCommands(report, options)) options.stdout.write(`${line}\n`);
  }
}

export function githubActionsReporter(options: GithubActionsOptions): Reporter {
  return {
    name: "github-actions",
    async end(report) {
      await writeGithubActionsOutputs(report, options, {
        summary: true,
        annotations: options.annotations(),
      });
    },
  };
}
