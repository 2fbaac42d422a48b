// HTML report bench: renders fleet-sized reports and opens them in headless Chromium (Debian's
// package), printing render time, file size and the time until the page has loaded and run its
// script, against a baseline measured in the same browser in the same run: a page of the same
// byte size holding only static text (lines of 100 characters). Goal (issue 16): a 10,000-task report opens in under 2 s.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { renderHtml } from "../src/report/html.js";
import { launchBrowser } from "../test/helpers/browser.js";
import { fleetReport } from "../test/report/html-fixtures.js";

const SIZES = [1_000, 10_000];
const ROUNDS = 3;
const GOAL_MS = 2_000;
const dir = mkdtempSync(join(tmpdir(), "tat-assert-bench-html-"));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const browser = await launchBrowser();
try {
  const rows: string[][] = [];
  for (const n of SIZES) {
    const report = fleetReport(n, Math.max(1, Math.round(n / 800)));
    const t0 = performance.now();
    const text = renderHtml(report);
    const renderMs = performance.now() - t0;
    const file = join(dir, `report-${n}.html`);
    writeFileSync(file, text);
    const baseline = join(dir, `baseline-${n}.html`);
    writeFileSync(
      baseline,
      `<!DOCTYPE html><html><body><pre>${`${"x".repeat(99)}\n`.repeat(Math.ceil(text.length / 100))}</pre></body></html>`,
    );
    const open = async (path: string) => {
      const times: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const page = await browser.newPage();
        const start = performance.now();
        await page.goto(pathToFileURL(path).href, { waitUntil: "load" });
        // One frame after load: the script has run and the page has been laid out.
        await page.evaluate(() => new Promise((done) => setTimeout(done, 0)));
        times.push(performance.now() - start);
        await page.close();
      }
      return median(times);
    };
    const openMs = await open(file);
    const baseMs = await open(baseline);
    rows.push([
      String(n),
      `${(text.length / 1024 / 1024).toFixed(2)} MB`,
      `${renderMs.toFixed(0)} ms`,
      `${openMs.toFixed(0)} ms`,
      `${baseMs.toFixed(0)} ms`,
      `${(openMs / Math.max(1, baseMs)).toFixed(1)}×`,
      openMs < GOAL_MS ? "met" : "missed",
    ]);
  }
  const head = ["tasks", "file", "render", "open", "static page", "ratio", `open < ${GOAL_MS} ms`];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join("  ");
  console.log(line(head));
  for (const r of rows) console.log(line(r));
} finally {
  await browser.close();
}
