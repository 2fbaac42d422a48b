// The sweep of the wire fuzzer (wire-fuzz-harness.ts): CASES seeded mutations, each one lie in
// the answers of a real scenario on the emulator, judged by the trust invariant there.
import { expect, test } from "@jest/globals";
import {
  CASES,
  type CaseResult,
  CRED,
  caseOf,
  describeCase,
  judgedTruly,
  runCase,
  withEmulators,
} from "./wire-fuzz-harness.js";

withEmulators();

test(`${CASES} seeded mutations of the wire never pass a failure, crash, or leak the secret`, async () => {
  const rejections: unknown[] = [];
  const onRejection = (e: unknown) => rejections.push(e);
  process.on("unhandledRejection", onRejection);
  const problems: string[] = [];
  const tally = new Map<string, number>();
  const count = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);
  let mutated = 0;
  let ran = 0;
  try {
    const only = process.env.FUZZ_ONLY?.split(",").map(Number);
    for (let n = 0; n < CASES; n++) {
      if (only && !only.includes(n)) continue;
      const c = caseOf(n);
      let r: CaseResult;
      try {
        r = await runCase(c);
      } catch (error) {
        problems.push(`case ${n} (seed ${c.seed}) threw: ${(error as Error).stack}`);
        continue;
      }
      ran++;
      if (r.applied.length > 0) mutated++;
      else count(`not landed: ${c.mutation} on ${c.action}`);
      const code = r.report.exitCode;
      count(`${c.scenario.failing ? "failing" : "passing"} exit ${code}`);
      const wrong =
        code === 70 || r.report.errors.some((e) => e.kind === "internal")
          ? "crashed"
          : r.out.includes(CRED.secretKey)
            ? "printed the secret key"
            : code === 0 && !(await judgedTruly(c, r.report))
              ? "passed"
              : ![0, 1, 3, 4].includes(code)
                ? `exit ${code}`
                : c.scenario.failing && r.applied.length === 0 && code !== 1
                  ? `without a mutation, exit ${code} instead of 1`
                  : !c.scenario.failing && r.applied.length === 0 && code !== 0
                    ? `without a mutation, exit ${code} instead of 0`
                    : undefined;
      if (wrong) problems.push(`${wrong}: ${describeCase(c, r)}`);
      if (process.env.FUZZ_VERBOSE && r.out.includes(CRED.secretKey)) {
        for (const line of r.out.split("\n"))
          if (line.includes(CRED.secretKey)) console.log(line.slice(0, 400));
      }
    }
  } finally {
    process.off("unhandledRejection", onRejection);
  }
  if (process.env.FUZZ_VERBOSE) console.log([...tally].sort().join("\n"));
  expect(rejections).toEqual([]);
  expect(problems).toEqual([]);
  // A fuzzer whose mutations never land tests nothing.
  expect(mutated).toBeGreaterThan(ran * 0.8);
}, 120_000);
