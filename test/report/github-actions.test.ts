import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import {
  annotationCommands,
  githubActionsReporter,
  jobSummary,
} from "../../src/report/github-actions.js";
import {
  at,
  errorsReport,
  failuresReport,
  manyFailuresReport,
  passReport,
  result,
  run,
  spec,
  task,
} from "./fixtures.js";
import { expectGolden } from "./golden.js";
import { Capture } from "./stream.js";

const paths = { cwd: "/repo" };

describe("workflow command annotations", () => {
  test("golden: failures and could-not-verify", () => {
    expectGolden(
      "annotations/failures.txt",
      `${annotationCommands(failuresReport(), paths).join("\n")}\n`,
    );
    expectGolden(
      "annotations/errors.txt",
      `${annotationCommands(errorsReport(), paths).join("\n")}\n`,
    );
  });

  test("the most important come first: spec-level failures, task failures, then warnings", () => {
    const report = run([...errorsReport().specs, ...failuresReport().specs]);
    const kinds = annotationCommands(report, paths).map((l) =>
      /^::(\w+) .*title=([^,:]*)/.exec(l)?.slice(1, 3).join(" "),
    );
    expect(kinds.slice(0, 3)).toEqual([
      "error api-deploy%3A coverage",
      "error api-deploy%3A quorum",
      "error db-migrate%3A tasks",
    ]);
    const firstWarning = kinds.findIndex((k) => k?.startsWith("warning"));
    expect(kinds.slice(firstWarning).every((k) => k?.startsWith("warning"))).toBe(true);
    expect(kinds[firstWarning]).toBe("warning cache-warm%3A wait not verified");
  });

  test("many instances failing one expectation become one annotation, so the 10 shown per step stay distinct", () => {
    const report = manyFailuresReport(120);
    report.specs[0]?.tasks[7]?.results.push(
      result("output.matches", "fail", "output does not match /ok/", at(16)),
    );
    const lines = annotationCommands(report, paths);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      "::error file=specs/deploy.yml,line=14,title=fleet-rollout%3A exitCode on 120 instances::" +
        [1, 2, 3, 4, 5]
          .map((i) => `ins-000${i}: exit code 1, expected 0 (specs/deploy.yml:14)`)
          .join("%0A") +
        "%0A… and 115 more",
    );
    expect(lines[1]).toMatch(
      /^::error file=specs\/deploy.yml,line=16,title=fleet-rollout%3A output.matches on ins-0008::/,
    );
  });

  test("paths are made relative to the repository (GITHUB_WORKSPACE) with forward slashes", () => {
    const report = run([
      spec(
        "abs",
        "/repo/ops/specs/a.yml",
        [],
        [result("tasks", "fail", "no tasks matched", at(3, "/repo/ops/specs/a.yml"))],
      ),
      spec(
        "rel",
        "specs/b.yml",
        [],
        [result("tasks", "fail", "no tasks matched", at(0, "specs/b.yml"))],
      ),
    ]);
    const lines = annotationCommands(report, { cwd: "/repo/ops", workspace: "/repo" });
    expect(lines[0]).toContain("::error file=ops/specs/a.yml,line=3,");
    expect(lines[1]).toContain("::error file=ops/specs/b.yml,line=1,");
  });

  test("a passing run has nothing to annotate", () => {
    expect(annotationCommands(passReport(), paths)).toEqual([]);
  });
});

describe("github-actions reporter", () => {
  test("appends the job summary to $GITHUB_STEP_SUMMARY and prints annotations to stdout", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tat-gha-"));
    const summary = join(dir, "step", "summary.md");
    const stdout = new Capture();
    const reporter = githubActionsReporter({
      env: { GITHUB_STEP_SUMMARY: summary },
      stdout,
      cwd: "/repo",
      annotations: () => true,
    });
    await reporter.end(failuresReport());
    await reporter.end(passReport());
    const written = await readFile(summary, "utf8");
    expect(written).toBe(`${jobSummary(failuresReport())}\n${jobSummary(passReport())}\n`);
    expect(stdout.lines()).toEqual(annotationCommands(failuresReport(), { cwd: "/repo" }));
  });

  test("leaves annotations to a check run when told so, and skips a missing summary file variable", async () => {
    const stdout = new Capture();
    await githubActionsReporter({ env: {}, stdout, cwd: "/repo", annotations: () => false }).end(
      failuresReport(),
    );
    expect(stdout.text).toBe("");
  });

  test("task output cannot inject workflow commands", () => {
    const report = run([
      spec("inj", "specs/i.yml", [
        task("ins-1", "invt-1", { output: "x" }, [
          result(
            "output.matches",
            "fail",
            "output does not match\n::error::owned",
            at(2, "specs/i.yml"),
            {
              expected: "x\r\n::set-output name=a::b",
              actual: "y",
            },
          ),
        ]),
      ]),
    ]);
    const lines = annotationCommands(report, paths);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.split("\n")).toHaveLength(1);
    expect(lines[0]).toContain("%0A::error::owned");
  });
});

test("two checks failing at one line on one instance are titled by that instance, not as two instances", () => {
  const file = "specs/deploy.yml";
  const report = run([
    spec("deploy", file, [
      task("ins-web003", "invt-1", { status: "FAILED", exitCode: 2, output: "x" }, [
        result("output.matches", "fail", 'output does not contain "deploy ok"', at(17, file)),
        result("output.matches", "fail", "output does not match /version=/", at(17, file, 28)),
      ]),
    ]),
  ]);
  const [command] = annotationCommands(report, paths);
  expect(command).toContain("title=deploy%3A output.matches on ins-web003 (2 checks)::");
});
