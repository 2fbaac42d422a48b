import { Writable } from "node:stream";
import { describe, expect, test } from "@jest/globals";
import { consoleReporter } from "../../src/report/console.js";
import {
  at,
  errorsReport,
  failuresReport,
  passReport,
  result,
  run,
  spec,
  task,
} from "./fixtures.js";

function render(
  report: ReturnType<typeof passReport>,
  options: { quiet?: boolean; verbose?: boolean } = {},
) {
  let text = "";
  const out = new Writable({
    write(chunk, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  const r = consoleReporter({ out, live: false, color: false, ...options, now: () => 0 });
  r.end(report);
  return text;
}

describe("console reporter", () => {
  test("every failure names the instance, what was expected and seen, and the spec line", () => {
    const text = render(failuresReport());
    expect(text).toMatch(/^FAIL {2}/m);
    for (const spec of failuresReport().specs) {
      for (const t of spec.tasks) {
        for (const r of t.results.filter((x) => x.outcome === "fail")) {
          expect(text).toContain(`${t.instanceId}: ${r.message} (${r.where.file}:${r.where.line})`);
        }
      }
    }
    expect(text).toMatch(/exit 1: an expectation did not hold/);
  });

  test("passing specs are hidden with --quiet, passing checks shown with --verbose", () => {
    expect(render(passReport(), { quiet: true })).not.toContain("PASS");
    const verbose = render(passReport(), { verbose: true });
    const quietFree = render(passReport());
    expect(verbose.split("\n").length).toBeGreaterThan(quietFree.split("\n").length);
  });

  test("could-not-verify is its own label and count", () => {
    const text = render(errorsReport());
    expect(text).toMatch(/^ERROR /m);
    expect(text).toMatch(/could not be verified/);
  });

  test("task output cannot start a line of its own: no CR, no escape codes, no bare workflow command", () => {
    const output =
      "starting\r::add-mask::hidden\n\u001b[31mERROR\u001b[0m: boom\r\n::error::spoofed";
    const report = run([
      spec("injected", "specs/x.yml", [
        task("ins-x1", "invt-x1", { status: "FAILED", exitCode: 1, output }, [
          result(
            "output.notMatches",
            "fail",
            'output contains "ERROR" at line 3',
            at(4, "specs/x.yml"),
            {
              excerpt: output,
            },
          ),
          result(
            "status",
            "fail",
            "status DELIVER_FAILED: agent said\r::warning::hi",
            at(3, "specs/x.yml"),
          ),
        ]),
      ]),
    ]);
    const text = render(report);
    expect(text).not.toContain("\r");
    expect(text).not.toContain("\u001b");
    for (const line of text.split("\n")) expect(line.trimStart()).not.toMatch(/^::/);
    expect(text).toContain("      | ::add-mask::hidden");
  });
});
