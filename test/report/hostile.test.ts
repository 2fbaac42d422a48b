// The same hostile strings through every sink: task output, ErrorInfo, status strings, instance
// ids, spec names and error messages holding escape sequences, control characters, bidi overrides,
// forged workflow commands and a secret, whole or cut short before it reached us. Each sink gets
// the report the way the run hands it over (masked by redactReport first).
import { describe, expect, test } from "@jest/globals";
import { stepMessage } from "../../src/action/outputs.js";
import { reportError } from "../../src/cli/main.js";
import { UsageError } from "../../src/errors.js";
import type { RunReport } from "../../src/model.js";
import { consoleReporter } from "../../src/report/console.js";
import { collectFindings } from "../../src/report/findings.js";
import { annotationCommands, jobSummary } from "../../src/report/github-actions.js";
import { checkAnnotations, runErrorAnnotations } from "../../src/report/github-check.js";
import { renderJson } from "../../src/report/json.js";
import { renderJunit } from "../../src/report/junit.js";
import type { SpecProgress } from "../../src/report/reporter.js";
import {
  createRedactor,
  redactReport,
  redactValue,
  safeStream,
} from "../../src/report/sanitize.js";
import {
  renderDetails,
  renderProgress,
  renderSummary,
  runTitle,
} from "../../src/report/summary-markdown.js";
import { at, result, run, spec, task } from "./fixtures.js";
import { Capture } from "./stream.js";

const SECRET = "sk9fQ2x7LmP4vR8tZ1nB6cW3yH5kJ0aDq";
const HOSTILE = [
  "\u001b[2J\u001b]0;pwned\u0007clear",
  "cr\r::add-mask::x",
  "lf\n::error file=evil.yml,line=1::forged",
  "  ##[set-env name=X;]y",
  "\u009b31m 8-bit CSI",
  "bidi \u202eevil\u202c \u2066iso\u2069",
  "nul\u0000 bel\u0007 del\u007f",
].join(" | ");
/** What the match layer and TAT leave after cutting before we could mask. */
const CUT_IN_EXCERPT = `  3 | export KEY=${SECRET.slice(0, 14)}...`;
const CUT_ERROR_INFO = `token ${SECRET.slice(0, 20)}...`;
const CUT_BY_TAT = `last line before the 24 KiB limit: ${SECRET.slice(0, 25)}`;

function hostileReport(): RunReport {
  const file = "specs/hostile.yml";
  const output = `${HOSTILE}\n::add-mask::${SECRET}\n${CUT_BY_TAT}`;
  return run(
    [
      spec(`::error::${HOSTILE}`, file, [
        task(
          `ins-${HOSTILE}`,
          "invt-h1",
          {
            status: `FAILED\u001b[0m${HOSTILE}`,
            exitCode: 3,
            output,
            errorInfo: `${HOSTILE} ${CUT_ERROR_INFO}`,
          },
          [
            result("exitCode", "fail", `exit code 3 ${HOSTILE} ${SECRET}`, at(7, file), {
              expected: `0 ${HOSTILE}`,
              actual: `3 ${CUT_ERROR_INFO}`,
              excerpt: `${HOSTILE}\n${CUT_IN_EXCERPT}\n${SECRET}`,
            }),
          ],
        ),
      ]),
    ],
    [{ kind: "api", message: `${HOSTILE} key ${SECRET} ${CUT_ERROR_INFO}` }],
  );
}

const masked = () => redactReport(hostileReport(), [SECRET]);

// Raw C0/C1 controls (TAB and LF are fine), DEL and bidi overrides.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;
const COMMAND = /^\s*(::|##\[)/;

/** Our own escape sequences (cursor up, erase line, colours) are allowed on a terminal. */
function withoutOwnEscapes(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: our own sequences
  return text.replace(/\u001b\[(\d+A|2K|\d+m)/g, "");
}

function expectSafe(
  sink: string,
  text: string,
  options: { ownCommands?: RegExp; terminal?: boolean } = {},
) {
  const shown = options.terminal ? withoutOwnEscapes(text) : text;
  expect({ sink, unsafe: shown.match(UNSAFE)?.[0] }).toEqual({ sink, unsafe: undefined });
  for (const line of text.split("\n")) {
    if (options.ownCommands?.test(line)) continue;
    expect({ sink, line, command: COMMAND.test(line) }).toEqual({ sink, line, command: false });
  }
  // Not the secret, nor any 6 characters of it: a head left by a cut is masked too.
  for (let i = 0; i + 6 <= SECRET.length; i++) {
    const piece = SECRET.slice(i, i + 6);
    expect({ sink, leaks: text.includes(piece) ? piece : "" }).toEqual({ sink, leaks: "" });
  }
}

const progress = (): SpecProgress => ({
  spec: `::error::${HOSTILE} ${SECRET}`,
  file: "specs/hostile.yml",
  terminal: 0,
  total: 1,
  statusCounts: { [`RUNNING${HOSTILE}`]: 1 },
  elapsedMs: 1000,
  deadlineMs: 60_000,
  polls: 1,
  at: "2026-11-01T10:00:01.000Z",
});

describe("hostile text in every sink", () => {
  test.each([
    ["plain CI lines", false, false],
    ["a live terminal with colour", true, true],
  ])("console: %s", (_name, live, color) => {
    const out = new Capture();
    const r = consoleReporter({ out, live, color, now: () => 0, columns: () => 60, verbose: true });
    const mask = createRedactor([SECRET]);
    const report = masked();
    r.start?.({
      startedAt: report.startedAt,
      specs: report.specs.map((s) => ({ ...s, deadlineMs: 60_000 })),
    });
    // The run masks progress events before any reporter sees them.
    r.progress?.(redactValue(progress(), mask));
    r.end(report);
    expectSafe("console", out.text, { terminal: live || color });
  });

  test("stderr: warnings and errors", () => {
    const err = new Capture();
    const stream = safeStream(err, createRedactor([SECRET]));
    stream.write(`warning: github-check: HTTP 502: ${HOSTILE} ${SECRET}\n`);
    // The CLI's catch-all prints through the same masked stream.
    reportError(new UsageError(`${HOSTILE} ${CUT_ERROR_INFO}`), stream);
    expectSafe("stderr", err.text);
    expect(err.text).toContain("> ::add-mask::x");
  });

  test("workflow commands: only our own lines are commands, one per line", () => {
    const lines = [
      ...annotationCommands(masked(), { cwd: "/repo" }),
      stepMessage("error", `${HOSTILE}\n${runTitle(masked())}`).trimEnd(),
    ];
    const text = lines.join("\n");
    expectSafe("workflow commands", text, { ownCommands: /^::(error|warning) [^\n]*::/ });
    expect(text.split("\n")).toHaveLength(lines.length);
    for (const line of text.split("\n")) expect(line).toMatch(/^::(error|warning) /);
  });

  test("job summary and check run Markdown", () => {
    expectSafe("job summary", jobSummary(masked()));
    const limit = { maxBytes: 65_535, limitName: "the limit", heading: false };
    expectSafe("check summary", renderSummary(masked(), limit));
    expectSafe("check details", renderDetails(masked(), 65_535, "the limit"));
  });

  test("check run progress while waiting", () => {
    const mask = createRedactor([SECRET]);
    const report = masked();
    const start = {
      startedAt: report.startedAt,
      specs: report.specs.map((s) => ({ ...s, deadlineMs: 60_000 })),
    };
    const event = redactValue({ ...progress(), spec: report.specs[0]?.name ?? "" }, mask);
    expectSafe("check progress", renderProgress(start, new Map([[event.spec, event]])));
  });

  test("check run annotations and title", () => {
    const annotations = checkAnnotations(collectFindings(masked()), "/repo");
    for (const a of annotations) {
      expectSafe("annotation title", a.title);
      expectSafe("annotation message", a.message);
      expectSafe("annotation details", a.raw_details ?? "");
    }
  });

  test("an annotation title cut at GitHub's 255 characters never leaves half a character", () => {
    for (const pad of [240, 241]) {
      const file = "specs/emoji.yml";
      const report = run([
        spec(`${"s".repeat(pad)}${"😀".repeat(20)}`, file, [
          task("ins-1", "invt-1", { status: "FAILED", exitCode: 1 }, [
            result("exitCode", "fail", "exit code 1", at(3, file), { expected: "0", actual: "1" }),
          ]),
        ]),
      ]);
      const [annotation] = checkAnnotations(collectFindings(report), "/repo");
      expect(annotation?.title).toHaveLength(255 - (pad % 2));
      expect(annotation?.title).toMatch(/^s+(😀)+…$/u);
    }
  });

  test("check run annotations of errors that stopped the run at a spec line", () => {
    const report = masked();
    report.errors = [
      { kind: "internal", message: `${report.specs[0]?.name}: ${HOSTILE}`, where: at(3) },
    ];
    const annotations = runErrorAnnotations(report, "/repo");
    expect(annotations).toHaveLength(1);
    for (const a of annotations) {
      expectSafe("run error annotation title", a.title);
      expectSafe("run error annotation message", a.message);
    }
  });

  test("JUnit", () => {
    expectSafe("junit", renderJunit(masked(), { hostname: "h" }));
  });

  test("JSON keeps the text (escaped) and never a raw control character", () => {
    const json = renderJson(masked());
    expectSafe("json", json);
    const parsed = JSON.parse(json) as RunReport;
    expect(parsed.specs[0]?.name).toBe(`::error::${HOSTILE}`);
  });
});

describe("masking comes before any cut", () => {
  test("heads of a secret cut by the match layer or by TAT are masked", () => {
    const mask = createRedactor([SECRET]);
    expect(mask(CUT_IN_EXCERPT)).toBe("  3 | export KEY=***...");
    expect(mask(CUT_ERROR_INFO)).toBe("token ***...");
    expect(mask(CUT_BY_TAT)).toBe("last line before the 24 KiB limit: ***");
    expect(mask(`${SECRET.slice(0, 9)}\n… [100 of 200 characters cut here`)).toBe(
      "***\n… [100 of 200 characters cut here",
    );
  });

  test("ordinary text next to a cut mark is left alone", () => {
    const mask = createRedactor([SECRET]);
    expect(mask("waiting...")).toBe("waiting...");
    expect(mask("sk9 is not enough to be a head? sk")).toBe("sk9 is not enough to be a head? sk");
  });
});
