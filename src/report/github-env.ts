// Where the check run goes: token, repository, commit and API root, from explicit options first,
// then from the variables the Actions runner sets.
import { readFileSync } from "node:fs";

export interface GithubOptions {
  token?: string;
  checkName?: string;
  /** "owner/name" */
  repository?: string;
  headSha?: string;
  apiUrl?: string;
}

export interface GithubTarget {
  token: string;
  owner: string;
  repo: string;
  headSha: string;
  apiUrl: string;
  checkName: string;
}

export const DEFAULT_CHECK_NAME = "tat-assert";
export const DEFAULT_API_URL = "https://api.github.com";

function readEvent(path: string | undefined): Record<string, unknown> | undefined {
  if (!path) return undefined;
  try {
    const value: unknown = JSON.parse(readFileSync(path, "utf8"));
    return value !== null && typeof value === "object"
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function pick(value: unknown, ...keys: string[]): string | undefined {
  let v = value;
  for (const k of keys)
    v = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined;
  return typeof v === "string" && v !== "" ? v : undefined;
}

/**
 * On pull_request events GITHUB_SHA is a synthetic merge commit whose checks the pull request
 * never shows; the PR's head commit is in the event payload. On workflow_run it is the default
 * branch tip; the triggering run's commit is in the payload too.
 */
export function eventHeadSha(env: Record<string, string | undefined>): string | undefined {
  const name = env.GITHUB_EVENT_NAME ?? "";
  if (!name.startsWith("pull_request") && name !== "workflow_run") return undefined;
  const event = readEvent(env.GITHUB_EVENT_PATH);
  return name === "workflow_run"
    ? pick(event, "workflow_run", "head_sha")
    : pick(event, "pull_request", "head", "sha");
}

export type TargetResult = { ok: true; target: GithubTarget } | { ok: false; missing: string[] };

export function resolveGithubTarget(
  env: Record<string, string | undefined>,
  options: GithubOptions = {},
  checkName?: string,
): TargetResult {
  const token = options.token || env.GITHUB_TOKEN;
  const repository = options.repository || env.GITHUB_REPOSITORY;
  const headSha = options.headSha || eventHeadSha(env) || env.GITHUB_SHA;
  const [owner, repo, ...extra] = (repository ?? "").split("/");
  const missing: string[] = [];
  if (!token) missing.push("a token (GITHUB_TOKEN or the github token option)");
  if (!owner || !repo || extra.length > 0)
    missing.push("the repository as owner/name (GITHUB_REPOSITORY)");
  if (!headSha) missing.push("the commit (GITHUB_SHA or the head SHA option)");
  if (!token || !owner || !repo || extra.length > 0 || !headSha) return { ok: false, missing };
  return {
    ok: true,
    target: {
      token,
      owner,
      repo,
      headSha,
      apiUrl: (options.apiUrl || env.GITHUB_API_URL || DEFAULT_API_URL).replace(/\/+$/, ""),
      checkName: checkName || options.checkName || DEFAULT_CHECK_NAME,
    },
  };
}
