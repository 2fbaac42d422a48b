// The HTML report as a person sees it: the built CLI writes it from real runs against the TAT
// emulator, then headless Chromium opens it from disk. Assertions are on the DOM (stable); a
// screenshot of each page is saved under .tmp/ for a human to look at.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import type { Browser, Page } from "playwright-core";
import { loadScenario, startEmulator } from "../../src/emulator/index.js";
import { renderHtml, TABLE_PAGE_ROWS } from "../../src/report/html.js";
import { MAX_TIMELINE_ROWS } from "../../src/report/html-timeline.js";
import { launchBrowser, type PageIncidents, watch } from "../helpers/browser.js";
import { cleanEnv, ROOT, runCli } from "../helpers/cli.js";
import { fleetReport } from "./html-fixtures.js";

const SHOTS = join(ROOT, ".tmp", "screenshots");

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

/** Runs the built CLI over `specs` against an emulator serving `scenarioFile`; returns the HTML path. */
async function htmlOfRun(scenarioFile: string, specs: string[], cwd: string) {
  const scenario = await loadScenario(scenarioFile);
  const emulator = await startEmulator({ scenario });
  try {
    const cred = emulator.credentials[0];
    if (!cred) throw new Error("scenario declares no credentials");
    const out = join(cwd, "report.html");
    const run = await runCli([...specs, "--endpoint", emulator.url, "--reporter", `html:${out}`], {
      cwd,
      env: cleanEnv({
        TENCENTCLOUD_SECRET_ID: cred.secretId,
        TENCENTCLOUD_SECRET_KEY: cred.secretKey,
        TENCENTCLOUD_REGION: "ap-guangzhou",
      }),
    });
    return { out, run, secretKey: cred.secretKey };
  } finally {
    await emulator.close();
  }
}

async function open(path: string): Promise<{ page: Page; incidents: PageIncidents }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const incidents = watch(page);
  await page.goto(pathToFileURL(path).href);
  return { page, incidents };
}

const visibleRows = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((els) => els.filter((e) => !e.hasAttribute("hidden")).length);

describe("HTML report in Chromium", () => {
  test("the failing demo: verdict, the two failing instances first, ten timeline rows, filters", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "tat-assert-html-"));
    const { out, run } = await htmlOfRun(
      join(ROOT, "specs/scenarios/failing.yml"),
      [
        join(ROOT, "examples/emulator-demo/deploy.yml"),
        join(ROOT, "examples/emulator-demo/smoke.yml"),
      ],
      cwd,
    );
    expect(run.code).toBe(1);
    const { page, incidents } = await open(out);
    try {
      await expect(page.locator("h1").textContent()).resolves.toContain(
        "Failed: an expectation did not hold",
      );
      await expect(page.locator("section.verdict").textContent()).resolves.toContain("Exit code 1");
      expect(await page.locator("svg.timeline .row").count()).toBe(10);

      const failing = await page.locator("article.card h3 .mono").allTextContents();
      expect(failing.slice(0, 2)).toEqual(["ins-web003", "ins-web004"]);
      // The excerpt around the finding, with line numbers, is on the first card.
      await expect(
        page.locator("article.card").first().locator("pre.excerpt").last().textContent(),
      ).resolves.toContain(">3 | ERROR: health check failed");
      // The full kept output is one click away.
      const details = page.locator("article.card").first().locator("details");
      expect(await details.locator("pre.numbered").isVisible()).toBe(false);
      await details.locator("summary").click();
      expect(await details.locator("pre.numbered").isVisible()).toBe(true);

      // Filters: hide passing tasks, then search one instance.
      expect(await visibleRows(page, "#tasks tbody tr")).toBe(10);
      await page.getByLabel("✓ passed").uncheck();
      expect(await visibleRows(page, "#tasks tbody tr")).toBe(3);
      expect(await visibleRows(page, "svg.timeline .row")).toBe(3);
      await expect(page.locator("#f-count").textContent()).resolves.toBe(
        "3 of 3 matching tasks shown (10 in all)",
      );
      await page.getByLabel("Instance").fill("web004");
      expect(await visibleRows(page, "#tasks tbody tr")).toBe(1);
      await page.getByLabel("Instance").fill("");
      await page.getByLabel("✓ passed").check();
      await page.locator("#f-status").selectOption("FAILED");
      expect(await visibleRows(page, "#tasks tbody tr")).toBe(2);
      await page.locator("#f-status").selectOption("");

      // Keyboard: a row takes focus, its task is described, arrows move between rows.
      const rows = page.locator("svg.timeline .row");
      await rows.first().focus();
      await expect(page.locator("#detail").textContent()).resolves.toContain("ins-web003");
      await page.keyboard.press("ArrowDown");
      await expect(page.locator("#detail").textContent()).resolves.toContain("ins-web004");
      await expect(page.locator("#detail").textContent()).resolves.toMatch(/exit code 0/);

      await page.screenshot({ path: join(SHOTS, "html-failing-demo.png"), fullPage: true });
      expect(incidents).toEqual({ dialogs: [], errors: [], requests: [] });
    } finally {
      await page.close();
    }
  });

  test("hostile output and names are shown as text; no script runs; the secret is masked", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "tat-assert-html-hostile-"));
    const hostile = [
      "<script>alert('script')</script>",
      "</textarea></pre></details><img src=x onerror=\"alert('img')\">",
      "<a href=\"javascript:alert('link')\">click</a>",
      "<svg onload=alert('svg')></svg>",
      "\u202Egnp.exe",
      "ERROR ]]> \u001b[31mred\u001b[0m",
    ].join("\n");
    const secret = "html-secret-key-never-shown-5c2e";
    writeFileSync(
      join(cwd, "scenario.yml"),
      [
        "version: 1",
        "credentials:",
        "  - secretId: AKIDHTML000000000000000000000000000",
        `    secretKey: ${secret}`,
        "invocations:",
        "  - id: inv-hostile1",
        "    commandId: cmd-hostile1",
        "    tasks:",
        "      - instance: ins-evil0001",
        '        timeline: "PENDING@0s RUNNING@0.2s FAILED@0.5s"',
        "        exitCode: 1",
        `        output: ${JSON.stringify(`${hostile}\nkey=${secret}\n`)}`,
      ].join("\n"),
    );
    writeFileSync(
      join(cwd, "spec.yml"),
      [
        "version: 1",
        "name: \"<img src=x onerror=alert('name')> spec\"",
        "target: { invocationId: inv-hostile1 }",
        "wait: { timeout: 30s, minInterval: 200ms, maxInterval: 500ms }",
        "expect:",
        "  exitCode: 0",
        "  output:",
        "    notMatches: [ERROR]",
      ].join("\n"),
    );
    const { out, run } = await htmlOfRun(join(cwd, "scenario.yml"), ["spec.yml"], cwd);
    expect(run.code).toBe(1);
    const file = readFileSync(out, "utf8");
    expect(file).not.toContain(secret);
    expect(file).not.toContain("<img src=x");
    expect(file).not.toContain("\u202E");

    const { page, incidents } = await open(out);
    try {
      await page.locator("article.card details summary").first().click();
      await page.waitForTimeout(200);
      expect(incidents.dialogs).toEqual([]);
      expect(incidents.errors).toEqual([]);
      expect(incidents.requests).toEqual([]);
      // Only the report's own script element exists, and nothing carries an event handler.
      expect(await page.locator("script:not([type])").count()).toBe(1);
      expect(await page.locator("img, iframe, object, embed, a[href]").count()).toBe(0);
      const handlers = await page
        .locator("*")
        .evaluateAll(
          (els) =>
            els.filter((e) => e.getAttributeNames().some((a: string) => a.startsWith("on"))).length,
        );
      expect(handlers).toBe(0);
      // The hostile text is there, as text a person can read.
      const text = (await page.locator("main").textContent()) ?? "";
      expect(text).toContain("<script>alert('script')</script>");
      expect(text).toContain("onerror=alert('name')");
      expect(text).toContain("key=***");
      await page.screenshot({ path: join(SHOTS, "html-hostile.png"), fullPage: true });
    } finally {
      await page.close();
    }
  });

  test("10,000 tasks: banded timeline, every task in the table, bounded file", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "tat-assert-html-fleet-")), "fleet.html");
    const text = renderHtml(fleetReport(10_000, 12));
    writeFileSync(path, text);
    // Excerpts, not outputs: far below 10,000 × 24 KiB.
    expect(text.length).toBeLessThan(12 * 1024 * 1024);
    const { page, incidents } = await open(path);
    try {
      const rows = await page.locator("svg.timeline .row").count();
      expect(rows).toBeGreaterThan(10);
      expect(rows).toBeLessThanOrEqual(MAX_TIMELINE_ROWS + 1);
      // Every task is in the page's data; the table shows a page at a time.
      expect(await page.locator("#tasks tbody tr").count()).toBe(TABLE_PAGE_ROWS);
      await expect(page.locator("#f-count").textContent()).resolves.toBe(
        `${TABLE_PAGE_ROWS} of 10000 matching tasks shown`,
      );
      await page.locator("#f-more").click();
      expect(await page.locator("#tasks tbody tr").count()).toBe(2 * TABLE_PAGE_ROWS);
      await expect(page.locator("#timeline-h + p").textContent()).resolves.toContain(
        "10000 tasks in",
      );
      // Failing tasks are listed first in the table.
      await expect(page.locator("#tasks tbody tr").first().textContent()).resolves.toContain(
        "failed",
      );
      await page.getByLabel("✓ passed").uncheck();
      expect(await visibleRows(page, "#tasks tbody tr")).toBe(12);
      await page.getByLabel("Instance").fill("ins-09999");
      await page.getByLabel("✓ passed").check();
      expect(await page.locator("#tasks tbody tr").allTextContents()).toEqual([
        expect.stringContaining("ins-09999"),
      ]);
      expect(incidents).toEqual({ dialogs: [], errors: [], requests: [] });
    } finally {
      await page.close();
    }
  });
});
