// The HTML report's pure parts: escaping, the timeline model, the page's policy and size bounds.
// What a person sees in a browser is html-browser.test.ts.
import { describe, expect, test } from "@jest/globals";
import { MAX_FULL_OUTPUTS, renderHtml } from "../../src/report/html.js";
import { clean, html, scriptJson, token } from "../../src/report/html-text.js";
import { buildTimeline, MAX_TIMELINE_ROWS } from "../../src/report/html-timeline.js";
import { allSkippedReport, failuresReport, NASTY_OUTPUT, nastyReport } from "./fixtures.js";
import { fleetReport } from "./html-fixtures.js";

describe("html text", () => {
  test("escapes markup for text and attributes, after the shared sanitiser", () => {
    expect(html(`<a href="x" onclick='y'>&\`</a>`)).toBe(
      "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;",
    );
    expect(html("\u001b[31mred\u001b[0m\r\nnext")).toBe("red\nnext");
    expect(clean("abc\u202Egnp.exe\u2066x")).toBe("abc\uFFFDgnp.exe\uFFFDx");
  });

  test("JSON inside a script element cannot close it", () => {
    const text = scriptJson({ a: "</script><script>alert(1)</script>", b: "\u2028" });
    expect(text).not.toContain("<");
    expect(text).not.toContain("\u2028");
    expect(JSON.parse(text)).toEqual({ a: "</script><script>alert(1)</script>", b: "\u2028" });
  });

  test("status tokens used in class names are closed over [A-Z_]", () => {
    expect(token("FAILED")).toBe("FAILED");
    expect(token('x" onload="y')).toBe("OTHER");
  });
});

describe("timeline model", () => {
  test("one row per task, failures first within a spec, segments from the poll history", () => {
    const t = buildTimeline(failuresReport());
    expect(t.banded).toBe(false);
    expect(t.rows).toHaveLength(t.taskCount);
    const firstSpec = t.rows.filter((r) => r.spec === t.rows[0]?.spec);
    const outcomes = firstSpec.map((r) => r.outcome);
    expect(outcomes.indexOf("pass")).toBeGreaterThan(outcomes.lastIndexOf("fail"));
    for (const row of t.rows) {
      for (const s of row.segments) {
        expect(s.fromMs).toBeGreaterThanOrEqual(0);
        expect(s.toMs).toBeGreaterThanOrEqual(s.fromMs);
        expect(s.toMs).toBeLessThanOrEqual(t.spanMs);
      }
    }
  });

  test("thousands of tasks become at most MAX_TIMELINE_ROWS bands that count every task", () => {
    const t = buildTimeline(fleetReport(10_000, 12));
    expect(t.banded).toBe(true);
    expect(t.rows.length).toBeLessThanOrEqual(MAX_TIMELINE_ROWS);
    expect(t.rows.reduce((n, r) => n + r.tasks, 0)).toBe(10_000);
    // Failing tasks sort first, so the first band holds them and shows the worst outcome.
    expect(t.rows[0]?.outcome).toBe("fail");
    // The straggler band's whisker reaches the 110 s task.
    expect(Math.max(...t.rows.map((r) => r.whisker?.toMs ?? 0))).toBeGreaterThanOrEqual(109_000);
  });

  test("a deadline past the run is named, not drawn", () => {
    const t = buildTimeline(failuresReport());
    expect(t.deadlines).toEqual([]);
    expect(t.offScale.length).toBeGreaterThan(0);
    const fleet = buildTimeline(fleetReport(100, 2));
    expect(fleet.deadlines).toEqual([{ spec: "fleet rollout", atMs: 112_000 }]);
  });
});

describe("html page", () => {
  test("a strict CSP allows exactly the page's own script and style by hash", () => {
    const page = renderHtml(failuresReport());
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(page)?.[1] ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
    expect(csp).not.toContain("unsafe");
    expect(page.match(/<script>/g)).toHaveLength(1);
    expect(page).not.toMatch(/\b(src|href)="(https?:|\/\/)/);
  });

  test("hostile output is escaped: no markup from it survives", () => {
    const page = renderHtml(nastyReport());
    expect(page).toContain("&lt;b&gt;&amp;amp; &quot;quoted&quot;");
    expect(page).not.toContain("<b>&amp;");
    expect(page).not.toContain("\u001b");
    expect(NASTY_OUTPUT).toContain("\u001b");
  });

  test("all specs skipped reads as nothing checked, not as a pass", () => {
    expect(renderHtml(allSkippedReport())).toContain("Nothing was checked");
  });

  test("full outputs are embedded for at most MAX_FULL_OUTPUTS failing tasks", () => {
    const report = fleetReport(1_000, 500);
    for (const spec of report.specs)
      for (const t of spec.tasks)
        t.observed.outputSummary = { chars: 100, lines: 20, tail: "line\n".repeat(20) };
    const page = renderHtml(report);
    expect(page.match(/<details>/g)).toHaveLength(MAX_FULL_OUTPUTS);
  });
});
