import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import type { RunReport } from "../../src/model.js";
import { junitReporter, junitTimestamp, renderJunit, seconds } from "../../src/report/junit.js";
import { prng } from "../helpers/prng.js";
import {
  at,
  errorsReport,
  failuresReport,
  GOLDEN_CASES,
  NASTY_OUTPUT,
  nastyReport,
  passReport,
  result,
  run,
  skippedReport,
  spec,
  task,
} from "./fixtures.js";
import { expectGolden } from "./golden.js";
import { stripBroadAdditions, validateAgainstXsd } from "./xml.js";

const broad = (r: RunReport) => renderJunit(r, { hostname: "runner-1" });
const strict = (r: RunReport) => renderJunit(r, { hostname: "runner-1", flavor: "strict" });

describe("JUnit golden files", () => {
  for (const [name, make] of Object.entries(GOLDEN_CASES)) {
    test(name, () => expectGolden(`junit/${name}.xml`, broad(make())));
  }
});

describe("JUnit against the Ant schema (JUnit.xsd)", () => {
  test("the strict flavour validates as is", async () => {
    const docs = Object.values(GOLDEN_CASES).map((make) => strict(make()));
    expect(docs.join("")).not.toMatch(/ (file|line)="/);
    expect(await validateAgainstXsd(docs)).toEqual({ valid: true, errors: [] });
  });

  test("the broad flavour differs only by file/line, testcase properties and root totals", async () => {
    const docs = Object.values(GOLDEN_CASES).map((make) => broad(make()));
    for (const doc of docs) {
      const cases = doc.match(/<testcase\b[^>]*>/g) ?? [];
      expect(cases.length).toBeGreaterThan(0);
      for (const c of cases) expect(c).toMatch(/ file="specs\/[a-z]+\.yml" line="\d+"/);
    }
    expect(await validateAgainstXsd(docs.map(stripBroadAdditions))).toEqual({
      valid: true,
      errors: [],
    });
    // And the attributes are what the schema rejects, so the strip above is what makes it valid.
    expect((await validateAgainstXsd(docs.slice(0, 1))).valid).toBe(false);
  });
});

/** Arbitrary bytes, read the three ways a string can reach us: UTF-8 (invalid → U+FFFD), Latin-1 (every control), UTF-16 (lone surrogates). */
function arbitraryText(random: () => number): string {
  const bytes = Buffer.alloc(Math.floor(random() * 300));
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  const way = Math.floor(random() * 3);
  if (way === 0) return bytes.toString("utf8");
  if (way === 1) return bytes.toString("latin1");
  return bytes.subarray(0, bytes.length & ~1).toString("utf16le");
}

function arbitraryReport(random: () => number): RunReport {
  const text = () => arbitraryText(random);
  const file = "specs/fuzz.yml";
  const failing = task(
    text(),
    text(),
    { exitCode: 1, status: text(), output: text(), errorInfo: text() },
    [
      result("output.matches", "fail", text(), at(3, file), {
        expected: text(),
        actual: text(),
        excerpt: text(),
      }),
    ],
  );
  const erroring = task(text(), "invt-2", { output: text() }, [
    result("status", "error", text(), at(4, file)),
  ]);
  const fleet = [
    result("coverage", "fail", text(), at(5, file), { expected: text(), actual: text() }),
  ];
  return run([spec(text(), file, [failing, erroring], fleet, { reason: text(), region: text() })]);
}

describe("JUnit stays well-formed whatever the output holds", () => {
  test("400 seeded reports of arbitrary bytes parse and validate", async () => {
    const random = prng(0x7a7a55e7);
    const docs = Array.from({ length: 400 }, () => strict(arbitraryReport(random)));
    const { valid, errors } = await validateAgainstXsd(docs);
    expect(errors.slice(0, 3)).toEqual([]);
    expect(valid).toBe(true);
  });

  test("ANSI escapes are stripped, illegal characters replaced, ]]> disarmed, surrogates mended", () => {
    const xml = broad(nastyReport());
    expect(xml).toContain("red and bold green");
    expect(xml).toContain("osc title:  done");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting that none are left
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
    expect(xml).not.toMatch(
      /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
    );
    expect(xml).toContain("cdata end: ]]&gt; and ]]]]&gt;");
    expect(xml).not.toContain("]]>");
    expect(xml).toContain("pair ok: 😀");
    expect(xml).toContain("crlf line&#13;\nend");
    expect(xml).toContain('name="nasty &lt;&amp;&gt; &quot;output&quot;"');
  });

  test("huge output: <system-out> shows the last lines the run kept and says how much there was", () => {
    const xml = broad(nastyReport());
    const out = /<system-out>([\s\S]*?)<\/system-out>/.exec(xml)?.[1] ?? "";
    expect(out).not.toContain("head line");
    expect(out).toContain("tail line");
    expect(out).toContain("[last lines of 10,001 (310,001 characters)]");
    expect(out).toContain("TAT dropped 2048 bytes of output");
    expect(out.length).toBeLessThan(4_000 + NASTY_OUTPUT.length * 2);
  });

  test("the suite output limit leaves later tasks out with a note", () => {
    const many = run([
      spec(
        "big",
        "specs/big.yml",
        Array.from({ length: 5 }, (_, i) =>
          task(`ins-${i}`, `invt-${i}`, { output: "y".repeat(1000) }, []),
        ),
      ),
    ]);
    const xml = renderJunit(many, { hostname: "h", maxSuiteOutputChars: 2500 });
    expect(xml).toContain("[output of 2 more tasks left out: the suite output limit was reached]");
  });
});

describe("JUnit mapping", () => {
  test("fail → <failure>, could-not-verify → <error>, skipped spec → <skipped>, counts add up", () => {
    const xml = broad(
      run([...failuresReport().specs, ...errorsReport().specs, ...skippedReport().specs]),
    );
    expect(xml).toContain(
      '<failure message="ins-b1: exit code 2, expected 0 (specs/api.yml:14)" type="exitCode">',
    );
    expect(xml).toContain(
      '<error message="ins-c2: not verified: still RUNNING (specs/cache.yml:8)" type="status">',
    );
    expect(xml).toMatch(
      /<testcase name="wait" classname="cdn-purge" time="0.000" file="specs\/cdn.yml" line="5">\s*<error /,
    );
    expect(xml).toContain('<skipped message="skip: waiting for the change window"/>');
    for (const suite of xml.match(/<testsuite\b[\s\S]*?<\/testsuite>/g) ?? []) {
      const attr = (n: string) => Number(new RegExp(` ${n}="(\\d+)"`).exec(suite)?.[1]);
      const cases = suite.match(/<testcase\b/g)?.length ?? 0;
      expect(attr("tests")).toBe(cases);
      expect(attr("failures")).toBe(suite.match(/<failure\b/g)?.length ?? 0);
      expect(attr("errors")).toBe(suite.match(/<error\b/g)?.length ?? 0);
      expect(attr("skipped")).toBe(suite.match(/<skipped\b/g)?.length ?? 0);
    }
  });

  test('run-level errors become an <error> testcase in their own suite, so CI does not show "no tests"', async () => {
    const report = run(
      [],
      [
        { kind: "api", message: "no credentials found", code: "CredentialsError" },
        { kind: "api", message: "refused", requestId: "req-1" },
      ],
    );
    const xml = broad(report);
    expect(xml).toContain(
      '<testsuite name="tat-assert" package="tat-assert" id="0" tests="2" failures="0" errors="2"',
    );
    expect(xml).toContain('<testcase name="api error #1" classname="tat-assert" time="0.000">');
    expect(xml).toContain('<error message="refused (RequestId req-1)" type="api">');
    expectGolden("junit/run-error.xml", xml);
    expect(
      await validateAgainstXsd([
        stripBroadAdditions(xml),
        strict(report),
        strict(run([...passReport().specs], report.errors)),
      ]),
    ).toEqual({
      valid: true,
      errors: [],
    });
  });

  test("testcase names are unique and deterministic per spec", () => {
    const twice = spec(
      "dup",
      "specs/d.yml",
      [],
      [
        result("coverage", "fail", "a", at(2, "specs/d.yml")),
        result("coverage", "fail", "b", at(3, "specs/d.yml")),
      ],
    );
    const xml = broad(run([twice]));
    expect(xml).toContain('<testcase name="coverage" classname="dup"');
    expect(xml).toContain('<testcase name="coverage #2" classname="dup"');
    expect(broad(failuresReport())).toBe(broad(failuresReport()));
  });

  test("properties carry region, invocation, command and task ids; API errors go to <system-err>", () => {
    const xml = broad(errorsReport());
    expect(xml).toContain('<property name="region" value="ap-guangzhou"/>');
    expect(xml).toContain('<property name="invocation.id" value="inv-0a1b2c3d"/>');
    expect(xml).toContain('<property name="command.id" value="cmd-9f8e7d6c"/>');
    expect(xml).toContain('<property name="task.ins-c2" value="invt-c2"/>');
    expect(xml).toContain(
      "DescribeInvocationTasks: RequestLimitExceeded: too many requests (RequestId 5e0a-11) [recovered]",
    );
  });

  test("times are seconds with three decimals, timestamps have no fraction or zone", () => {
    expect(seconds(1234)).toBe("1.234");
    expect(seconds(0.0001)).toBe("0.000");
    expect(seconds(-5)).toBe("0.000");
    expect(seconds(Number.NaN)).toBe("0.000");
    expect(junitTimestamp("2026-11-01T10:00:00.999+02:00", "")).toBe("2026-11-01T08:00:00");
    expect(junitTimestamp("garbage", "2026-01-02T03:04:05Z")).toBe("2026-01-02T03:04:05");
  });
});

describe("junit reporter", () => {
  test("writes the file atomically, creating parent folders and leaving no temporary file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tat-junit-"));
    const path = join(dir, "out", "nested", "junit.xml");
    await junitReporter(path, { hostname: "runner-1" }).end(passReport());
    expect(await readFile(path, "utf8")).toBe(broad(passReport()));
    expect(await readdir(join(dir, "out", "nested"))).toEqual(["junit.xml"]);
  });
});

/** The same fleet deployed again: TAT hands out new invocation and task ids every time. */
function redeployed(report: RunReport, suffix: string): RunReport {
  const json = JSON.stringify(report)
    .replace(/"(invt-[^"]*)"/g, `"$1-${suffix}"`)
    .replace(/"(inv-[^"]*)"/g, `"$1-${suffix}"`);
  return JSON.parse(json) as RunReport;
}

describe("JUnit test identity", () => {
  test("testcase names are the same across two deploys of one fleet; the ids move to properties", () => {
    const first = broad(redeployed(failuresReport(), "a"));
    const second = broad(redeployed(failuresReport(), "b"));
    const names = (xml: string) =>
      [...xml.matchAll(/<testcase name="([^"]*)" classname="([^"]*)"/g)].map(
        (m) => `${m[2]}/${m[1]}`,
      );
    expect(names(first)).toEqual(names(second));
    expect(names(first)).toContain("api-deploy/ins-b1");
    expect(first).not.toMatch(/<testcase name="[^"]*inv/);
    expect(first).toMatch(
      /<testcase name="ins-b1" classname="api-deploy"[^>]*>\s*<properties>\s*<property name="task.id" value="invt-b1-a"\/>\s*<property name="invocation.id" value="inv-0a1b2c3d-a"\/>/,
    );
    // The failure text still names the task and invocation, for whoever reads it.
    expect(first).toMatch(/task invt-b1-a on ins-b1 \(invocation inv-0a1b2c3d-a\)/);
  });

  test("a spec spanning several invocations names each case by the invocation's ordinal", () => {
    const two = (inv: string, taskId: string) =>
      task("ins-1", taskId, { invocationId: inv }, [result("status", "pass", "ok", at(3))]);
    const s = spec("multi", "specs/multi.yml", [two("inv-x", "invt-x"), two("inv-y", "invt-y")]);
    s.observation.invocations = [{ invocationId: "inv-x" }, { invocationId: "inv-y" }];
    const xml = broad(run([s]));
    expect(xml).toContain('<testcase name="ins-1 (invocation 1)" classname="multi"');
    expect(xml).toContain('<testcase name="ins-1 (invocation 2)" classname="multi"');
    expect(xml).toContain('<property name="task.ins-1 (invocation 2)" value="invt-y"/>');
  });

  test("the root carries the run's totals and its wall time, not the sum of overlapping waits", () => {
    const report = run([...failuresReport().specs, ...errorsReport().specs]);
    report.durationMs = 1250;
    const xml = broad(report);
    const root = /<testsuites\b[^>]*>/.exec(xml)?.[0] ?? "";
    const attr = (n: string) => new RegExp(` ${n}="([^"]*)"`).exec(root)?.[1];
    expect(attr("tests")).toBe(String(xml.match(/<testcase\b/g)?.length));
    expect(attr("failures")).toBe(String(xml.match(/<failure\b/g)?.length));
    expect(attr("errors")).toBe(String(xml.match(/<error\b/g)?.length));
    expect(attr("skipped")).toBe("0");
    expect(attr("time")).toBe("1.250");
    const suiteSum = [...xml.matchAll(/<testsuite\b[^>]* time="([\d.]+)"/g)].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    );
    expect(suiteSum).toBeGreaterThan(1.25);
    expect(strict(report)).toContain("<testsuites>\n");
  });

  test("run-level errors at a spec line keep it; one without a line has no made-up location", () => {
    const report = run(
      [],
      [
        {
          kind: "spec",
          message: "specs/api.yml:7:3: expect.exit_code: unknown key",
          where: at(7, "specs/api.yml", 3),
        },
        {
          kind: "spec",
          message: "specs/db.yml:2:1: name: required",
          where: at(2, "specs/db.yml", 1),
        },
        { kind: "api", message: "no credentials found" },
      ],
    );
    const xml = broad(report);
    expect(xml).toContain(
      '<testcase name="spec error #1" classname="tat-assert" time="0.000" file="specs/api.yml" line="7">',
    );
    expect(xml).toContain(
      '<testcase name="spec error #2" classname="tat-assert" time="0.000" file="specs/db.yml" line="2">',
    );
    expect(xml).toContain('<testcase name="api error" classname="tat-assert" time="0.000">');
  });
});
