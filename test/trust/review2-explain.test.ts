// Review: explain must say what was read. With the full log read from COS, Dropped stays TAT's own
// count, and explain said a hit past the cut was found in "what TAT kept; N bytes dropped": a line
// TAT never kept, and a reader would take the check as judged on a cut copy.
import { expect, test } from "@jest/globals";
import { renderExplain } from "../../src/report/explain.js";
import { at, result, run, spec, task } from "../report/fixtures.js";

const plain = { paint: (_: string, text: string) => text, quiet: false, verbose: false };

test("a finding in a log read from COS is not said to be in what TAT kept", () => {
  const log = `${"step ok\n".repeat(4096)}ERROR: migration 42 failed\n`;
  const report = run([
    spec("deploy", "specs/deploy.yml", [
      task(
        "ins-c05c05c0",
        "invt-c05c05c0",
        { output: log, droppedBytes: log.length - 24 * 1024, outputSource: "cos" },
        [
          result("output.notMatches", "fail", 'output contains "ERROR" at line 4097', at(7), {
            found: { line: 4097, text: "ERROR: migration 42 failed" },
          }),
        ],
      ),
    ]),
  ]);
  const text = renderExplain(report, plain);
  expect(text).toContain("found on line 4097 (the full output, read from COS):");
  expect(text).toContain("full output read from COS");
  expect(text).not.toContain("what TAT kept");
});
