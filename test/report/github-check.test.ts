import { mkdtemp, readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import type { RunReport } from "../../src/model.js";
import { END_BUDGET_MS } from "../../src/report/github-check.js";
import {
  automaticReporters,
  createReporters,
  type ReporterContext,
} from "../../src/report/registry.js";
import type { RunStart } from "../../src/report/reporter.js";
import { renderSummary } from "../../src/report/summary-markdown.js";
import { DEFAULT_REPORTER_TIMEOUT_MS } from "../../src/run.js";
import { type FakeGithub, startFakeGithub } from "../helpers/fake-github.js";
import {
  abortedReport,
  allSkippedReport,
  errorsReport,
  failuresReport,
  manyFailuresReport,
  passReport,
  run,
} from "./fixtures.js";
import { expectGolden } from "./golden.js";
import { Capture } from "./stream.js";

const TOKEN = "ghs_fakeTokenForTests0123456789";

let fake: FakeGithub;
beforeEach(async () => {
  fake = await startFakeGithub({ token: TOKEN });
});
afterEach(async () => {
  await fake.close();
});

interface Harness {
  ctx: ReporterContext;
  stderr: Capture;
  stdout: Capture;
  slept: number[];
  clock: { now: number };
}

function harness(
  env: Record<string, string | undefined> = {},
  extra: Partial<ReporterContext> = {},
): Harness {
  const stderr = new Capture();
  const stdout = new Capture();
  const slept: number[] = [];
  const clock = { now: 1_000_000 };
  const ctx: ReporterContext = {
    env: {
      GITHUB_TOKEN: TOKEN,
      GITHUB_REPOSITORY: "acme/deploys",
      GITHUB_SHA: "a".repeat(40),
      GITHUB_API_URL: fake.url,
      ...env,
    },
    cwd: "/repo",
    stderr,
    stdout,
    now: () => clock.now,
    sleep: async (ms) => {
      slept.push(ms);
      clock.now += ms;
    },
    ...extra,
  };
  return { ctx, stderr, stdout, slept, clock };
}

const check = (h: Harness) => {
  const [reporter] = createReporters(["github-check"], h.ctx);
  if (!reporter) throw new Error("no reporter");
  return reporter;
};

function runStart(report: RunReport): RunStart {
  return {
    startedAt: report.startedAt,
    specs: report.specs.map((s) => ({
      name: s.name,
      file: s.file,
      where: s.where,
      target: s.target,
      deadlineMs: 600_000,
    })),
  };
}

/** Progress writes happen in the background; wait for the fake to have seen them. */
async function requestsReach(n: number) {
  while (fake.requests.length < n) await new Promise((r) => setImmediate(r));
}

function expectAllValid() {
  for (const r of fake.requests)
    expect({ path: r.path, errors: r.errors }).toEqual({ path: r.path, errors: [] });
}

const bodies = () =>
  fake.requests.map((r) => ({ method: r.method, path: r.path, status: r.status, body: r.body }));

describe("github-check reporter against a fake GitHub (bodies checked with GitHub's OpenAPI schemas)", () => {
  test("in_progress when waiting starts, throttled progress, completed with failure and annotations", async () => {
    const h = harness();
    const reporter = check(h);
    const report = failuresReport();
    await reporter.start?.(runStart(report));
    const progress = (terminal: number) => ({
      spec: "api-deploy",
      file: "specs/api.yml",
      terminal,
      total: 6,
      statusCounts: { SUCCESS: terminal, RUNNING: 6 - terminal },
      elapsedMs: 1000 * terminal,
      deadlineMs: 600_000,
      polls: terminal,
      at: "2026-11-01T10:00:01.000Z",
    });
    await reporter.progress?.(progress(0)); // right after creating the run: not sent
    h.clock.now += 16_000;
    await reporter.progress?.(progress(1));
    await requestsReach(2);
    h.clock.now += 5_000; // within the 15 s interval: not sent
    await reporter.progress?.(progress(2));
    h.clock.now += 11_000;
    await reporter.progress?.(progress(4));
    await requestsReach(3);
    await reporter.end(report);

    expectAllValid();
    expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "POST /repos/acme/deploys/check-runs 201",
      "PATCH /repos/acme/deploys/check-runs/4242 200",
      "PATCH /repos/acme/deploys/check-runs/4242 200",
      "PATCH /repos/acme/deploys/check-runs/4242 200",
    ]);
    expect(fake.requests[0]?.headers.authorization).toBe(`token ${TOKEN}`);
    expect((fake.requests[2]?.body as { output?: { title: string } })?.output?.title).toBe(
      "Waiting: 4 of 6 tasks finished",
    );
    const state = fake.runs.get(4242);
    expect(state).toMatchObject({
      status: "completed",
      conclusion: "failure",
      head_sha: "a".repeat(40),
      name: "tat-assert",
    });
    expect(state?.output.title).toBe("2 of 3 specs failed");
    expect(state?.annotations).toHaveLength(9);
    expect(state?.annotations[0]).toEqual({
      path: "specs/api.yml",
      start_line: 24,
      end_line: 24,
      annotation_level: "failure",
      title: "api-deploy: coverage",
      message:
        "1 instance has no task: ins-b9 (specs/api.yml:24)\nexpected: tasks on ins-b1 … ins-b9\nactual: no task on ins-b9",
    });
    expect(h.stderr.text).toBe("");
    expectGolden("check/failures.json", `${JSON.stringify(bodies(), null, 2)}\n`);
  });

  test.each([
    ["pass", "success", "All 1 spec passed (2 tasks)", passReport],
    [
      "errors",
      "failure",
      "Could not verify 3 of 3 specs (wait timed out, cloud API error, target not found)",
      errorsReport,
    ],
    [
      "aborted",
      "cancelled",
      "Cancelled: could not verify 1 of 1 spec (run cancelled)",
      abortedReport,
    ],
    ["all-skipped", "skipped", "All 1 spec skipped: nothing was checked", allSkippedReport],
  ] as const)(
    "%s → conclusion %s in one request when no start hook ran",
    async (_name, conclusion, title, make) => {
      await check(harness()).end(make());
      expectAllValid();
      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0]?.body).toMatchObject({
        status: "completed",
        conclusion,
        output: { title },
      });
    },
  );

  test("120 failures → annotations in batches of 50 over 3 updates, the last one completing", async () => {
    const h = harness();
    const reporter = check(h);
    const report = manyFailuresReport(120);
    await reporter.start?.(runStart(report));
    await reporter.end(report);
    expectAllValid();
    const patches = fake.requests.filter((r) => r.method === "PATCH");
    const sizes = patches.map(
      (r) => (r.body as { output: { annotations: unknown[] } }).output.annotations.length,
    );
    expect(sizes).toEqual([50, 50, 20]);
    expect(patches.map((r) => (r.body as { conclusion?: string }).conclusion)).toEqual([
      undefined,
      undefined,
      "failure",
    ]);
    expect(fake.runs.get(4242)?.annotations).toHaveLength(120);
  });

  test("without a start hook, many annotations are created in_progress first, then completed", async () => {
    await check(harness()).end(manyFailuresReport(120));
    expectAllValid();
    expect(fake.requests.map((r) => [r.method, (r.body as { status?: string }).status])).toEqual([
      ["POST", "in_progress"],
      ["PATCH", undefined],
      ["PATCH", "completed"],
    ]);
    expect(fake.runs.get(4242)?.annotations).toHaveLength(120);
  });

  test("annotations are capped (each 50 cost a request) and the summary says how many were left out", async () => {
    const h = harness({}, { github: { maxAnnotations: 100 } });
    await check(h).end(manyFailuresReport(130));
    expectAllValid();
    expect(fake.runs.get(4242)?.annotations).toHaveLength(100);
    expect(fake.runs.get(4242)?.output.summary).toContain(
      "_30 more annotations were not posted (limit 100)._",
    );
  });

  test("a summary that just fits beside the note on annotations left out still fits", async () => {
    const report = manyFailuresReport(3);
    const note = "_2 more annotations were not posted (limit 1)._\n\n";
    const size = (region: string) => {
      const s = report.specs[0];
      if (s) s.region = region;
      return Buffer.byteLength(
        renderSummary(report, { maxBytes: 1e9, limitName: "", heading: false }),
      );
    };
    // The region is written once: pad it until the summary alone is as long as it may be.
    size("r");
    const region = "r".repeat(1 + 65_535 - note.length - size("r"));
    expect(size(region)).toBe(65_535 - note.length);
    await check(harness({}, { github: { maxAnnotations: 1 } })).end(report);
    expectAllValid();
    const summary = fake.runs.get(4242)?.output.summary ?? "";
    expect(summary).toContain(note.trim());
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(65_535);
  });

  test("summary and details over 65,535 characters are cut with a note and still accepted", async () => {
    const base = manyFailuresReport(60, 400).specs[0];
    if (!base) throw new Error("fixture");
    const big = run(Array.from({ length: 40 }, (_, i) => ({ ...base, name: `spec-${i}` })));
    await check(harness()).end(big);
    expectAllValid();
    const output = fake.runs.get(4242)?.output;
    expect(Buffer.byteLength(output?.summary ?? "")).toBeLessThanOrEqual(65_535);
    expect(output?.summary).toMatch(/characters cut to fit GitHub's 65,535-character limit/);
    expect(output?.text).toMatch(/more results left out to fit GitHub's 65,535-character limit/);
  });

  test("retries 5xx with back-off and secondary rate limits as long as Retry-After says", async () => {
    const h = harness();
    fake.fail({ method: "POST", status: 502 });
    fake.fail({
      method: "POST",
      status: 403,
      headers: { "retry-after": "3" },
      body: { message: "You have exceeded a secondary rate limit." },
    });
    fake.fail({ method: "POST", status: 429, headers: { "retry-after": "1" } });
    await check(h).end(passReport());
    expect(fake.requests.map((r) => r.status)).toEqual([502, 403, 429, 201]);
    expect(h.slept).toEqual([1000, 3000, 1000]);
    expect(fake.runs.get(4242)?.conclusion).toBe("success");
  });
});

describe("when the check cannot be written", () => {
  const actionsEnv = async () => {
    const dir = await mkdtemp(join(tmpdir(), "tat-check-"));
    return {
      GITHUB_ACTIONS: "true",
      GITHUB_STEP_SUMMARY: join(dir, "summary.md"),
      GITHUB_WORKSPACE: "/repo",
    };
  };
  const forbidden = {
    status: 403,
    body: { message: "Resource not accessible by integration" },
    times: 10,
  };

  /** Under Actions the fallback is said once, as a `::warning::` the run's page shows. */
  const fallbackWarnings = (h: Harness) =>
    h.stdout.lines().filter((l) => l.startsWith("::warning title=tat-assert github-check::"));

  test("403 (a fork's read-only token): warns once, falls back to summary and annotations, does not throw", async () => {
    const env = await actionsEnv();
    const h = harness(env);
    const reporters = [...createReporters(["github-check"], h.ctx), ...automaticReporters(h.ctx)];
    fake.fail(forbidden);
    const report = failuresReport();
    for (const r of reporters) await r.start?.(runStart(report));
    await Promise.all(reporters.map((r) => r.end(report)));
    expect(fake.requests).toHaveLength(1); // no further attempts once refused
    expect(h.stderr.lines()).toEqual([]);
    const warnings = fallbackWarnings(h);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /::the token cannot write checks \(HTTP 403: Resource not accessible by integration\).*falling back to the job summary and workflow annotations$/,
    );
    const summary = await readFile(env.GITHUB_STEP_SUMMARY, "utf8");
    expect(summary.match(/### ❌ tat-assert: 2 of 3 specs failed/g)).toHaveLength(1);
    const annotations = h.stdout.lines().filter((l) => !l.startsWith("::warning title=tat-assert"));
    expect(annotations).toHaveLength(9);
    expect(annotations.every((l) => l.startsWith("::error file=specs/"))).toBe(true);
    expect(h.stderr.text + h.stdout.text + summary).not.toContain(TOKEN);
  });

  test("outside Actions the 403 warning is a stderr line and nothing else is written", async () => {
    const h = harness();
    fake.fail(forbidden);
    await check(h).end(failuresReport());
    expect(h.stderr.lines()).toHaveLength(1);
    expect(h.stderr.lines()[0]).toMatch(/^warning: github-check: the token cannot write checks/);
    expect(h.stdout.text).toBe("");
  });

  test("403 with the check reporter alone still writes the job summary itself", async () => {
    const env = await actionsEnv();
    const h = harness(env);
    fake.fail(forbidden);
    await check(h).end(failuresReport());
    expect(await readFile(env.GITHUB_STEP_SUMMARY, "utf8")).toContain("2 of 3 specs failed");
    expect(h.stdout.lines()).toHaveLength(10);
    expect(fallbackWarnings(h)).toHaveLength(1);
  });

  test("with a working check, the automatic reporter writes the summary but leaves annotations to the check", async () => {
    const env = await actionsEnv();
    const h = harness(env);
    const reporters = [...createReporters(["github-check"], h.ctx), ...automaticReporters(h.ctx)];
    for (const r of reporters) await r.end(failuresReport());
    expect(h.stdout.text).toBe("");
    expect(await readFile(env.GITHUB_STEP_SUMMARY, "utf8")).toContain("2 of 3 specs failed");
    expect(fake.runs.get(4242)?.annotations).toHaveLength(9);
  });

  test.each([502, 503])(
    "persistent %i: bounded retries, then the same fallback as 403 and no error (the verdict stands)",
    async (status) => {
      const env = await actionsEnv();
      const h = harness(env);
      fake.fail({ status, times: 100 });
      await check(h).end(failuresReport());
      expect(fake.requests).toHaveLength(4);
      expect(h.stderr.lines()).toEqual([]);
      const warnings = fallbackWarnings(h);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(
        `could not write the check run after retries (HTTP ${status}: injected ${status}); falling back to the job summary and workflow annotations`,
      );
      expect(await readFile(env.GITHUB_STEP_SUMMARY, "utf8")).toContain("2 of 3 specs failed");
      expect(h.stdout.lines().filter((l) => l.startsWith("::error file=specs/"))).toHaveLength(9);
    },
  );

  test("a GitHub that never answers: the end gives up within its budget and falls back, the verdict kept", async () => {
    // Accepts every connection and answers none, as a hung proxy does.
    const hung = createServer(() => {});
    await new Promise<void>((r) => hung.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
    try {
      const h = harness(
        { ...(await actionsEnv()), GITHUB_API_URL: url },
        { github: { endBudgetMs: 1_000 }, now: Date.now },
      );
      const reporter = check(h);
      const report = failuresReport();
      reporter.start?.(runStart(report));
      const started = Date.now();
      await reporter.end?.(report);
      // The start's write still hangs, and the end does not wait it out.
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(fallbackWarnings(h)).toEqual([
        expect.stringMatching(
          /could not write the check run after retries \(GitHub did not answer within 1 s\); falling back/,
        ),
      ]);
      // The fallback's annotations are there instead.
      expect(h.stdout.lines().some((l) => l.startsWith("::error file=specs/"))).toBe(true);
    } finally {
      hung.closeAllConnections();
      await new Promise<void>((r) => hung.close(() => r()));
    }
  });

  test("the end's budget leaves the fallback room inside the reporters' default time", () => {
    expect(END_BUDGET_MS).toBeLessThanOrEqual(DEFAULT_REPORTER_TIMEOUT_MS - 5_000);
  });

  test("a failure while waiting is retried at the end instead of breaking the wait", async () => {
    const h = harness();
    const reporter = check(h);
    fake.fail({ method: "POST", status: 500, times: 4 });
    await reporter.start?.(runStart(passReport()));
    await reporter.end(passReport());
    expect(fake.requests.map((r) => r.status)).toEqual([500, 500, 500, 500, 201]);
    expect(h.stderr.lines()).toEqual([
      "warning: github-check: could not update the check run while waiting (HTTP 500: injected 500); will try again at the end",
    ]);
    expect(fake.runs.get(4242)?.conclusion).toBe("success");
  });
});

describe("registry wiring for the check", () => {
  test("secrets are masked in every request body", async () => {
    const secret = "tencent-secret-key-value-XYZ";
    const report = failuresReport();
    const first = report.specs[0]?.tasks[0]?.results[0];
    if (!first) throw new Error("fixture");
    first.message = `exit code 2 with key ${secret}`;
    first.excerpt = Buffer.from(`KEY=${secret}`).toString("base64");
    await check(harness({}, { secrets: [secret] })).end(report);
    const sent = JSON.stringify(fake.requests.map((r) => r.body));
    expect(sent).toContain("exit code 2 with key ***");
    expect(sent).not.toContain(secret);
    expect(sent).not.toContain(Buffer.from(secret).toString("base64").slice(4, 24));
  });

  test("the check name can be given as the reporter argument", async () => {
    const h = harness();
    const [reporter] = createReporters(["github-check:deploy gate"], h.ctx);
    await reporter?.end(passReport());
    expect(fake.requests[0]?.body).toMatchObject({ name: "deploy gate", head_sha: "a".repeat(40) });
  });
});
