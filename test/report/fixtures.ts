// Hand-written RunReports covering what reporters must render: passes, every kind of failure with
// locations, could-not-verify, skipped specs, hostile output. Times are fixed so output is stable.
import type {
  AssertionResult,
  CheckName,
  Counts,
  Outcome,
  RunReport,
  SourceLocation,
  SpecReport,
  TaskObservation,
  TaskReport,
  WaitState,
} from "../../src/model.js";
import { summarizeOutput } from "../../src/wait/output-summary.js";

const T0 = Date.parse("2026-11-01T10:00:00.000Z");
export const iso = (offsetMs: number) => new Date(T0 + offsetMs).toISOString();

export const at = (line: number, file = "specs/deploy.yml", col = 5): SourceLocation => ({
  file,
  line,
  col,
});

export function result(
  check: CheckName,
  outcome: Outcome,
  message: string,
  where: SourceLocation,
  extra: Partial<AssertionResult> = {},
): AssertionResult {
  return { check, outcome, expected: "", actual: "", message, where, ...extra };
}

const RANK: Record<Outcome, number> = { pass: 0, skip: 1, fail: 2, error: 3 };
const worst = (outcomes: Outcome[]): Outcome =>
  outcomes.reduce<Outcome>((w, o) => (RANK[o] > RANK[w] ? o : w), "pass");

/** `output` stands for what the run kept of it: its summary, as the tracker makes it. */
export function task(
  instanceId: string,
  taskId: string,
  { output, ...observed }: Partial<TaskObservation>,
  results: AssertionResult[],
): TaskReport {
  const status = observed.status ?? "SUCCESS";
  const terminal = observed.terminal ?? !["RUNNING", "PENDING", "DELIVERING"].includes(status);
  return {
    taskId,
    instanceId,
    outcome: worst(results.map((r) => r.outcome)),
    results,
    observed: {
      invocationId: "inv-0a1b2c3d",
      taskId,
      instanceId,
      commandId: "cmd-9f8e7d6c",
      status,
      terminal,
      outputFetched: true,
      droppedBytes: 0,
      history: [
        { status: "RUNNING", at: iso(1000) },
        ...(terminal ? [{ status, at: iso(4000) }] : []),
      ],
      ...(terminal
        ? { terminalAt: iso(4000), execStartTime: iso(500), execEndTime: iso(3750) }
        : {}),
      createdTime: iso(0),
      ...(output !== undefined && { outputSummary: summarizeOutput(output) }),
      ...observed,
    },
  };
}

function countOutcomes(outcomes: Outcome[]): Counts {
  const c: Counts = { pass: 0, fail: 0, error: 0, skip: 0 };
  for (const o of outcomes) c[o]++;
  return c;
}

export function spec(
  name: string,
  file: string,
  tasks: TaskReport[],
  fleet: AssertionResult[] = [],
  options: {
    state?: WaitState;
    reason?: string;
    outcome?: Outcome;
    apiErrors?: SpecReport["observation"]["apiErrors"];
    region?: string;
  } = {},
): SpecReport {
  const state = options.state ?? "terminal";
  const statusCounts: Record<string, number> = {};
  for (const t of tasks)
    statusCounts[t.observed.status] = (statusCounts[t.observed.status] ?? 0) + 1;
  const outcome =
    options.outcome ??
    (state === "skipped"
      ? "skip"
      : worst([...tasks.map((t) => t.outcome), ...fleet.map((r) => r.outcome)]));
  return {
    name,
    file,
    where: { file, line: 1, col: 1 },
    region: options.region ?? "ap-guangzhou",
    target: {
      kind: "invocations",
      invocationIds: ["inv-0a1b2c3d"],
      where: { file, line: 4, col: 3 },
    },
    outcome,
    observation: {
      state,
      invocations:
        state === "skipped"
          ? []
          : [
              {
                invocationId: "inv-0a1b2c3d",
                status: "SUCCESS",
                commandId: "cmd-9f8e7d6c",
                timeoutSeconds: 60,
              },
            ],
      startedAt: iso(0),
      endedAt: iso(12_345),
      lastPollAt: iso(12_000),
      polls: state === "skipped" ? 0 : 4,
      deadlineMs: 600_000,
      statusCounts,
      apiErrors: options.apiErrors ?? [],
      ...(options.reason ? { reason: options.reason } : {}),
    },
    tasks,
    fleet,
    counts: countOutcomes(tasks.map((t) => t.outcome)),
    durationMs: state === "skipped" ? 0 : 12_345,
  };
}

const EXIT: Record<Outcome, number> = { pass: 0, skip: 0, fail: 1, error: 3 };

export function run(specs: SpecReport[], errors: RunReport["errors"] = []): RunReport {
  const outcome =
    specs.length === 0
      ? "pass"
      : specs.every((s) => s.outcome === "skip")
        ? "skip"
        : worst(specs.map((s) => s.outcome).filter((o) => o !== "skip"));
  return {
    reportVersion: 1,
    tool: { name: "tat-assert", version: "0.1.0" },
    startedAt: iso(0),
    endedAt: iso(13_000),
    durationMs: 13_000,
    outcome,
    exitCode: errors.length > 0 ? 4 : EXIT[outcome],
    specs,
    counts: countOutcomes(specs.map((s) => s.outcome)),
    errors,
  };
}

const ok = (line: number) => [
  result("status", "pass", "status SUCCESS", at(line), { expected: "SUCCESS", actual: "SUCCESS" }),
  result("exitCode", "pass", "exit code 0", at(line + 1), { expected: "0", actual: "0" }),
];

export function passSpec(): SpecReport {
  return spec("web-deploy", "specs/deploy.yml", [
    task("ins-a1", "invt-a1", { exitCode: 0, output: "deployed web 1.4.2\n" }, ok(10)),
    task("ins-a2", "invt-a2", { exitCode: 0, output: "deployed web 1.4.2\n" }, ok(10)),
  ]);
}

export const passReport = () => run([passSpec()]);

/** One failing task per expectation kind, plus spec-level coverage and quorum failures. */
export function failuresSpec(): SpecReport {
  const file = "specs/api.yml";
  return spec(
    "api-deploy",
    file,
    [
      task(
        "ins-b1",
        "invt-b1",
        { exitCode: 2, status: "FAILED", output: "migrating…\nerror: lock held\n" },
        [
          result("exitCode", "fail", "exit code 2, expected 0", at(14, file), {
            expected: "0",
            actual: "2",
          }),
        ],
      ),
      task("ins-b2", "invt-b2", { exitCode: 1, status: "FAILED", output: "starting\nboom\n" }, [
        result("status", "fail", "status FAILED, expected SUCCESS", at(12, file), {
          expected: "SUCCESS",
          actual: "FAILED",
        }),
        result("output.matches", "fail", "output does not match /version=\\d+/", at(16, file, 9), {
          expected: "matches /version=\\d+/",
          actual: "no line matches",
          excerpt: "starting\nboom",
        }),
      ]),
      task("ins-b3", "invt-b3", { exitCode: 0, output: "ok\nERROR: disk 91% full\nok\n" }, [
        result("output.notMatches", "fail", "output matches /ERROR/ at line 2", at(18, file, 9), {
          expected: "no line matches /ERROR/",
          actual: "line 2: ERROR: disk 91% full",
          excerpt: "  1 | ok\n> 2 | ERROR: disk 91% full\n  3 | ok",
        }),
      ]),
      task(
        "ins-b4",
        "invt-b4",
        { exitCode: 0, output: "slow\n", execStartTime: iso(0), execEndTime: iso(95_000) },
        [
          result("duration", "fail", "ran 95.0 s, expected at most 60 s", at(20, file), {
            expected: "≤ 60 s",
            actual: "95.0 s",
          }),
        ],
      ),
      task("ins-b5", "invt-b5", { exitCode: 0, output: "x".repeat(200), droppedBytes: 1024 }, [
        result(
          "truncated",
          "fail",
          "output truncated (1,024 bytes dropped), expected complete output",
          at(22, file),
          {
            expected: "not truncated",
            actual: "1024 bytes dropped",
          },
        ),
      ]),
      task(
        "ins-b6",
        "invt-b6",
        { exitCode: 0, output: "fine\n" },
        ok(12).map((r) => ({ ...r, where: { ...r.where, file } })),
      ),
    ],
    [
      result("coverage", "fail", "1 instance has no task: ins-b9", at(24, file), {
        expected: "tasks on ins-b1 … ins-b9",
        actual: "no task on ins-b9",
      }),
      result("quorum", "fail", "1 of 6 tasks passed, at least 90% required", at(28, file), {
        expected: "≥ 90% pass",
        actual: "17% pass",
      }),
    ],
  );
}

export function noTasksSpec(): SpecReport {
  const file = "specs/db.yml";
  return spec(
    "db-migrate",
    file,
    [],
    [
      result("tasks", "fail", "no tasks matched the target", at(4, file), {
        expected: "at least 1 task",
        actual: "0 tasks",
      }),
    ],
  );
}

export const failuresReport = () => run([failuresSpec(), noTasksSpec(), passSpec()]);

/** Could not verify: a wait that timed out, an API that refused, a target never found. */
export function errorsReport(): RunReport {
  const timeout = spec(
    "cache-warm",
    "specs/cache.yml",
    [
      task(
        "ins-c1",
        "invt-c1",
        { exitCode: 0, output: "warm\n" },
        ok(8).map((r) => ({ ...r, where: { ...r.where, file: "specs/cache.yml" } })),
      ),
      task("ins-c2", "invt-c2", { status: "RUNNING", outputFetched: false }, [
        result("status", "error", "not verified: still RUNNING", at(8, "specs/cache.yml"), {
          expected: "SUCCESS",
          actual: "RUNNING",
        }),
      ]),
    ],
    [
      result(
        "wait",
        "error",
        "wait timed out after 600.0 s: RUNNING ×1 (ins-c2); last poll 10:10:00",
        at(6, "specs/cache.yml"),
        {
          expected: "every task terminal within 600 s",
          actual: "1 task still RUNNING",
        },
      ),
    ],
    { state: "timeout", reason: "deadline of 600 s reached" },
  );
  const apiError = spec(
    "cdn-purge",
    "specs/cdn.yml",
    [],
    [
      result(
        "wait",
        "error",
        "DescribeInvocationTasks failed: AuthFailure.SignatureFailure (RequestId 7f1c-22)",
        at(5, "specs/cdn.yml"),
        {
          expected: "the API to answer",
          actual: "AuthFailure.SignatureFailure",
        },
      ),
    ],
    {
      state: "api-error",
      reason: "AuthFailure.SignatureFailure: The provided credentials could not be validated.",
      apiErrors: [
        {
          action: "DescribeInvocationTasks",
          code: "RequestLimitExceeded",
          message: "too many requests",
          requestId: "5e0a-11",
          at: iso(2000),
          recovered: true,
        },
        {
          action: "DescribeInvocationTasks",
          code: "AuthFailure.SignatureFailure",
          message: "The provided credentials could not be validated.",
          requestId: "7f1c-22",
          at: iso(6000),
          recovered: false,
        },
      ],
    },
  );
  const notFound = spec(
    "edge-sync",
    "specs/edge.yml",
    [],
    [
      result("wait", "error", "invocation inv-404 not found after 30 s", at(4, "specs/edge.yml"), {
        expected: "the invocation to exist",
        actual: "not found",
      }),
    ],
    { state: "not-found", reason: "InvalidParameterValue.InvocationNotFound for 30 s" },
  );
  return run([timeout, apiError, notFound]);
}

export function skippedSpec(): SpecReport {
  return spec("dns-switch", "specs/dns.yml", [], [], {
    state: "skipped",
    reason: "skip: waiting for the change window",
  });
}

export const skippedReport = () => run([skippedSpec(), passSpec()]);
export const allSkippedReport = () => run([skippedSpec()]);

export function abortedReport(): RunReport {
  const file = "specs/deploy.yml";
  return run([
    spec(
      "web-deploy",
      file,
      [
        task("ins-a1", "invt-a1", { exitCode: 0, output: "ok\n" }, ok(10)),
        task("ins-a2", "invt-a2", { status: "RUNNING", outputFetched: false }, [
          result("status", "error", "not verified: still RUNNING", at(10), {
            expected: "SUCCESS",
            actual: "RUNNING",
          }),
        ]),
      ],
      [
        result(
          "wait",
          "error",
          "run cancelled (SIGTERM) after 12.3 s: RUNNING ×1 (ins-a2)",
          at(6),
          { expected: "every task terminal", actual: "cancelled" },
        ),
      ],
      { state: "aborted", reason: "SIGTERM" },
    ),
  ]);
}

/** Output no XML writer should trust: escapes, controls, CDATA terminators, broken UTF-16, size. */
export const NASTY_OUTPUT = [
  "\u001b[31mred\u001b[0m and \u001b[1;32mbold green\u001b[0m",
  "osc title: \u001b]0;my title\u0007 done",
  "nul:\u0000 bell:\u0007 backspace:\b vt:\u000b ff:\f esc-alone:\u001b del:\u007f c1:\u0085",
  "cdata end: ]]> and ]]]]>",
  "markup: <b>&amp; \"quoted\" 'single'</b> | pipe | `tick` ```fence```",
  "replacement from invalid UTF-8: \uFFFD\uFFFD",
  "lone surrogates: \uD800 and \uDC00, pair ok: 😀, nonchars: \uFFFE\uFFFF",
  "::error file=x,line=1::injected workflow command",
  "crlf line\r\nend",
].join("\n");

export function nastyReport(): RunReport {
  const file = "specs/nasty.yml";
  const huge = `${"head line\n".repeat(5000)}${"middle ".repeat(30_000)}\n${"tail line\n".repeat(5000)}`;
  return run([
    spec('nasty <&> "output"', file, [
      task("ins-n1", "invt-n1", { exitCode: 3, status: "FAILED", output: NASTY_OUTPUT }, [
        result("exitCode", "fail", "exit code 3, expected 0", at(7, file), {
          expected: "0",
          actual: "3",
        }),
        result("output.matches", "fail", 'output does not match "ready <&>"', at(9, file), {
          expected: 'contains "ready <&>"',
          actual: "no line contains it",
          excerpt: NASTY_OUTPUT,
        }),
      ]),
      task("ins-n2", "invt-n2", { exitCode: 0, output: huge, droppedBytes: 2048 }, [
        result(
          "output.notMatches",
          "error",
          "cannot check output.notMatches: output truncated (2,048 bytes dropped)",
          at(11, file),
          {
            expected: "no line matches /panic/",
            actual: "output truncated",
          },
        ),
      ]),
    ]),
  ]);
}

/** `n` tasks each failing its exit code expectation. */
export function manyFailuresReport(n: number, messagePad = 0): RunReport {
  const tasks = Array.from({ length: n }, (_, i) => {
    const id = String(i + 1).padStart(4, "0");
    return task(`ins-${id}`, `invt-${id}`, { exitCode: 1, status: "FAILED", output: "failed\n" }, [
      result("exitCode", "fail", `exit code 1, expected 0${" ".repeat(messagePad)}`, at(14), {
        expected: "0",
        actual: "1",
      }),
    ]);
  });
  return run([spec("fleet-rollout", "specs/deploy.yml", tasks)]);
}

/** Every report above by golden-file name: each reporter renders them all. */
export const GOLDEN_CASES: Record<string, () => RunReport> = {
  pass: passReport,
  failures: failuresReport,
  errors: errorsReport,
  skipped: skippedReport,
  "all-skipped": allSkippedReport,
  aborted: abortedReport,
  nasty: nastyReport,
};
