import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { parseDocument } from "yaml";
import { formatIssue } from "../../src/errors.js";
import { loadSpecFiles, parseSpecs } from "../../src/spec/load.js";
import { needsOutput } from "../../src/spec/needs.js";
import { readYaml } from "../../src/spec/yaml-source.js";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tat-assert-load-"));
  await mkdir(join(dir, "specs"));
  await writeFile(
    join(dir, "specs/web.yml"),
    "version: 1\nname: web\ntarget: { invocationId: inv-aaaa1111 }\n",
  );
  await writeFile(
    join(dir, "specs/db.yaml"),
    "version: 1\ntarget: { invocationId: inv-bbbb2222 }\n---\nversion: 1\nname: web\ntarget: { invocationId: inv-cccc3333 }\n",
  );
  await writeFile(join(dir, "specs/bad.yml"), "version: 1\ntarget: {}\n");
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const lines = (issues: Parameters<typeof formatIssue>[0][]) => issues.map(formatIssue);

describe("loadSpecFiles", () => {
  test("reads every file and reports a name used in two files at both places", async () => {
    const r = await loadSpecFiles(["specs/web.yml", "specs/db.yaml"], { cwd: dir, env: {} });
    expect(lines(r.issues)).toEqual([
      "specs/web.yml:2:7: name: spec name `web` is also used at specs/db.yaml:5:7 (names must be unique within a run: rename one)",
      "specs/db.yaml:5:7: name: spec name `web` is also used at specs/web.yml:2:7 (names must be unique within a run: rename one)",
    ]);
    // The spec without a name is called after its file and its place in it.
    expect(r.specs.map((s) => s.name)).toEqual(["db#1"]);
  });

  test("keeps valid specs and reports the invalid ones, all files at once", async () => {
    const r = await loadSpecFiles(["specs/web.yml", "specs/bad.yml", "specs/missing.yml"], {
      cwd: dir,
      env: {},
    });
    expect(r.specs.map((s) => s.name)).toEqual(["web"]);
    expect(lines(r.issues)).toEqual([
      "specs/bad.yml:2:9: target: expected exactly one of invocationId, invocationIds, taskIds, latest, filters, got an empty mapping (remove the empty key, or fill it in)",
      "specs/missing.yml:1:1: cannot read the file: no such file",
    ]);
  });

  test("a file named twice (overlapping globs) is read once", async () => {
    const r = await loadSpecFiles(["specs/web.yml", join(dir, "specs/web.yml")], {
      cwd: dir,
      env: {},
    });
    expect(r.issues).toEqual([]);
    expect(r.specs).toHaveLength(1);
  });

  test("a directory is reported, not thrown", async () => {
    const r = await loadSpecFiles(["specs"], { cwd: dir, env: {} });
    expect(lines(r.issues)).toEqual(["specs:1:1: cannot read the file: it is a directory"]);
  });
});

describe("parseSpecs", () => {
  test("uses process.env when no env is given", () => {
    process.env.TAT_ASSERT_TEST_INVOCATION = "inv-dddd4444";
    try {
      const r = parseSpecs(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the spec's own ${VAR} syntax
        "version: 1\ntarget: { invocationId: '${TAT_ASSERT_TEST_INVOCATION}' }\n",
        "x.yml",
      );
      expect(r.issues).toEqual([]);
      expect(r.specs[0]?.target).toMatchObject({ invocationIds: ["inv-dddd4444"] });
    } finally {
      delete process.env.TAT_ASSERT_TEST_INVOCATION;
    }
  });

  test("a byte order mark does not break the first key", () => {
    const r = parseSpecs("\uFEFFversion: 1\ntarget: { invocationId: inv-aaaa1111 }\n", "bom.yml", {
      env: {},
    });
    expect(r.issues).toEqual([]);
  });

  test("the single spec of a file is named after the file, without #1", () => {
    const r = parseSpecs(
      "version: 1\ntarget: { invocationId: inv-aaaa1111 }\n",
      "dir/deploy.yaml",
      {
        env: {},
      },
    );
    expect(r.specs[0]?.name).toBe("deploy");
  });

  test("aliases are followed, and an alias to a bad value is reported where it is used", () => {
    const text = [
      "version: 1",
      "target: { invocationId: inv-aaaa1111 }",
      "expect:",
      "  status: &bad SUCESS",
      "overrides:",
      "  ins-a: { status: *bad }",
      "",
    ].join("\n");
    const r = parseSpecs(text, "a.yml", { env: {} });
    expect(lines(r.issues)).toEqual([
      'a.yml:4:16: expect.status: expected a TAT task status, got "SUCESS" (did you mean `SUCCESS`?)',
      'a.yml:6:20: overrides.ins-a.status: expected a TAT task status, got "SUCESS" (did you mean `SUCCESS`?)',
    ]);
  });

  test.each([
    ["an anchor defined again", "a: &x 1\nb: *x\nc: &x 2\nd: *x\n"],
    ["anchors in nested collections", "a: &m {b: &s 1, c: *s}\nd: *m\ne: [&t 2, *t, *s]\n"],
    ["an anchor on a key", "&k a: 1\nb: *k\n"],
    ["many aliases to one anchor", `a: &x 1\nb: [${Array(2000).fill("*x").join(", ")}]\n`],
  ])("%s: aliases read as yaml reads them", (_, text) => {
    const [read] = readYaml(text, "a.yml", {});
    expect(read?.issues).toEqual([]);
    expect(read?.value).toEqual(parseDocument(text).toJS({ maxAliasCount: -1 }));
  });

  test("a value used through many aliases has its variables expanded once", () => {
    let reads = 0;
    const env = new Proxy({ V: "v" } as Record<string, string>, {
      get(target, name) {
        if (name === "V") reads++;
        return Reflect.get(target, name);
      },
    });
    const text = `a: &d "\${V}-\${V}-\${V}"\nb: [${Array(100).fill("*d").join(", ")}]\n`;
    const [read] = readYaml(text, "a.yml", env);
    expect(read?.value).toEqual({ a: "v-v-v", b: Array(100).fill("v-v-v") });
    expect(reads).toBeLessThanOrEqual(3);
  });

  test.each([
    ["inside the collection it names", "a: &x [1, *x]\n", "alias *x refers to itself"],
    ["before its anchor", "a: *x\nb: &x 1\n", "alias *x has no anchor"],
  ])("an alias %s is reported at the alias", (_, text, message) => {
    const [read] = readYaml(text, "a.yml", {});
    expect(read?.issues.map((i) => `${i.where.line}:${i.where.col} ${i.message}`)).toEqual([
      `1:${text.indexOf("*x") + 1} ${message}`,
    ]);
  });

  test("a value that expands to a huge alias tree is refused instead of hanging", () => {
    const levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 7; i++) {
      levels.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(", ")}]`,
      );
    }
    const text = `version: 1\ntarget: { invocationId: inv-aaaa1111 }\ndescription: x\n${levels.join("\n")}\n`;
    const r = parseSpecs(text, "bomb.yml", { env: {} });
    expect(lines(r.issues).some((l) => l.includes("document is too large"))).toBe(true);
  });

  test("a name used twice is reported at once, even when a spec that uses it is invalid", () => {
    const text = [
      "version: 1",
      "name: web",
      "target: {}",
      "---",
      "version: 1",
      "name: web",
      "target: { invocationId: inv-aaaa1111 }",
      "---",
      "version: 1",
      "name: db",
      "target: { invocationId: inv-aaaa1111 }",
      "expect: { exitCode: 300 }",
      "---",
      "version: 1",
      "name: db",
      "target: { invocationId: inv-aaaa1111 }",
      "expect: { exitCode: 300 }",
      "",
    ].join("\n");
    const r = parseSpecs(text, "dup.yml", { env: {} });
    const duplicates = lines(r.issues).filter((l) => l.includes("is also used"));
    expect(duplicates).toEqual([
      "dup.yml:2:7: name: spec name `web` is also used at dup.yml:6:7 (names must be unique within a run: rename one)",
      "dup.yml:6:7: name: spec name `web` is also used at dup.yml:2:7 (names must be unique within a run: rename one)",
      "dup.yml:10:7: name: spec name `db` is also used at dup.yml:15:7 (names must be unique within a run: rename one)",
      "dup.yml:15:7: name: spec name `db` is also used at dup.yml:10:7 (names must be unique within a run: rename one)",
    ]);
    expect(r.specs).toEqual([]);
  });

  test("a name that could not be read (unset variable, wrong type) is not compared", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the spec's own ${VAR} syntax
    const unset = "name: ${UNSET}";
    const text = [
      "version: 1",
      unset,
      "target: { invocationId: inv-aaaa1111 }",
      "---",
      "version: 1",
      unset,
      "target: { invocationId: inv-aaaa1111 }",
      "---",
      "version: 1",
      "name: [a]",
      "target: { invocationId: inv-aaaa1111 }",
      "---",
      "version: 1",
      "name: [a]",
      "target: { invocationId: inv-aaaa1111 }",
      "",
    ].join("\n");
    const r = parseSpecs(text, "n.yml", { env: {} });
    expect(lines(r.issues).filter((l) => l.includes("is also used"))).toEqual([]);
    expect(r.issues).toHaveLength(4);
  });

  test("a problem in one document does not hide the others", () => {
    const text =
      "version: 1\ntarget: {}\n---\nversion: 1\ntarget: { invocationId: inv-aaaa1111 }\n";
    const r = parseSpecs(text, "two.yml", { env: {} });
    expect(r.issues).toHaveLength(1);
    expect(r.specs.map((s) => s.name)).toEqual(["two#2"]);
  });
});

describe("normalisation", () => {
  const load = (body: string) => {
    const r = parseSpecs(`version: 1\ntarget: { invocationId: inv-aaaa1111 }\n${body}`, "n.yml", {
      env: {},
    });
    expect(r.issues.map(formatIssue)).toEqual([]);
    const spec = r.specs[0];
    if (!spec) throw new Error("no spec");
    return spec;
  };

  test("no expect at all: status SUCCESS is implied, located at the document", () => {
    const spec = load("");
    expect(spec.expect).toEqual({
      status: { value: ["SUCCESS"], where: { file: "n.yml", line: 1, col: 1 }, implied: true },
    });
  });

  test("an exitCode alone implies the statuses that carry an exit code (exit 3 may be FAILED)", () => {
    expect(load("expect: { exitCode: [0, 3] }\n").expect.status).toEqual({
      value: ["SUCCESS", "FAILED"],
      implied: true,
      impliedBy: "exitCode",
      where: { file: "n.yml", line: 3, col: 11 },
    });
    expect(load("expect: { exitCode: 0 }\n").expect.status?.value).toEqual(["SUCCESS"]);
    expect(load("expect: { exitCode: { min: 0, max: 0 } }\n").expect.status?.value).toEqual([
      "SUCCESS",
    ]);
    expect(load('expect: { exitCode: "0-1" }\n').expect.status?.value).toEqual([
      "SUCCESS",
      "FAILED",
    ]);
    // A written status is what the user meant: nothing is added to it.
    expect(load("expect: { status: TIMEOUT, exitCode: 0 }\n").expect.status?.value).toEqual([
      "TIMEOUT",
    ]);
  });

  test("defaults fill the wait policy", () => {
    const spec = load("wait: { timeout: 90s }\n");
    expect(spec.wait).toMatchObject({
      timeoutMs: 90_000,
      minIntervalMs: 2_000,
      maxIntervalMs: 30_000,
      notFoundGraceMs: 30_000,
    });
    expect(spec.allowNoTasks).toBe(false);
  });

  test("overrides replace expect field by field; the rest of expect still applies", () => {
    const spec = load(
      [
        "expect:",
        "  exitCode: 0",
        "  output: { notMatches: [ERROR] }",
        "  truncated: false",
        "overrides:",
        "  ins-canary: { exitCode: [0, 3], output: { matches: [canary] } }",
        "",
      ].join("\n"),
    );
    const o = spec.overrides[0];
    expect(o?.instanceId).toBe("ins-canary");
    expect(o?.expect.exitCode?.value).toEqual([0, 3]);
    expect(o?.expect.exitCode?.where.line).toBe(8);
    expect(o?.expect.output?.matches.map((p) => p.text)).toEqual(["canary"]);
    expect(o?.expect.output?.notMatches).toEqual([]);
    expect(o?.expect.truncated).toEqual({
      value: false,
      where: { file: "n.yml", line: 6, col: 3 },
    });
  });

  test("an override without status or exitCode keeps the implied SUCCESS", () => {
    const spec = load("overrides:\n  ins-a: { duration: { max: 1m } }\n");
    expect(spec.overrides[0]?.expect.status).toMatchObject({ value: ["SUCCESS"], implied: true });
    expect(spec.overrides[0]?.expect.duration?.value).toEqual({ maxMs: 60_000 });
  });

  test.each([
    [
      "target: { invocationIds: [inv-aaaa1111, inv-bbbb2222] }",
      { kind: "invocations", invocationIds: ["inv-aaaa1111", "inv-bbbb2222"] },
    ],
    ["target: { taskIds: [invt-aaaa1111] }", { kind: "tasks", taskIds: ["invt-aaaa1111"] }],
    [
      "target: { filters: { command-id: [cmd-1], instance-id: [ins-a, ins-b] } }",
      {
        kind: "filters",
        filters: [
          { name: "command-id", values: ["cmd-1"] },
          { name: "instance-id", values: ["ins-a", "ins-b"] },
        ],
      },
    ],
  ])("%s", (line, target) => {
    const r = parseSpecs(`version: 1\n${line}\n`, "t.yml", { env: {} });
    expect(r.issues).toEqual([]);
    expect(r.specs[0]?.target).toMatchObject(target);
  });

  test("exit code ranges in every written form", () => {
    const spec = load('expect: { exitCode: [0, "3-5", { min: 10, max: 12 }, "7-7", -1] }\n');
    expect(spec.expect.exitCode?.value).toEqual([
      0,
      { min: 3, max: 5 },
      { min: 10, max: 12 },
      7,
      -1,
    ]);
  });
});

describe("a quoted variable (as needed inside { } or [ ])", () => {
  const env = { N: "2", RATIO: "0.5", NO: "false", RELEASE: "1.2" };
  const parse = (body: string) =>
    parseSpecs(`version: 1\ntarget: { invocationId: inv-aaaa1111 }\n${body}`, "q.yml", { env });

  test("is read as a number or boolean in a field that takes nothing else", () => {
    const r = parse(
      [
        "quorum: { maxFailures: '$" + "{N}', minPassRatio: \"$" + '{RATIO}" }',
        "instances: { min: '$" + "{N}' }",
        "expect: { truncated: '$" + "{NO}', exitCode: { min: 0, max: '$" + "{N}' } }",
        "",
      ].join("\n"),
    );
    expect(lines(r.issues)).toEqual([]);
    const spec = r.specs[0];
    expect(spec?.quorum).toMatchObject({ maxFailures: 2, minPassRatio: 0.5 });
    expect(spec?.coverage).toMatchObject({ min: 2 });
    expect(spec?.expect.truncated?.value).toBe(false);
    expect(spec?.expect.exitCode?.value).toEqual([{ min: 0, max: 2 }]);
  });

  test("stays text where text is allowed", () => {
    expect(parse("description: '$" + "{RELEASE}'\n").specs[0]?.description).toBe("1.2");
    // exitCode takes text ("0-3"), so a quoted 2 is the text "2": not a range.
    expect(lines(parse("expect: { exitCode: '$" + "{N}' }\n").issues)).toEqual([
      'q.yml:3:21: expect.exitCode: expected a range such as "0-3", got "2"',
    ]);
  });
});

describe("needsOutput", () => {
  const spec = (body: string) =>
    parseSpecs(`version: 1\ntarget: { invocationId: inv-aaaa1111 }\n${body}`, "o.yml", { env: {} })
      .specs[0];

  test.each([
    ["", false],
    ["expect: { truncated: false }\n", false],
    ["expect: { output: { matches: ok } }\n", true],
    ["expect: { output: { notMatches: [ERROR] } }\n", true],
    ["overrides: { ins-a: { output: { matches: ok } } }\n", true],
  ])("%j → %s", (body, needed) => {
    const s = spec(body);
    if (!s) throw new Error("no spec");
    expect(needsOutput(s)).toBe(needed);
  });
});
