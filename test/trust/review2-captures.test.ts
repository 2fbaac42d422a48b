// Review: captured values are compared as printed, never as the cleaned text shown. Cleaning
// (escape sequences removed, control characters replaced) made different values look alike, and
// fleet rules compared what was shown: two hosts printing different bytes were "the same".
import { describe, expect, test } from "@jest/globals";
import { formatIssue } from "../../src/errors.js";
import { CAPTURE_VALUE_CHARS, capturedValue, isNotAsPrinted } from "../../src/match/capture.js";
import { captureScope } from "../../src/match/capture-scope.js";
import { evaluate } from "../../src/match/evaluate.js";
import { ConsistencyTally } from "../../src/match/fleet-tally.js";
import { parseSpecs } from "../../src/spec/load.js";
import { observation, specFrom, task } from "../match/helpers.js";

const CAPTURE = "expect:\n  capture:\n    version: '/version=(.+)/'\n";
const spec = (fleet: string) => specFrom(`${CAPTURE}fleet:\n${fleet}`);
const on = (instanceId: string, output: string) => task({ instanceId, output });

describe("fleet compares values as printed", () => {
  test.each([
    ["an escape sequence", "version=1.4.2\n", "version=1.4.2\u001b[0m\n"],
    ["an OSC title hiding text", "version=1.4.2\n", "version=1.4.2\u001b]0;1.4.1\u0007\n"],
    ["two different control characters", "version=1.4.2\u0007\n", "version=1.4.2\u0008\n"],
    ["a lone CR", "version=1.4 2\n", "version=1.4\r2\n"],
  ])("same: values differing only by %s are not the same", (_what, a, b) => {
    const v = evaluate(spec("  same: version\n"), observation([on("ins-a", a), on("ins-b", b)]));
    expect(v.fleet.find((r) => r.check === "fleet.same")?.outcome).toBe("fail");
    expect(v.outcome).toBe("fail");
  });

  test("same: identical values with escapes still pass", () => {
    const out = "version=\u001b[32m1.4.2\u001b[0m\n";
    const v = evaluate(
      spec("  same: version\n"),
      observation([on("ins-a", out), on("ins-b", out)]),
    );
    expect(v.outcome).toBe("pass");
  });

  test("equals: a value that only looks like the expected one after cleaning fails", () => {
    const v = evaluate(
      spec("  equals: { version: '1.4.2' }\n"),
      observation([on("ins-a", "version=1.4.2\n"), on("ins-b", "version=1.4.2\u001b[8m\n")]),
    );
    const r = v.fleet.find((f) => f.check === "fleet.equals");
    expect(r?.outcome).toBe("fail");
    expect(r?.message).toContain("ins-b");
    expect(r?.message).not.toContain("\u001b");
  });

  test("a printed value cannot forge the kept form of another value", () => {
    const a = "1.4.2\u0007";
    const forged = capturedValue(a);
    expect(capturedValue(forged)).not.toBe(capturedValue(a));
    const v = evaluate(
      spec("  same: version\n"),
      observation([on("ins-a", `version=${a}\n`), on("ins-b", `version=${capturedValue(a)}\n`)]),
    );
    expect(v.outcome).toBe("fail");
  });

  test("the compared value stays bounded, printable and marked", () => {
    const raw = `${"x".repeat(CAPTURE_VALUE_CHARS - 10)}\u001b[0m`;
    const value = capturedValue(raw);
    expect(value.length).toBeLessThanOrEqual(CAPTURE_VALUE_CHARS);
    expect(value).not.toContain("\u001b");
    expect(isNotAsPrinted(value)).toBe(true);
    expect(capturedValue("1.4.2")).toBe("1.4.2");
    expect(isNotAsPrinted("1.4.2")).toBe(false);
  });

  test("capture.x from a needed spec refuses a value not kept as printed", () => {
    const owners = new Map([["version", "deploy"]]);
    const verdict = {
      taskId: "invt-1",
      instanceId: "ins-a",
      outcome: "pass" as const,
      results: [],
      captures: { version: capturedValue("1.4.2\u001b[0m") },
    };
    const found = captureScope(owners, new Map([["deploy", [verdict]]])).resolve(
      "version",
      "ins-a",
    );
    expect(found).toEqual({
      problem: expect.stringContaining("not kept as printed"),
    });
  });
});

describe("an override's capture replaces the spec-wide one", () => {
  const text = (override: string, fleet = "  same: version\n") =>
    `version: 1\ntarget: { invocationId: inv-abcd1234 }\nexpect:\n  capture:\n    version: '/version=(\\S+)/'\noverrides:\n  ins-bbbbbbbb:\n${override}fleet:\n${fleet}`;

  test.each([
    ["same", "  same: version\n"],
    ["distinct", "  distinct: { of: version, max: 1 }\n"],
    ["equals", "  equals: { version: '1' }\n"],
  ])("fleet.%s: leaving the compared name out is a spec error at the override", (_k, fleet) => {
    const { issues } = parseSpecs(
      text("    capture:\n      build: '/build=(\\S+)/'\n", fleet),
      "spec.yml",
      { env: {} },
    );
    expect(issues.map(formatIssue)).toEqual([
      expect.stringMatching(
        /^spec\.yml:8:5: overrides\.ins-bbbbbbbb\.capture: fleet compares `version`, which this override's capture leaves out.*ins-bbbbbbbb's value would never be compared/,
      ),
    ]);
  });

  test("an override that captures the name too, or none at all, is fine and compared", () => {
    for (const override of [
      "    capture:\n      version: '/v(\\S+)/'\n      build: '/build=(\\S+)/'\n",
      "    exitCode: [0, 1]\n",
    ]) {
      const { specs, issues } = parseSpecs(text(override), "spec.yml", { env: {} });
      expect(issues).toEqual([]);
      const v = evaluate(
        specs[0] as NonNullable<(typeof specs)[0]>,
        observation([
          task({ instanceId: "ins-aaaaaaaa", output: "version=1\n" }),
          task({ instanceId: "ins-bbbbbbbb", output: "version=2\nv2\n" }),
        ]),
      );
      expect(v.outcome).toBe("fail");
    }
  });
});

describe("fail-fast's drift check reads values as the fleet rule does", () => {
  test("equals with a long expected value: tasks that hold it are not drift", () => {
    const long = `v${"0123456789".repeat(25)}`;
    const s = specFrom(`${CAPTURE}fleet:\n  equals: { version: '${long}' }\n`);
    const tally = new ConsistencyTally(s.consistency ?? []);
    const v = evaluate(s, observation([on("ins-a", `version=${long}\n`)]));
    const [verdict] = v.tasks;
    if (!verdict) throw new Error("no verdict");
    expect(v.fleet.find((r) => r.check === "fleet.equals")?.outcome).toBe("pass");
    tally.add(verdict);
    // Saying "already differs" here stopped the wait with nothing failed: the spec came out
    // skipped, exit 0, with the other tasks never checked.
    expect(tally.cannotPass()).toBeUndefined();
    const other = evaluate(s, observation([on("ins-b", `version=${long}x\n`)])).tasks[0];
    if (!other) throw new Error("no verdict");
    tally.add(other);
    expect(tally.cannotPass()).toMatch(/other than/);
  });
});

describe("a capture named __proto__", () => {
  const text = `version: 1\ntarget: { invocationId: inv-abcd1234 }\nexpect:\n  capture:\n    __proto__: '/v=(\\S+)/'\n  output:\n    notMatches: '/v=\${capture.__proto__} failed/'\n`;

  test("is a spec error at the name (it crashed the judge: exit 70)", () => {
    const { issues } = parseSpecs(text, "spec.yml", { env: {} });
    expect(issues.map(formatIssue)).toEqual([
      expect.stringMatching(
        /^spec\.yml:5:5: expect\.capture\.__proto__: `__proto__` cannot be a capture name/,
      ),
    ]);
  });

  test("a spec built without the loader is still judged, never a crash or a pass", () => {
    const spec = specFrom(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the spec's own syntax
      "expect:\n  capture:\n    p: '/v=(\\S+)/'\n  output:\n    notMatches: '/v=${capture.p} failed/'\n",
    );
    const rename = <T extends { name: string }>(c: T) => ({ ...c, name: "__proto__" });
    const output = spec.expect.output;
    if (!output) throw new Error("no output rule");
    const built = {
      ...spec,
      expect: {
        ...spec.expect,
        capture: (spec.expect.capture ?? []).map(rename),
        output: {
          ...output,
          notMatches: output.notMatches.map((p) => ({
            ...p,
            // biome-ignore lint/suspicious/noTemplateCurlyInString: the spec's own syntax
            text: p.text.replace("${capture.p}", "${capture.__proto__}"),
            // biome-ignore lint/suspicious/noTemplateCurlyInString: the spec's own syntax
            source: p.source.replace("${capture.p}", "${capture.__proto__}"),
          })),
        },
      },
    };
    const v = evaluate(built, observation([task({ output: "v=1\nv=1 failed\n" })]));
    expect(v.outcome).toBe("fail");
  });
});

describe("a capture on a log read in full from COS", () => {
  const full = `${"step ok\n".repeat(4096)}done\n`;
  const fromCos = { output: full, outputSource: "cos" as const, droppedBytes: 8000 };
  const capture = (t: Parameters<typeof task>[0]) =>
    evaluate(specFrom(CAPTURE), observation([task(t)])).tasks[0]?.results.find(
      (r) => r.check === "capture",
    );

  test("not found in the whole log is a failure, not 'may be in the dropped part'", () => {
    expect(capture(fromCos)).toMatchObject({ outcome: "fail", actual: "not found" });
  });

  test("found past TAT's cut is captured", () => {
    const r = capture({ ...fromCos, output: `${full}version=1.4.2\n` });
    expect(r).toMatchObject({ outcome: "pass", actual: "1.4.2" });
  });

  test("TAT's cut copy alone (COS not read) still cannot say it is absent", () => {
    const r = capture({ output: full.slice(0, 24 * 1024), droppedBytes: 8000 });
    expect(r?.outcome).toBe("error");
  });
});

test("a capture not found in TAT's cut copy when COS failed is not verified, allowTruncated or not", () => {
  const s = specFrom(`${CAPTURE}  output: { notMatches: NEVERSEEN, allowTruncated: true }\n`);
  const v = evaluate(
    s,
    observation([
      task({
        output: "step ok\n".repeat(3072),
        droppedBytes: 8000,
        outputCosError: "COS object logs-1250000000/x.log: HTTP 403 AccessDenied",
      }),
    ]),
  );
  const r = v.tasks[0]?.results.find((x) => x.check === "capture");
  expect(r?.outcome).toBe("error");
  expect(r?.message).toMatch(/403 AccessDenied/);
});
