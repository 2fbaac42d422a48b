// `tat-assert explain`: the gate, run as usual (live API, --replay of a recording, or the demo's
// emulator), whose console tells every check: what TAT reported, what the check read, why it held,
// did not hold or could not be verified, and which spec line it came from. Same verdict, same exit
// code as the gate: only the telling differs (src/report/explain.ts).
import type { GateArgs } from "./args.js";
import type { CliIo } from "./main.js";

export const EXPLAIN_USAGE = `Usage: tat-assert explain [options] <spec files or globs...>
       tat-assert explain --replay scenario.yml <spec files...>
       tat-assert explain --demo [--failing]

Runs the gate exactly as \`tat-assert <spec files...>\` does, then tells, for each spec and each
task, every check:
  - what TAT reported: TaskStatus (and the statuses seen), ExitCode, ExecStartTime/ExecEndTime,
    the output's size and encoding, Dropped (bytes TAT cut), ErrorInfo;
  - which expectations judged the task: the spec-wide ones, or an instance's override (file:line);
  - for each check, the spec line it came from, what it read and why it held or not: the output
    line a pattern was found on (for a passing \`matches\` too), "not found in N lines / M characters",
    "could not verify: …" with the reason, the duration against its limit.
Task output is shown sanitised (no escape sequences or control characters) and with secrets
masked, as in every report.

Options: every option of the gate (tat-assert --help), and
  --replay FILE          against an in-process emulator serving a recorded scenario
                         (\`tat-assert record\`): no network, no credentials
  --demo                 the demo's specs against its embedded emulator (no spec files,
                         no other option)
  --failing              with --demo: the failing demo
  --quiet                leave out the tasks that passed

Exit codes: the gate's own, for the same verdict: 0 every expectation held, 1 an expectation
did not hold, 2 invalid spec or usage (each problem located file:line), 3 could not verify,
4 the TAT API refused or failed, 5 a requested report could not be written, 70 internal error.
`;

/** `gate` is the CLI's own gate (src/cli/main.ts), run with every check told. */
export async function runExplain(
  args: GateArgs,
  io: CliIo,
  gate: (args: GateArgs, io: CliIo) => Promise<number>,
): Promise<number> {
  if (args.demo) {
    const { runDemo } = await import("./demo.js");
    return await runDemo(args.demo === "failing", [], io, { explain: true });
  }
  return await gate({ ...args, explain: true }, io);
}
