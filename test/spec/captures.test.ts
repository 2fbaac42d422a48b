// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are the ${capture.NAME} syntax under test
// capture:, ${capture.NAME}, fleet: and needs: as the loader reads them: normalised rules, and
// located errors with did-you-mean for what cannot work.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { formatIssue } from "../../src/errors.js";
import { loadGateSpecs } from "../../src/load-specs.js";
import type { Spec } from "../../src/model.js";
import { interpolate } from "../../src/spec/interpolate.js";
import { parseSpecs } from "../../src/spec/load.js";
import { applyRules } from "../../src/spec/rules.js";
import { dependencyIssues } from "../../src/spec/spec-order.js";

const HEAD = "version: 1\ntarget: { invocationId: inv-abcd1234 }\n";
const load = (body: string, env: Record<string, string> = {}) =>
  parseSpecs(`${HEAD}${body}`, "s.yml", { env });
const problems = (body: string) => load(body).issues.map(formatIssue);

describe("capture", () => {
  test("normalised: name, regex source, locations", () => {
    const { specs, issues } = load(
      "expect:\n  capture:\n    version: '/version=(\\S+)/'\n  output:\n    matches: 'v ${capture.version}'\n",
    );
    expect(issues).toEqual([]);
    const spec = specs[0] as Spec;
    expect(spec.expect.capture).toEqual([
      {
        name: "version",
        source: {
          kind: "regex",
          pattern: {
            kind: "regex",
            source: "version=(\\S+)",
            flags: "",
            text: "/version=(\\S+)/",
            where: { file: "s.yml", line: 5, col: 14 },
          },
        },
        where: { file: "s.yml", line: 5, col: 5 },
      },
    ]);
    // Left as written by interpolation, to be put in per task.
    expect(spec.expect.output?.matches[0]?.text).toBe("v ${capture.version}");
  });

  test("a regex without a group, a substring, a bad name", () => {
    expect(problems("expect:\n  capture:\n    version: '/version=\\S+/'\n")).toEqual([
      expect.stringMatching(
        /^s\.yml:5:\d+: .*has no group: nothing says which part of the match is the value/,
      ),
    ]);
    expect(problems("expect:\n  capture:\n    version: 'version='\n")[0]).toContain(
      "expected a /regex/ with a group",
    );
    expect(problems("expect:\n  capture:\n    1st: '/v=(.+)/'\n")[0]).toContain(
      "expected a capture name",
    );
  });

  test("a reference to an unknown capture: located, with did-you-mean", () => {
    const out = problems(
      "expect:\n  capture:\n    version: '/v=(\\S+)/'\n  output:\n    matches: 'x ${capture.versoin}'\n",
    );
    expect(out).toEqual([
      expect.stringMatching(
        /^s\.yml:7:\d+: .*\$\{capture\.versoin\} reads a capture this spec does not declare \(it captures version\)/,
      ),
    ]);
    expect(out[0]).toContain("did you mean `version`?");
  });

  test("a reference outside output patterns is an error", () => {
    const out = problems(
      "description: 'v ${capture.v}'\nexpect:\n  capture:\n    v: '/v=(\\S+)/'\n",
    );
    expect(out[0]).toMatch(/^s\.yml:3:\d+: .*is only read in output patterns/);
  });

  test("environment variables still work next to capture references", () => {
    const { specs, issues } = load(
      "expect:\n  capture:\n    v: '/v=(\\S+)/'\n  output:\n    matches: '${ENV_X} ${capture.v}'\n",
      { ENV_X: "hello" },
    );
    expect(issues).toEqual([]);
    expect(specs[0]?.expect.output?.matches[0]?.text).toBe("hello ${capture.v}");
  });
});

describe("capture by JSONPath", () => {
  test("normalised: path, from (last by default), location", () => {
    const { specs, issues } = load(
      "expect:\n  capture:\n    version: { json: $.version }\n    build:   { json: $.build.id, from: whole }\n    regex: '/v=(\\S+)/'\n",
    );
    expect(issues).toEqual([]);
    const captures = specs[0]?.expect.capture ?? [];
    expect(captures.map((c) => [c.name, c.source, c.where.line])).toEqual([
      ["version", { kind: "json", path: "$.version", from: "last" }, 5],
      ["build", { kind: "json", path: "$.build.id", from: "whole" }, 6],
      ["regex", expect.objectContaining({ kind: "regex" }), 7],
    ]);
  });

  test("a bad JSONPath: located at the path, with the problem and the fix", () => {
    const out = problems("expect:\n  capture:\n    version: { json: version }\n");
    expect(out).toEqual([expect.stringMatching(/^s\.yml:5:\d+: .*invalid JSONPath `version`/)]);
    expect(out[0]).toContain("$.version");
    const bracket = problems("expect:\n  capture:\n    version: { json: '$.a[' }\n");
    expect(bracket[0]).toMatch(/^s\.yml:5:\d+: .*invalid JSONPath `\$\.a\[`.*at character/);
  });

  test("a misspelt key in the mapping gets a did-you-mean; from is one of three", () => {
    const key = problems("expect:\n  capture:\n    version: { json: $.version, form: whole }\n");
    expect(key).toEqual([expect.stringMatching(/^s\.yml:5:\d+: .*did you mean `from`\?/)]);
    const jsno = problems("expect:\n  capture:\n    version: { jsno: $.version }\n").join("\n");
    expect(jsno).toContain("did you mean `json`?");
    const from = problems("expect:\n  capture:\n    version: { json: $.v, from: first }\n");
    expect(from[0]).toContain("expected last, whole or lines");
    const neither = problems("expect:\n  capture:\n    version: 3\n");
    expect(neither[0]).toContain("or a JSONPath, e.g. { json: $.version }");
  });

  test("fleet compares a JSON capture like a regex one", () => {
    const { specs, issues } = load(
      "expect:\n  capture:\n    version: { json: $.version }\nfleet:\n  same: version\n",
    );
    expect(issues).toEqual([]);
    expect(specs[0]?.consistency?.[0]).toMatchObject({ kind: "same", capture: "version" });
  });
});

describe("fleet", () => {
  test("normalised rules", () => {
    const { specs, issues } = load(
      "expect:\n  capture:\n    version: '/v=(\\S+)/'\nfleet:\n  same: version\n  distinct: { of: version, max: 2 }\n  equals: { version: '${EXPECTED}' }\n",
      { EXPECTED: "1.4.2" },
    );
    expect(issues).toEqual([]);
    expect(specs[0]?.consistency?.map(({ where: _w, ...r }) => r)).toEqual([
      { kind: "same", capture: "version" },
      { kind: "distinct", capture: "version", max: 2 },
      { kind: "equals", capture: "version", value: "1.4.2" },
    ]);
  });

  test("names must be captures of expect.capture, with did-you-mean", () => {
    const out = problems(
      "expect:\n  capture:\n    version: '/v=(\\S+)/'\nfleet:\n  same: vesion\n  distinct: { of: build, max: 2 }\n",
    );
    expect(out[0]).toMatch(/^s\.yml:7:\d+: .*`vesion` is not captured.*did you mean `version`\?/);
    expect(out[1]).toMatch(/^s\.yml:8:\d+: .*`build` is not captured/);
    expect(problems("fleet:\n  same: version\n")[0]).toContain("expect.capture declares none");
  });

  test("shape errors", () => {
    expect(problems("fleet:\n  distinct: { of: v }\n").join("\n")).toContain("max");
    expect(problems("fleet:\n  most: v\n").join("\n")).toContain("most");
  });
});

describe("needs across specs", () => {
  const specsOf = (...docs: string[]) => {
    const { specs, issues } = parseSpecs(docs.map((d) => `${HEAD}${d}`).join("---\n"), "run.yml", {
      env: {},
    });
    expect(issues).toEqual([]);
    return specs;
  };
  const deploy = "name: deploy\nexpect:\n  capture:\n    version: '/deployed (\\S+)/'\n";

  test("a reference to a needed spec's capture is fine", () => {
    const specs = specsOf(
      deploy,
      "name: smoke\nneeds: deploy\nexpect:\n  output:\n    matches: 'serving ${capture.version}'\n",
    );
    expect(specs[1]?.needs?.value).toEqual(["deploy"]);
    expect(dependencyIssues(specs)).toEqual([]);
  });

  test("unknown needs: did-you-mean; itself; a cycle", () => {
    const unknown = specsOf(deploy, "name: smoke\nneeds: deplyo\n");
    expect(dependencyIssues(unknown).map(formatIssue)).toEqual([
      expect.stringMatching(
        /^run\.yml:\d+:\d+: .*needs `deplyo`, which is not a spec of this run.*did you mean `deploy`\?/,
      ),
    ]);
    const self = specsOf("name: a\nneeds: a\n");
    expect(dependencyIssues(self)[0]?.message).toBe("spec `a` needs itself");
    const loop = specsOf("name: a\nneeds: b\n", "name: b\nneeds: [c]\n", "name: c\nneeds: a\n");
    expect(dependencyIssues(loop).map((i) => i.message)).toEqual([
      "needs form a cycle: a → b → c → a",
    ]);
  });

  test("the did-you-mean for an unknown need is never the spec itself", () => {
    // `smoke` is the closest name to `smok`, but a spec cannot need itself.
    const specs = specsOf("name: smoke\nneeds: smok\n");
    expect(dependencyIssues(specs).map((i) => [i.message, i.fix])).toEqual([
      [
        "needs `smok`, which is not a spec of this run",
        "give the spec's file to the same run (names: the `name:` field, or the file name)",
      ],
    ]);
  });

  test("needs beside specs that are not valid: each problem once, none made up", () => {
    const specs = specsOf(
      "name: smoke\nneeds: [deploy, zzz]\nexpect:\n  output:\n    matches: '${capture.version}'\n",
      "name: web\nneeds: web\n",
    );
    // `deploy` was read but is not valid: not missing, and what it captures is not known.
    expect(
      dependencyIssues(specs, { names: ["deploy"], unnamed: false }).map((i) => i.message),
    ).toEqual(["needs `zzz`, which is not a spec of this run", "spec `web` needs itself"]);
    // A spec whose name could not be read may be any of them.
    expect(dependencyIssues(specs, { names: [], unnamed: true }).map((i) => i.message)).toEqual([
      "spec `web` needs itself",
    ]);
  });

  test("a problem in one file does not hide the needs problems of another", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "tat-assert-needs-"));
    writeFileSync(join(cwd, "a.yml"), `${HEAD}name: a\nexpect: { exitCode: 300 }\n`);
    writeFileSync(join(cwd, "b.yml"), `${HEAD}name: b\nneeds: [zzz, b]\n`);
    writeFileSync(join(cwd, "c.yml"), `${HEAD}name: c\nneeds: a\n`);
    const loaded = loadGateSpecs(["*.yml"], { cwd, env: {} });
    await expect(loaded).rejects.toMatchObject({
      issues: [
        { where: { file: "a.yml", line: 4 }, path: "expect.exitCode" },
        {
          where: { file: "b.yml", line: 4 },
          message: "needs `zzz`, which is not a spec of this run",
        },
        { where: { file: "b.yml", line: 4 }, message: "spec `b` needs itself" },
      ],
    });
  });

  test("the loader names the specs it read that are not valid", () => {
    const doc = (body: string) => `${HEAD}${body}`;
    const r = parseSpecs(
      [doc("name: a\nexpect: { exitCode: 300 }\n"), doc("name: b\n")].join("---\n"),
      "n.yml",
      { env: {} },
    );
    expect(r.invalid).toEqual({ names: ["a"], unnamed: false });
    const broken = parseSpecs(doc("name: ${UNSET}\n"), "u.yml", { env: {} });
    expect(broken.invalid).toEqual({ names: [], unnamed: true });
  });

  test("a reference captured by no needed spec, or by two", () => {
    const none = specsOf(
      deploy,
      "name: smoke\nneeds: deploy\nexpect:\n  output:\n    matches: 'serving ${capture.verison}'\n",
    );
    const [issue] = dependencyIssues(none);
    expect(issue?.message).toBe(
      "${capture.verison} is captured neither by this spec nor by a spec it needs (deploy)",
    );
    expect(issue?.fix).toBe("did you mean `version`?");
    expect(issue?.where.line).toBeGreaterThan(2);
    const two = specsOf(
      deploy,
      "name: build\nexpect:\n  capture:\n    version: '/built (\\S+)/'\n",
      "name: smoke\nneeds: [deploy, build]\nexpect:\n  output:\n    matches: '${capture.version}'\n",
    );
    expect(dependencyIssues(two)[0]?.message).toContain(
      "captured by several needed specs (deploy, build)",
    );
  });

  test("a run: spec cannot have needs (its command would start before them)", () => {
    const { issues } = parseSpecs(
      "version: 1\nname: smoke\nneeds: deploy\nrun:\n  command: echo hi\n  instances: [ins-a1b2c3d4]\n",
      "r.yml",
      { env: {} },
    );
    expect(issues.map(formatIssue)).toEqual([
      expect.stringMatching(/^r\.yml:3:1: needs: `needs:` on a `run:` spec is not supported/),
    ]);
  });
});

test("interpolation leaves ${capture.NAME} as written and still replaces ${VAR}", () => {
  expect(interpolate("a ${capture.v} ${X}", { X: "1" })).toEqual({
    value: "a ${capture.v} 1",
    replaced: true,
    problems: [],
  });
  // Not a capture reference: still a (bad) variable reference.
  expect(interpolate("${capture.v:-x}", {}).problems[0]?.message).toBe(
    "`${capture.v:-x}` is not a variable reference",
  );
});

test("a misspelt capture reference gets a did-you-mean", () => {
  expect(interpolate("x ${captures.version}", {}).problems[0]?.fix).toBe(
    "did you mean `${capture.version}`? (a value captured from task output)",
  );
  expect(interpolate("${foo.bar}", {}).problems[0]?.fix).toContain("write ${NAME}");
});

describe("many captures, references and names (a review probed each for time that grows faster than input)", () => {
  const names = (n: number, prefix = "c") => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

  test("the rules read a capture mapping's names once, however many patterns read them", () => {
    let enumerations = 0;
    const capture = new Proxy(Object.fromEntries(names(200).map((c) => [c, `/${c}=(\\S+)/`])), {
      ownKeys(target) {
        enumerations++;
        return Reflect.ownKeys(target);
      },
    });
    const spec = {
      version: 1,
      target: { invocationId: "inv-abcd1234" },
      expect: { capture, output: { matches: names(200).map((c) => `v \${capture.${c}}`) } },
    };
    const reported: string[] = [];
    applyRules({ spec, report: (_path, message) => reported.push(message) });
    expect(reported).toEqual([]);
    expect(enumerations).toBeLessThan(20);
  });

  test("a reference to an undeclared capture names a few of the 2,000 declared", () => {
    const capture = names(2000)
      .map((c) => `    ${c}: '/${c}=(\\S+)/'\n`)
      .join("");
    const [problem, ...rest] = problems(
      `expect:\n  capture:\n${capture}  output:\n    matches: 'v \${capture.nope}'\n`,
    );
    expect(rest).toEqual([]);
    expect(problem).toContain("(it captures c0, c1, c2, c3, c4, c5, c6, c7 and 1992 more)");
  });

  test("fleet naming 2,000 names that are not among 2,000 captured: bounded messages", () => {
    const capture = names(2000)
      .map((c) => `    ${c}: '/${c}=(\\S+)/'\n`)
      .join("");
    const found = problems(
      `expect:\n  capture:\n${capture}fleet:\n  same: [${names(2000, "v").join(", ")}]\n`,
    );
    expect(found.length).toBeLessThanOrEqual(52);
    expect(Math.max(...found.map((f) => f.length))).toBeLessThan(400);
  });

  test("2,000 overrides each leaving out 2,000 compared captures: bounded messages, each override named", () => {
    const capture = names(2000)
      .map((c) => `    ${c}: '/${c}=(\\S+)/'\n`)
      .join("");
    const ids = Array.from({ length: 2000 }, (_, i) => `ins-${String(i).padStart(8, "0")}`);
    const overrides = ids
      .map((id) => `  ${id}:\n    capture:\n      own: '/own=(\\S+)/'\n`)
      .join("");
    const found = problems(
      `expect:\n  capture:\n${capture}fleet:\n  same: [${names(2000).join(", ")}]\noverrides:\n${overrides}`,
    );
    expect(found).toHaveLength(51);
    expect(found[0]).toContain(
      "overrides.ins-00000000.capture: fleet compares `c0`, `c1`, `c2`, `c3`, `c4`, `c5`, `c6`, `c7` and 1992 more, which this override's capture leaves out",
    );
    expect(found[50]).toMatch(/1,950 more problems from here on are not listed/);
    expect(Math.max(...found.map((f) => f.length))).toBeLessThan(600);
  });

  test("one name reused by 500 documents: each problem names a few other places", () => {
    const text = Array.from(
      { length: 500 },
      () => `---\nversion: 1\nname: same\ntarget: { invocationId: inv-abcd1234 }\n`,
    ).join("");
    const { issues } = parseSpecs(text, "same.yml", { env: {} });
    const messages = issues.map((i) => i.message);
    expect(messages).toHaveLength(51);
    expect(messages[0]).toMatch(
      /^spec name `same` is also used at (same\.yml:\d+:7, ){4}same\.yml:\d+:7 and 494 more places$/,
    );
    expect(messages[50]).toBe("450 more problems from here on are not listed");
  });
});
