// A GitHub Check run for the gate: created in_progress when waiting starts, updated with progress
// now and then, completed with the verdict, annotations on the spec lines in batches of 50.
// A token that may not write checks (pull requests from forks) is not a failed gate: warn once,
// fall back to the job summary and workflow annotations, and leave the verdict alone.

import { groupDigits } from "../locale-free.js";
import type { RunReport } from "../model.js";
import { capBytes, capChars } from "./cap.js";
import { collectFindings, type Finding, locatedRunErrors, repoPath } from "./findings.js";
import type { GithubTarget } from "./github-env.js";
import { isForbidden, type RetryPolicy, withRetry } from "./github-retry.js";
import type { Reporter, RunStart, SpecProgress } from "./reporter.js";
import { logLine, logText } from "./sanitize.js";
import { renderDetails, renderProgress, renderSummary, runTitle } from "./summary-markdown.js";

/** GitHub's limits: 65,535 characters for summary and text (counted here in bytes, to be safe). */
const FIELD_MAX_BYTES = 65_535;
const FIELD_LIMIT = "GitHub's 65,535-character limit";
const ANNOTATIONS_PER_REQUEST = 50;
const TITLE_MAX_CHARS = 255;
const MESSAGE_MAX_BYTES = 64_000;
const REQUEST_TIMEOUT_MS = 30_000;
/**
 * The check run's last writes, retries and writes still queued included, end within this, so that
 * when GitHub does not answer the fallback (job summary, workflow annotations) still runs inside
 * the reporters' default time (DEFAULT_REPORTER_TIMEOUT_MS, 30 s in run.ts). Without it one hung
 * request took the whole 30 s and a passing gate exited 5.
 */
export const END_BUDGET_MS = 20_000;

export type Conclusion = "success" | "failure" | "cancelled" | "skipped";

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "failure" | "warning";
  message: string;
  title: string;
  raw_details?: string;
}

export interface GithubCheckOptions {
  target: GithubTarget;
  fetch?: typeof globalThis.fetch;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  stderr: NodeJS.WritableStream;
  cwd: string;
  workspace?: string;
  /** Job summary and workflow annotations, used when the check cannot be written. */
  fallback: (report: RunReport) => Promise<void>;
  /** Whether the fallback can show anything (only under GitHub Actions). */
  fallbackAvailable: boolean;
  /** Says, once, that the check run was not written (a `::warning::` under Actions). @default a
   * "warning: github-check: …" line on stderr */
  warnFallback?: (message: string) => void;
  /** @default 15000 */
  progressIntervalMs?: number;
  /** Annotations beyond this are left out (each 50 cost a request). @default 500 */
  maxAnnotations?: number;
  retry?: Partial<Pick<RetryPolicy, "retries" | "baseDelayMs" | "maxDelayMs">>;
  userAgent?: string;
  /** @default END_BUDGET_MS */
  endBudgetMs?: number;
}

/** exitCode is the verdict; the conclusion only says it in GitHub's words. */
export function checkConclusion(report: RunReport): Conclusion {
  if (report.exitCode === 0) return report.outcome === "skip" ? "skipped" : "success";
  const cancelled = report.specs.some((s) => s.observation.state === "aborted");
  return cancelled && report.counts.fail === 0 ? "cancelled" : "failure";
}

/** GitHub documents `YYYY-MM-DDTHH:MM:SSZ`. */
export function githubTime(iso: string): string {
  const ms = Date.parse(iso);
  return (Number.isFinite(ms) ? new Date(ms) : new Date(0)).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function checkAnnotations(
  findings: Finding[],
  cwd: string,
  workspace?: string,
): CheckAnnotation[] {
  return findings.map((f) => {
    const r = f.result;
    const title = logLine(
      `${f.spec}: ${r.check}${f.level === "warning" ? " not verified" : ""}${f.subject ? ` on ${f.subject}` : ""}`,
    );
    const annotation: CheckAnnotation = {
      path: repoPath(r.where.file, cwd, workspace),
      start_line: Math.max(1, r.where.line),
      end_line: Math.max(1, r.where.line),
      annotation_level: f.level,
      // Cut after the sanitiser, so the cut itself must not leave half an emoji of a name.
      title: capChars(title, TITLE_MAX_CHARS),
      message: capBytes(
        logText(`${f.line}\nexpected: ${r.expected}\nactual: ${r.actual}`),
        MESSAGE_MAX_BYTES,
        (cut) => `\n… (${groupDigits(cut)} characters cut)`,
      ),
    };
    if (r.excerpt)
      annotation.raw_details = capBytes(
        logText(r.excerpt),
        MESSAGE_MAX_BYTES,
        (cut) => `\n… (${groupDigits(cut)} characters cut)`,
      );
    return annotation;
  });
}

/** Errors that stopped the run at a spec line (an invalid field) are annotated there too. */
export function runErrorAnnotations(
  report: RunReport,
  cwd: string,
  workspace?: string,
): CheckAnnotation[] {
  return locatedRunErrors(report).map((e) => ({
    path: repoPath(e.file, cwd, workspace),
    start_line: Math.max(1, e.line),
    end_line: Math.max(1, e.line),
    annotation_level: "failure",
    title: e.title,
    // Through the sanitiser like every finding's: the message quotes spec names and values, and
    // an error met while watching quotes the API.
    message: capBytes(
      logText(e.message),
      MESSAGE_MAX_BYTES,
      (cut) => `\n… (${groupDigits(cut)} characters cut)`,
    ),
  }));
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function describe(error: unknown): string {
  const e = error as { status?: number; message?: string };
  return e?.status ? `HTTP ${e.status}: ${e.message ?? ""}`.trim() : String(e?.message ?? error);
}

export function githubCheckReporter(options: GithubCheckOptions): Reporter {
  const { target } = options;
  // Loaded when the first request is made, not at start: most runs report no check run, and
  // loading the client cost every run about 40 ms.
  let client: Promise<import("@octokit/core").Octokit> | undefined;
  const octokit = () => {
    client ??= import("@octokit/core").then(
      ({ Octokit }) =>
        new Octokit({
          auth: target.token,
          baseUrl: target.apiUrl,
          userAgent: options.userAgent ?? "tat-assert",
          request: options.fetch ? { fetch: options.fetch } : {},
        }),
    );
    return client;
  };
  const policy: RetryPolicy = { ...options.retry, sleep: options.sleep, now: options.now };
  const interval = options.progressIntervalMs ?? 15_000;
  const repo = { owner: target.owner, repo: target.repo };
  const headers = { "x-github-api-version": "2022-11-28" };

  let runId: number | undefined;
  let run: RunStart | undefined;
  let forbidden: unknown;
  let progressWarned = false;
  let queue: Promise<void> = Promise.resolve();
  let progressQueued = false;
  let lastProgressAt = Number.NEGATIVE_INFINITY;
  const latest = new Map<string, SpecProgress>();

  const warn = (text: string) => options.stderr.write(`warning: github-check: ${text}\n`);

  /** `deadlineMs`: the end's budget (END_BUDGET_MS); no request or retry runs past it. */
  const send = (route: string, body: Record<string, unknown>, deadlineMs?: number) =>
    withRetry(
      async () => {
        const left =
          deadlineMs === undefined
            ? REQUEST_TIMEOUT_MS
            : Math.min(REQUEST_TIMEOUT_MS, deadlineMs - options.now());
        if (left <= 0) throw new Error("no time left for the check run");
        return (await octokit()).request(route, {
          ...repo,
          ...body,
          headers,
          request: { signal: AbortSignal.timeout(left) },
        });
      },
      deadlineMs === undefined ? policy : { ...policy, deadlineMs },
    );

  const create = async (body: Record<string, unknown>, deadlineMs?: number) => {
    const response = await send(
      "POST /repos/{owner}/{repo}/check-runs",
      { name: target.checkName, head_sha: target.headSha, ...body },
      deadlineMs,
    );
    runId = (response.data as { id: number }).id;
  };

  const update = (body: Record<string, unknown>, deadlineMs?: number) =>
    send(
      "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
      { check_run_id: runId, ...body },
      deadlineMs,
    );

  /** Writes are serialised; background failures are remembered, never thrown into the wait. */
  const enqueue = (write: () => Promise<void>) => {
    queue = queue.then(async () => {
      if (forbidden) return;
      try {
        await write();
      } catch (error) {
        if (isForbidden(error)) forbidden = error;
        else if (!progressWarned) {
          progressWarned = true;
          warn(
            `could not update the check run while waiting (${describe(error)}); will try again at the end`,
          );
        }
      }
    });
  };

  const progressBody = () => {
    const known = [...latest.values()];
    const terminal = known.reduce((n, p) => n + p.terminal, 0);
    const total = known.reduce((n, p) => n + p.total, 0);
    const title =
      known.length === 0
        ? `Waiting for ${run?.specs.length ?? 0} specs`
        : `Waiting: ${terminal} of ${total} tasks finished`;
    return {
      status: "in_progress",
      output: { title, summary: run ? renderProgress(run, latest) : title },
    };
  };

  const complete = async (report: RunReport, deadlineMs: number) => {
    const all = [
      ...runErrorAnnotations(report, options.cwd, options.workspace),
      ...checkAnnotations(collectFindings(report), options.cwd, options.workspace),
    ];
    const max = options.maxAnnotations ?? 500;
    const annotations = all.slice(0, max);
    const left = all.length - annotations.length;
    // Room is kept for the whole of what is appended, its leading line break included.
    const note =
      left > 0
        ? `\n_${groupDigits(left)} more annotations were not posted (limit ${groupDigits(max)})._\n\n`
        : "";
    const output = {
      title: logLine(runTitle(report)),
      summary:
        renderSummary(report, {
          maxBytes: FIELD_MAX_BYTES - note.length,
          limitName: FIELD_LIMIT,
          heading: false,
        }) + note,
      text: renderDetails(report, FIELD_MAX_BYTES, FIELD_LIMIT) || undefined,
    };
    const final = {
      status: "completed",
      conclusion: checkConclusion(report),
      completed_at: githubTime(report.endedAt),
    };
    const batches = chunks(annotations, ANNOTATIONS_PER_REQUEST);
    if (runId === undefined && batches.length <= 1) {
      await create(
        {
          ...final,
          started_at: githubTime(report.startedAt),
          output: { ...output, annotations: batches[0] },
        },
        deadlineMs,
      );
      return;
    }
    if (runId === undefined) {
      await create(
        {
          status: "in_progress",
          started_at: githubTime(report.startedAt),
          output: { ...output, annotations: batches.shift() },
        },
        deadlineMs,
      );
    }
    const last = batches.pop();
    for (const batch of batches) {
      await update({ output: { ...output, annotations: batch } }, deadlineMs);
    }
    await update({ ...final, output: { ...output, annotations: last } }, deadlineMs);
  };

  return {
    name: "github-check",
    start(start) {
      run = start;
      // Creating the run shows the specs already; the first progress update can wait its turn.
      lastProgressAt = options.now();
      enqueue(() =>
        create({
          status: "in_progress",
          started_at: githubTime(start.startedAt),
          output: progressBody().output,
        }),
      );
    },
    progress(event) {
      latest.set(event.spec, event);
      const now = options.now();
      if (forbidden || progressQueued || now - lastProgressAt < interval) return;
      lastProgressAt = now;
      progressQueued = true;
      enqueue(async () => {
        progressQueued = false;
        if (runId !== undefined) await update(progressBody());
      });
    },
    async end(report) {
      const budget = options.endBudgetMs ?? END_BUDGET_MS;
      const deadlineMs = options.now() + budget;
      let failure: unknown;
      try {
        // A write still queued from the wait (the start, a progress update) may hang too.
        await within(queue, budget);
        failure = forbidden;
        if (!failure) {
          await complete(report, deadlineMs);
          return;
        }
      } catch (error) {
        failure = error;
      }
      // A check run GitHub would not take (403: a fork's token; 5xx or no answer after the retries)
      // is not a failed gate: say so once, show the same findings another way, keep the verdict.
      const where = options.fallbackAvailable
        ? "; falling back to the job summary and workflow annotations"
        : "";
      const said = options.warnFallback ?? warn;
      if (isForbidden(failure)) {
        said(
          `the token cannot write checks (${describe(failure)}), as on pull requests from forks; the workflow needs \`permissions: checks: write\`${where}`,
        );
      } else {
        said(`could not write the check run after retries (${describe(failure)})${where}`);
      }
      await options.fallback(report);
    },
  };
}

/** `work`, or an error once `ms` have passed (a real timer, never holding the process). */
async function within(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`GitHub did not answer within ${Math.round(ms / 1000)} s`)),
      ms,
    );
    timer.unref?.();
  });
  try {
    await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
