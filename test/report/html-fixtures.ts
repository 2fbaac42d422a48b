// A fleet-sized RunReport for the HTML report: n tasks over 50 invocations, spread start and end
// times (stragglers included), `failing` of them failing an output check with an excerpt.
import type { RunReport } from "../../src/model.js";
import { at, iso, result, run, spec, task } from "./fixtures.js";

export function fleetReport(n: number, failing: number): RunReport {
  const tasks = Array.from({ length: n }, (_, i) => {
    const id = String(i + 1).padStart(5, "0");
    const fails =
      i % Math.max(1, Math.floor(n / failing)) === 0 && i / Math.floor(n / failing) < failing;
    // Most tasks end between 60 and 70 s; one in a hundred straggles to 110 s.
    const start = 500 + (i % 40) * 50;
    const end = i % 100 === 99 ? 110_000 : 60_000 + (i % 97) * 100;
    const status = fails ? "FAILED" : "SUCCESS";
    return task(
      `ins-${id}`,
      `invt-${id}`,
      {
        invocationId: `inv-${String(i % 50).padStart(8, "0")}`,
        status,
        exitCode: fails ? 1 : 0,
        history: [
          { status: "PENDING", at: iso(0) },
          { status: "RUNNING", at: iso(start) },
          { status, at: iso(end) },
        ],
        terminalAt: iso(end),
      },
      fails
        ? [
            result("output.notMatches", "fail", 'output contains "ERROR" at line 3', at(18), {
              expected: 'does not contain "ERROR"',
              actual: "found at line 3",
              excerpt: " 1 | pulling image\n 2 | migrating\n>3 | ERROR: migration 42 failed",
            }),
          ]
        : [result("exitCode", "pass", "exit code 0", at(15), { expected: "0", actual: "0" })],
    );
  });
  const report = run([spec("fleet rollout", "specs/fleet.yml", tasks)]);
  const only = report.specs[0];
  if (only) {
    only.observation.endedAt = iso(111_000);
    only.observation.deadlineMs = 112_000;
  }
  return report;
}
