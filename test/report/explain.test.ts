// The explain reporter alone, on the shared report fixtures: what it says about waits that did not
// finish, API errors, skipped specs and run errors, that --quiet leaves passing tasks out, and that
// hostile text in a report comes out defused. (test/cli/explain.test.ts runs it through the CLI.)
import { describe, expect, test } from "@jest/globals";
import { renderExplain } from "../../src/report/explain.js";
import { verdictText } from "../../src/report/verdict-text.js";
import {
  errorsReport,
  failuresReport,
  nastyReport,
  passReport,
  run,
  skippedSpec,
} from "./fixtures.js";

const plain = { paint: (_: string, text: string) => text, quiet: false, verbose: false };

describe("renderExplain", () => {
  test("a wait that did not finish: how it ended, and a task still running says so per check", () => {
    const report = errorsReport();
    const text = renderExplain(report, plain);
    expect(text).toContain("ERROR cache-warm (specs/cache.yml:");
    expect(text).toContain(
      "  wait: the deadline passed first after 4 polls (deadline 10m): deadline of 600 s reached",
    );
    expect(text).toMatch(
      /! status {2}not verified: still RUNNING {2}\(specs\/cache\.yml:8\)\n {8}expected SUCCESS; the task was still RUNNING/,
    );
    expect(text).toContain("TaskStatus RUNNING (not terminal)");
    // Every API error, recovered or not, with its RequestId.
    expect(text).toContain(
      "  API: DescribeInvocationTasks answered RequestLimitExceeded: too many requests (RequestId 5e0a-11), recovered on retry",
    );
    expect(text).toContain(
      "  API: DescribeInvocationTasks answered AuthFailure.SignatureFailure: The provided credentials could not be validated. (RequestId 7f1c-22)\n",
    );
    expect(text).toContain("  wait: the target was never found");
    // The report's own exit code, in the gate's words.
    expect(text.endsWith(`\nexit ${report.exitCode}: ${verdictText(report)}\n`)).toBe(true);
  });

  test("a skipped spec says why and is not polled; run errors name their spec line", () => {
    const report = run(
      [skippedSpec()],
      [{ kind: "spec", message: "bad field", where: { file: "specs/x.yml", line: 7, col: 3 } }],
    );
    const text = renderExplain(report, plain);
    expect(text).toContain("SKIP  dns-switch (specs/dns.yml:");
    expect(text).toContain("  wait: skipped: skip: waiting for the change window");
    expect(text).not.toContain("no tasks were seen");
    expect(text).toContain("error: bad field (specs/x.yml:7)");
  });

  test("--quiet leaves out the tasks that passed, never the others", () => {
    const all = renderExplain(failuresReport(), plain);
    const quiet = renderExplain(failuresReport(), { ...plain, quiet: true });
    expect(all).toMatch(/\n {2}PASS {2}ins-/);
    expect(quiet).not.toMatch(/\n {2}PASS {2}ins-/);
    expect(quiet).toMatch(/\n {2}FAIL {2}ins-/);
    expect(renderExplain(passReport(), { ...plain, quiet: true })).toContain("exit 0");
  });

  test("hostile text in a report: no escape sequence, no control character, no line a runner obeys", () => {
    const text = renderExplain(nastyReport(), plain);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for them is the point
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(text).not.toMatch(/^\s*(::|##\[)/m);
    expect(text).toContain("| ::error file=x,line=1::injected workflow command");
    expect(text).toContain('nasty <&> "output"');
  });
});
