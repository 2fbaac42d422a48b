import { describe, expect, test } from "@jest/globals";
import { utf8Length } from "../../src/report/cap.js";
import {
  renderDetails,
  renderProgress,
  renderSummary,
  runTitle,
} from "../../src/report/summary-markdown.js";
import {
  abortedReport,
  allSkippedReport,
  errorsReport,
  failuresReport,
  GOLDEN_CASES,
  manyFailuresReport,
  passReport,
  run,
  skippedReport,
} from "./fixtures.js";
import { expectGolden } from "./golden.js";

const LIMIT = { maxBytes: 65_535, limitName: "GitHub's 65,535-character limit" };

describe("Markdown summary", () => {
  for (const [name, make] of Object.entries(GOLDEN_CASES)) {
    test(`golden: ${name}`, () => {
      const report = make();
      expectGolden(
        `summary/${name}.md`,
        `${renderSummary(report, LIMIT)}\n<!-- details -->\n${renderDetails(report, 65_535, "the limit")}`,
      );
    });
  }

  test("titles say what happened in numbers", () => {
    expect(runTitle(passReport())).toBe("All 1 spec passed (2 tasks)");
    expect(runTitle(failuresReport())).toBe("2 of 3 specs failed");
    expect(runTitle(errorsReport())).toBe(
      "Could not verify 3 of 3 specs (wait timed out, cloud API error, target not found)",
    );
    expect(runTitle(abortedReport())).toBe(
      "Cancelled: could not verify 1 of 1 spec (run cancelled)",
    );
    expect(runTitle(allSkippedReport())).toBe("All 1 spec skipped: nothing was checked");
    expect(runTitle(skippedReport())).toBe("All 1 spec passed (2 tasks), 1 skipped");
    expect(runTitle(run([], [{ kind: "api", message: "no credentials found" }]))).toBe(
      "Run error: no credentials found",
    );
  });

  test("large fleets show the instances that did not pass first, capped, with a count of the rest", () => {
    const md = renderSummary(manyFailuresReport(120), LIMIT);
    expect(md).toContain("_… and 70 more instances (50 shown, those that did not pass first)._");
    expect(md).toContain("_… and 70 more (see the details or the JSON report)._");
  });

  test("a summary over the limit is cut at a line with a note, within the byte limit", () => {
    const base = manyFailuresReport(60, 200).specs[0];
    if (!base) throw new Error("fixture");
    const big = run(Array.from({ length: 40 }, (_, i) => ({ ...base, name: `spec-${i}` })));
    const md = renderSummary(big, LIMIT);
    expect(utf8Length(md)).toBeLessThanOrEqual(65_535);
    expect(md).toMatch(
      /\n\n---\n_[\d,]+ characters cut to fit GitHub's 65,535-character limit; the JSON report has everything\._\n$/,
    );
    const details = renderDetails(big, 65_535, "GitHub's 65,535-character limit");
    expect(utf8Length(details)).toBeLessThanOrEqual(65_535);
    expect(details).toMatch(
      /\n_… [\d,]+ more results left out to fit GitHub's 65,535-character limit; the JSON report has everything\._\n$/,
    );
    expect((details.match(/^```$/gm) ?? []).length % 2).toBe(0);
  });

  test("progress shows each spec's tasks finished, statuses and time against the deadline", () => {
    const start = {
      startedAt: "2026-11-01T10:00:00.000Z",
      specs: passReport().specs.map((s) => ({
        name: s.name,
        file: s.file,
        where: s.where,
        target: s.target,
        deadlineMs: 600_000,
      })),
    };
    expect(renderProgress(start, new Map())).toContain(
      "| web-deploy | — | waiting for the first poll | deadline 600.0 s |",
    );
    const progress = new Map([
      [
        "web-deploy",
        {
          spec: "web-deploy",
          file: "specs/deploy.yml",
          terminal: 1,
          total: 2,
          statusCounts: { SUCCESS: 1, RUNNING: 1 },
          elapsedMs: 5000,
          deadlineMs: 600_000,
          polls: 2,
          at: "x",
        },
      ],
    ]);
    expect(renderProgress(start, progress)).toContain(
      "| web-deploy | 1 / 2 | SUCCESS ×1, RUNNING ×1 | 5.0 s of 600.0 s |",
    );
  });
});
