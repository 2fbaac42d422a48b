import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { resolveGithubTarget } from "../../src/report/github-env.js";
import {
  isForbidden,
  isRateLimited,
  retryDelay,
  withRetry,
} from "../../src/report/github-retry.js";

async function eventFile(payload: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "tat-event-"));
  const path = join(dir, "event.json");
  await writeFile(path, JSON.stringify(payload));
  return path;
}

const BASE = { GITHUB_TOKEN: "ghs_x", GITHUB_REPOSITORY: "acme/deploys", GITHUB_SHA: "merge0000" };

describe("resolveGithubTarget", () => {
  test("pull_request events use the PR head commit, not the synthetic merge commit", async () => {
    const env = {
      ...BASE,
      GITHUB_EVENT_NAME: "pull_request",
      GITHUB_EVENT_PATH: await eventFile({ pull_request: { head: { sha: "head1111" } } }),
    };
    const r = resolveGithubTarget(env);
    expect(r.ok && r.target).toEqual({
      token: "ghs_x",
      owner: "acme",
      repo: "deploys",
      headSha: "head1111",
      apiUrl: "https://api.github.com",
      checkName: "tat-assert",
    });
  });

  test("workflow_run uses the triggering run's commit; push uses GITHUB_SHA", async () => {
    const path = await eventFile({ workflow_run: { head_sha: "wr2222" } });
    const wr = resolveGithubTarget({
      ...BASE,
      GITHUB_EVENT_NAME: "workflow_run",
      GITHUB_EVENT_PATH: path,
    });
    expect(wr.ok && wr.target.headSha).toBe("wr2222");
    const push = resolveGithubTarget({
      ...BASE,
      GITHUB_EVENT_NAME: "push",
      GITHUB_EVENT_PATH: path,
    });
    expect(push.ok && push.target.headSha).toBe("merge0000");
    const unreadable = resolveGithubTarget({
      ...BASE,
      GITHUB_EVENT_NAME: "pull_request",
      GITHUB_EVENT_PATH: "/nonexistent",
    });
    expect(unreadable.ok && unreadable.target.headSha).toBe("merge0000");
  });

  test("options override the environment; GHES API URL is taken from GITHUB_API_URL", () => {
    const r = resolveGithubTarget(
      { ...BASE, GITHUB_API_URL: "https://ghe.example.com/api/v3/" },
      { token: "opt", repository: "o/r", headSha: "abc", checkName: "gate" },
    );
    expect(r.ok && r.target).toMatchObject({
      token: "opt",
      owner: "o",
      repo: "r",
      headSha: "abc",
      apiUrl: "https://ghe.example.com/api/v3",
      checkName: "gate",
    });
    const named = resolveGithubTarget(BASE, { checkName: "gate" }, "from-arg");
    expect(named.ok && named.target.checkName).toBe("from-arg");
  });

  test("says everything that is missing at once", () => {
    const r = resolveGithubTarget({ GITHUB_REPOSITORY: "not-a-repo" });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.missing).toEqual([
      "a token (GITHUB_TOKEN or the github token option)",
      "the repository as owner/name (GITHUB_REPOSITORY)",
      "the commit (GITHUB_SHA or the head SHA option)",
    ]);
  });
});

const err = (status: number | undefined, headers: Record<string, string> = {}, message = "x") => ({
  status,
  message,
  response: { headers },
});

describe("retry policy", () => {
  const policy = { now: () => 1_000_000, sleep: async () => {} };

  test("classifies rate limits apart from permission errors", () => {
    expect(isRateLimited(err(429))).toBe(true);
    expect(isRateLimited(err(403, { "retry-after": "5" }))).toBe(true);
    expect(isRateLimited(err(403, {}, "You have exceeded a secondary rate limit"))).toBe(true);
    expect(isForbidden(err(403, {}, "Resource not accessible by integration"))).toBe(true);
    expect(isForbidden(err(403, { "x-ratelimit-remaining": "0" }))).toBe(false);
  });

  test("waits as GitHub asks, backs off on 5xx, gives up on what retrying cannot fix", () => {
    expect(retryDelay(err(403, { "retry-after": "7" }), 0, policy)).toBe(7000);
    expect(
      retryDelay(
        err(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1030" }),
        0,
        policy,
      ),
    ).toBe(31_000);
    expect(retryDelay(err(429), 0, policy)).toBe(60_000);
    expect(retryDelay(err(403, { "retry-after": "3600" }), 0, policy)).toBeUndefined();
    expect(retryDelay(err(502), 0, policy)).toBe(1000);
    expect(retryDelay(err(503), 2, policy)).toBe(4000);
    expect(retryDelay(err(undefined), 0, policy)).toBe(1000);
    expect(retryDelay(err(422), 0, policy)).toBeUndefined();
    expect(retryDelay(err(403), 0, policy)).toBeUndefined();
  });

  test("withRetry is bounded and sleeps through the injected sleep", async () => {
    const slept: number[] = [];
    let calls = 0;
    const always502 = async () => {
      calls++;
      throw err(502);
    };
    await expect(
      withRetry(always502, { ...policy, retries: 3, sleep: async (ms) => void slept.push(ms) }),
    ).rejects.toMatchObject({ status: 502 });
    expect(calls).toBe(4);
    expect(slept).toEqual([1000, 2000, 4000]);
    let n = 0;
    await expect(
      withRetry(async () => (++n < 2 ? Promise.reject(err(500)) : "ok"), policy),
    ).resolves.toBe("ok");
  });
});
