import { Writable } from "node:stream";
import tty from "node:tty";
import { describe, expect, test } from "@jest/globals";
import { consoleReporter, TASKS_LISTED } from "../../src/report/console.js";
import { canRedraw, fitWidth, useColor } from "../../src/report/terminal.js";
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
import { Capture } from "./stream.js";

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

  test("a fleet that failed as one lists its first 50 tasks, then one line counts the rest", () => {
    const text = render(manyFailuresReport(TASKS_LISTED + 1234));
    expect(text).toContain("ins-0050: exit code 1, expected 0");
    expect(text).not.toContain("ins-0051:");
    expect(text).toContain(
      "  … 1,234 more tasks not listed here (1,234 failed): every task is in the JSON and JUnit reports, and --verbose lists them all",
    );
    expect(text).toMatch(/exit 1: an expectation did not hold/);
    // --verbose lists every task; a spec at the bound has no count line.
    expect(render(manyFailuresReport(TASKS_LISTED + 1234), { verbose: true })).toContain(
      "ins-1284: exit code 1, expected 0",
    );
    expect(render(manyFailuresReport(TASKS_LISTED))).not.toContain("more task");
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

describe("the terminal", () => {
  const { WriteStream } = tty;
  /** A terminal as Node sees one: colour support from Node's own reading of the environment. */
  const terminal = (columns = 80) => ({
    isTTY: true,
    columns,
    hasColors: (env?: object) =>
      WriteStream.prototype.hasColors.call({} as tty.WriteStream, 16, env),
  });
  const pipe = {};

  test.each([
    ["a terminal", terminal(), { TERM: "xterm-256color" }, undefined, true],
    ["NO_COLOR=1", terminal(), { TERM: "xterm-256color", NO_COLOR: "1" }, undefined, false],
    [
      "an empty NO_COLOR (no-color.org: ignored)",
      terminal(),
      { TERM: "xterm-256color", NO_COLOR: "" },
      undefined,
      true,
    ],
    ["TERM=dumb", terminal(), { TERM: "dumb" }, undefined, false],
    [
      "TERM=dumb with FORCE_COLOR=1",
      terminal(),
      { TERM: "dumb", FORCE_COLOR: "1" },
      undefined,
      true,
    ],
    ["a pipe in GitHub Actions", pipe, { CI: "true", GITHUB_ACTIONS: "true" }, undefined, false],
    ["a pipe with FORCE_COLOR=1", pipe, { CI: "true", FORCE_COLOR: "1" }, undefined, true],
    ["a pipe with FORCE_COLOR=0", pipe, { FORCE_COLOR: "0" }, undefined, false],
    ["--color on a pipe", pipe, {}, true, true],
    ["--no-color on a terminal with FORCE_COLOR", terminal(), { FORCE_COLOR: "3" }, false, false],
  ] as const)("colour: %s", (_name, stream, env, flag, expected) => {
    expect(useColor(stream, env, flag)).toBe(expected);
  });

  test("no redraw under TERM=dumb, in CI or on a pipe", () => {
    expect(canRedraw(terminal(), { TERM: "xterm" })).toBe(true);
    expect(canRedraw(terminal(), { TERM: "dumb" })).toBe(false);
    expect(canRedraw(terminal(), { TERM: "xterm", CI: "true" })).toBe(false);
    expect(canRedraw(pipe, { TERM: "xterm" })).toBe(false);
  });

  test("live progress lines are cut to the pane's width, so none wraps and leaves fragments", () => {
    const out = new Capture();
    let columns = 40;
    const r = consoleReporter({
      out,
      live: true,
      color: true,
      columns: () => columns,
      now: () => 0,
    });
    const name = "a spec with a rather long name that does not fit";
    r.start?.({
      startedAt: "2026-11-01T10:00:00.000Z",
      specs: [
        {
          name,
          file: "s.yml",
          where: at(1),
          target: { kind: "invocations", invocationIds: ["inv-aaaaaaaa"], where: at(2) },
          deadlineMs: 120_000,
        },
      ],
    });
    for (const width of [40, 24, 12]) {
      columns = width;
      r.progress?.({
        spec: name,
        file: "s.yml",
        terminal: 1,
        total: 2,
        statusCounts: { RUNNING: 1, SUCCESS: 1 },
        elapsedMs: 4100,
        deadlineMs: 120_000,
        polls: 3,
        at: "",
      });
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: our own escape sequences
    const visible = (line: string) => line.replace(/\u001b\[(\d+A|2K|\d+m)/g, "");
    const drawn = out.text
      .split("\n")
      .map(visible)
      .filter((l) => l !== "");
    expect(drawn.length).toBeGreaterThanOrEqual(4);
    // The redraw at width 12 draws lines of at most 11 columns; at 40, at most 39.
    const last = drawn[drawn.length - 1] ?? "";
    expect([...last].length).toBeLessThanOrEqual(11);
    for (const line of drawn) expect([...line].length).toBeLessThanOrEqual(39);
    expect(last.endsWith("…")).toBe(true);
  });

  test("fitWidth counts wide characters as two columns", () => {
    expect(fitWidth("abcdef", 6)).toBe("abcdef");
    expect(fitWidth("abcdefg", 6)).toBe("abcde…");
    expect(fitWidth("部署检查完成", 7)).toBe("部署检…");
  });
});
