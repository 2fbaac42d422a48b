// What a spec may hold (src/spec/limits.ts): every bound is an error at the value that breaks it,
// checked before the value goes further, and many values breaking one rule are one problem.
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { formatIssue } from "../../src/errors.js";
import { groupDigits } from "../../src/locale-free.js";
import { formatDuration } from "../../src/spec/duration.js";
import { LIMITS } from "../../src/spec/limits.js";
import { ISSUES_SHOWN } from "../../src/spec/listed-issues.js";
import { loadSpecFiles, parseSpecs } from "../../src/spec/load.js";
import { compileRegex, parsePattern } from "../../src/spec/pattern.js";
import { describeSchemaError } from "../../src/spec/schema-messages.js";
import { dependencyIssues } from "../../src/spec/spec-order.js";

const HEAD = "version: 1\ntarget: { invocationId: inv-aaaa1111 }\n";

const problems = (body: string, env: Record<string, string> = {}) =>
  parseSpecs(`${HEAD}${body}`, "b.yml", { env }).issues.map(formatIssue);

describe("many values breaking one rule", () => {
  test("8,000 bad exit codes: three located examples and one line counting the rest", () => {
    const codes = Array.from({ length: 8000 }, (_, i) => `    - ${300 + i}\n`).join("");
    const found = problems(`expect:\n  exitCode:\n${codes}`);
    const expected = "expected an exit code from 0 to 255, or -1 (the agent had no exit code)";
    expect(found).toEqual([
      `b.yml:5:7: expect.exitCode[0]: ${expected}, got 300`,
      `b.yml:6:7: expect.exitCode[1]: ${expected}, got 301`,
      `b.yml:7:7: expect.exitCode[2]: ${expected}, got 302`,
      `b.yml:8:7: expect.exitCode[3]: the same problem here and at 7,996 more values (up to line 8004): ${expected}, got 303`,
    ]);
  });

  test("different rules broken in one list are each reported", () => {
    const found = problems("expect:\n  exitCode: [300, '9-x', 301, 302, 303, 304]\n");
    expect(found).toHaveLength(5);
    expect(found.filter((l) => l.includes('got "9-x"'))).toHaveLength(1);
    expect(found.at(-1)).toMatch(
      /^b\.yml:4:\d+: expect\.exitCode\[4\]: the same problem here and at 1 more value \(up to line 4\)/,
    );
  });

  test("a union still speaks for a value that fits none of its forms, once per value", () => {
    const found = problems("expect:\n  exitCode: [true, false]\n");
    expect(found).toEqual([
      'b.yml:4:14: expect.exitCode[0]: expected an exit code (0 to 255, or -1), or a range like "0-3" or {min, max}, got true',
      'b.yml:4:20: expect.exitCode[1]: expected an exit code (0 to 255, or -1), or a range like "0-3" or {min, max}, got false',
    ]);
  });

  test("past 50 problems in a document, one line counts the rest", () => {
    // Each bad regex is its own problem (its own message), so none are summarised by rule.
    const overrides = Array.from(
      { length: 60 },
      (_, i) => `  ins-${String(i).padStart(8, "0")}: { output: { matches: ['/(${i}/'] } }\n`,
    ).join("");
    const found = problems(`overrides:\n${overrides}`);
    expect(found).toHaveLength(51);
    expect(found[49]).toMatch(
      /^b\.yml:53:\d+: overrides\.ins-00000049\.output\.matches\[0\]: invalid regex/,
    );
    expect(found[50]).toMatch(
      /^b\.yml:54:\d+: overrides\.ins-00000050\.output\.matches\[0\]: 10 more problems from here on are not listed \(fix the ones above and validate again\)$/,
    );
  });

  test("32,000 unclosed `${` in one value: one problem at the first", () => {
    expect(problems(`description: '${"${".repeat(32_000)}'\n`)).toEqual([
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the spec's own ${VAR} syntax
      "b.yml:3:15: description: unclosed `${` (close it with `}`, or write `$${` for a literal `${`)",
    ]);
  });
});

describe("sizes", () => {
  test("a mapping of many keys where one is expected is named by a few of them", () => {
    const keys = Array.from({ length: 9 }, (_, i) => `k${i}: ${i}`).join(", ");
    expect(
      problems(`wait: 5m\nquorum: 3\ninstances: 3\nexpect: { status: { ${keys} } }\n`),
    ).toContain(
      "b.yml:6:19: expect.status: expected a task status such as SUCCESS, or a list of them, got a mapping with k0, k1, k2, k3, k4 and 4 more keys",
    );
  });

  test("9,000 unknown keys: three located examples and one line counting the rest", () => {
    const keys = Array.from({ length: 9000 }, (_, i) => `k${i}: v\n`).join("");
    const found = problems(keys);
    expect(found).toHaveLength(4);
    expect(found[0]).toMatch(/^b\.yml:3:1: k0: unknown key `k0` \(expected one of: version, /);
    expect(found[3]).toMatch(/^b\.yml:6:1: k3: the same problem here and at 8,996 more values/);
  });

  test("an unknown key's message does not read the whole mapping (it was once per key: quadratic)", () => {
    let enumerations = 0;
    const mapping = new Proxy(
      Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i])),
      {
        ownKeys(target) {
          enumerations++;
          return Reflect.ownKeys(target);
        },
      },
    );
    for (let i = 0; i < 100; i++) {
      describeSchemaError({
        keyword: "additionalProperties",
        instancePath: "",
        schemaPath: "#/additionalProperties",
        params: { additionalProperty: `k${i}` },
        data: mapping,
      });
    }
    expect(enumerations).toBe(0);
  });

  test("a 1 MB regex is one error at its line, and is never compiled", () => {
    const found = problems(
      `expect:\n  output:\n    matches:\n      - ok\n      - '/${"(a|b)".repeat(200_000)}/'\n`,
    );
    expect(found).toEqual([
      "b.yml:7:9: expect.output.matches[1]: a value of 1,000,002 characters; values are at most 65,536",
    ]);
  });

  test("a pattern over the pattern limit is refused before it reaches RE2", () => {
    const text = `/${"x".repeat(LIMITS.patternLength)}/`;
    expect(parsePattern(text)).toEqual({
      problem: "a pattern of 4,098 characters; patterns are at most 4,096",
      fix: "match a shorter, distinctive part of the output",
    });
    const found = problems(`expect: { output: { matches: ['${text}'] } }\n`);
    expect(found).toEqual([
      "b.yml:3:31: expect.output.matches[0]: a pattern of 4,098 characters; patterns are at most 4,096 (match a shorter, distinctive part of the output)",
    ]);
  });

  test("a 10 MB name is an error at the name, written or from a variable", () => {
    const huge = "n".repeat(10_000_000);
    expect(
      parseSpecs(`${HEAD}name: ${huge}\n`, "b.yml", { env: {} }).issues.map(formatIssue),
    ).toEqual([
      "b.yml:1:1: the file is 9.5 MiB; a spec file is at most 1 MiB (split it into several spec files)",
    ]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the spec's own ${VAR} syntax
    expect(problems("name: ${NAME}\n", { NAME: huge })).toEqual([
      "b.yml:3:7: name: a value of 10,000,000 characters once its variables are expanded; values are at most 65,536",
    ]);
  });

  test("a list over the item limit is one error at the list", () => {
    const ids = Array.from({ length: LIMITS.listItems + 1 }, (_, i) => `ins-${i}`).join(", ");
    expect(problems(`instances:\n  exactly: [${ids}]\n`)).toEqual([
      "b.yml:4:12: instances.exactly: a list of 10,001 items; at most 10,000 are allowed (split the spec into several specs)",
    ]);
  });

  test("a key over the key limit is refused at the key", () => {
    const key = `ins-${"k".repeat(LIMITS.keyLength)}`;
    expect(problems(`overrides:\n  ${key}: { exitCode: 1 }\n`)).toEqual([
      `b.yml:4:3: overrides: a key of 260 characters; keys are at most 256`,
    ]);
  });

  test("aliases expanding past the value limit: one error at the node, nothing at 1:1", () => {
    const levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 6; i++)
      levels.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(", ")}]`,
      );
    const found = problems(`description: x\n${levels.join("\n")}\n`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^b\.yml:[4-9]:\d+: a\d(\[\d+\])+: the document is too large: more than 100,000 values/,
    );
  });
});

describe("durations", () => {
  test.each([
    [
      "minInterval: 50ms",
      "b.yml:3:22: wait.minInterval: minInterval 50ms is below 200ms: polling faster only spends the API's rate limit (use 200ms or more)",
    ],
    [
      "maxInterval: 100ms",
      "b.yml:3:22: wait.maxInterval: maxInterval 100ms is below 200ms: polling faster only spends the API's rate limit (use 200ms or more)",
    ],
    [
      "maxInterval: 600h",
      "b.yml:3:22: wait.maxInterval: maxInterval 600h is longer than a timer can wait (at most 596h31m23s) (poll at least every few hours, e.g. 1h)",
    ],
    [
      "timeout: 9999999999999h",
      "b.yml:3:18: wait.timeout: `9999999999999h` is longer than a duration can hold (write at most a few days, e.g. 72h)",
    ],
  ])("wait: { %s } is an error at the value", (wait, issue) => {
    expect(problems(`wait: { ${wait} }\n`)).toEqual([issue]);
  });

  test("a duration bound too long to hold is an error, not a check left out", () => {
    expect(problems("expect: { duration: { max: 99999999999999999999s } }\n")).toEqual([
      "b.yml:3:28: expect.duration.max: `99999999999999999999s` is longer than a duration can hold (write at most a few days, e.g. 72h)",
    ]);
  });

  test("the floor itself and 0 (reported once, by its own rule) are not floor errors", () => {
    expect(problems("wait: { minInterval: 200ms, maxInterval: 200ms }\n")).toEqual([]);
    expect(problems("wait: { minInterval: 0s }\n")).toEqual([
      "b.yml:3:22: wait.minInterval: minInterval must be more than 0",
    ]);
  });
});

describe("files", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tat-assert-bounds-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("a file over the size limit is refused without being read", async () => {
    await writeFile(join(dir, "big.yml"), `${HEAD}description: ${"d".repeat(LIMITS.fileBytes)}\n`);
    await writeFile(join(dir, "ok.yml"), HEAD);
    const r = await loadSpecFiles(["big.yml", "ok.yml"], { cwd: dir, env: {} });
    expect(r.issues.map(formatIssue)).toEqual([
      "big.yml:1:1: the file is 1,048,640 bytes; a spec file is at most 1 MiB (split it into several spec files)",
    ]);
    expect(r.specs.map((s) => s.name)).toEqual(["ok"]);
  });

  test("a device with no size up front is read only to the limit", async () => {
    const r = await loadSpecFiles(["/dev/zero"], { cwd: dir, env: {} });
    expect(r.issues.map(formatIssue)).toEqual([
      "/dev/zero:1:1: the file is 1,048,577 bytes; a spec file is at most 1 MiB (split it into several spec files)",
    ]);
  });

  test("many files still come back in the order given", async () => {
    const names = Array.from({ length: 40 }, (_, i) => `s${String(i).padStart(2, "0")}.yml`);
    await Promise.all(
      names.map((n, i) =>
        writeFile(
          join(dir, n),
          i === 7 ? "version: 1\ntarget: {}\n" : `${HEAD}description: ${"x".repeat(i * 997 + 1)}\n`,
        ),
      ),
    );
    const r = await loadSpecFiles([...names].reverse(), { cwd: dir, env: {} });
    expect(r.specs.map((s) => s.name)).toEqual(
      names
        .filter((_, i) => i !== 7)
        .map((n) => n.replace(".yml", ""))
        .reverse(),
    );
    expect(r.issues.map((i) => i.where.file)).toEqual(["s07.yml"]);
  });
});

describe("docs/spec.md", () => {
  test("the limits table states the limits the loader enforces", () => {
    const doc = readFileSync(new URL("../../docs/spec.md", import.meta.url), "utf8");
    const table = doc.split("## Limits")[1]?.split("\n## ")[0] ?? "";
    const row = (what: string) =>
      new RegExp(`^\\| ${what}[^|]*\\|([^|]*)\\|`, "m").exec(table)?.[1]?.trim();
    expect(row("a spec file")).toMatch(new RegExp(`^${LIMITS.fileBytes / 1024 / 1024} MiB`));
    expect(row("any value")).toBe(`${groupDigits(LIMITS.valueLength)} characters`);
    expect(row("a key")).toBe(`${groupDigits(LIMITS.keyLength)} characters`);
    expect(row("an output pattern")).toBe(`${groupDigits(LIMITS.patternLength)} characters`);
    expect(row("a list")).toBe(`${groupDigits(LIMITS.listItems)} items`);
    expect(row("a mapping")).toBe(`${groupDigits(LIMITS.mappingKeys)} keys`);
    expect(row("values in one document")).toBe(groupDigits(LIMITS.documentValues));
    expect(row("documents in a spec file")).toMatch(
      new RegExp(`^${groupDigits(LIMITS.fileDocuments)} \\(`),
    );
    expect(row("`wait.minInterval`")).toMatch(
      new RegExp(
        `^${formatDuration(LIMITS.minIntervalMs)} to ${formatDuration(Math.floor(LIMITS.timerMs / 1000) * 1000)} `,
      ),
    );
  });
});

describe("regexes", () => {
  test("a pattern is compiled once however many specs and steps use it", () => {
    expect(compileRegex("deploy ok v\\d+", "i")).toBe(compileRegex("deploy ok v\\d+", "i"));
  });
});

describe("many documents and specs (a review probed each for time that grows faster than input)", () => {
  const doc = (i: number, needs: string) =>
    `---\nversion: 1\nname: s${i}\ntarget: { invocationId: inv-aaaa1111 }\nneeds: [${needs}]\n`;

  // A file holds at most LIMITS.fileDocuments documents: more specs than that come from more files.
  const specsOf = (docs: string[]) => {
    const specs = [];
    for (let from = 0; from < docs.length; from += LIMITS.fileDocuments) {
      const text = docs.slice(from, from + LIMITS.fileDocuments).join("");
      const r = parseSpecs(text, `part${from}.yml`, { env: {} });
      expect(r.issues).toEqual([]);
      specs.push(...r.specs);
    }
    return specs;
  };

  test("1,000 documents of five problems each: the first listed, one line counts the rest", () => {
    const text = "---\na: 1\nb: 2\nc: 3\n".repeat(LIMITS.fileDocuments);
    const { issues } = parseSpecs(text, "m.yml", { env: {} });
    expect(issues.length).toBeLessThanOrEqual(ISSUES_SHOWN + 1);
    expect(issues.at(-1)?.message).toMatch(
      /^\d,\d{3} more problems in later documents of this file are not listed$/,
    );
    const listed = issues.length - 1;
    const counted = Number(issues.at(-1)?.message.split(" ")[0]?.replace(",", ""));
    // Every problem is either listed or counted: version, target and a, b, c are 5 per document.
    const perDocument = parseSpecs("a: 1\nb: 2\nc: 3\n", "one.yml", { env: {} }).issues.length;
    expect(listed + counted).toBe(LIMITS.fileDocuments * perDocument);
  });

  test("a cycle through 6,000 specs is one problem naming a few of them, not a stack overflow", () => {
    const specs = specsOf(Array.from({ length: 6000 }, (_, i) => doc(i, `s${(i + 1) % 6000}`)));
    expect(specs).toHaveLength(6000);
    const issues = dependencyIssues(specs);
    expect(issues.map((i) => i.message)).toEqual([
      expect.stringMatching(/^needs form a cycle: s0 → s1 → .* → \(5985 more\) → .* → s5999 → s0$/),
    ]);
  });

  test("3,000 specs needing specs that are not in the run: the first listed, one line counts the rest", () => {
    const specs = specsOf(Array.from({ length: 3000 }, (_, i) => doc(i, `missing${i}`)));
    const issues = dependencyIssues(specs);
    expect(issues).toHaveLength(ISSUES_SHOWN + 1);
    expect(issues[0]?.message).toBe("needs `missing0`, which is not a spec of this run");
    expect(issues.at(-1)?.message).toBe("2,950 more problems from here on are not listed");
  });
});

describe("documents in a file (110,000 tiny documents fit in 1 MiB and took 6 s and 370 MB)", () => {
  const bound = groupDigits(LIMITS.fileDocuments);
  const message = `this file holds more than ${bound} YAML documents; a spec file holds at most ${bound}, and it is read no further`;

  test("past the bound the file is read no further, and that is said at the first document past it", () => {
    // The document after the one past the bound is broken YAML: reading stopped before it.
    const text = `${"x: 1\n---\n".repeat(LIMITS.fileDocuments + 1)}key: [unclosed\n`;
    const { issues, specs } = parseSpecs(text, "many.yml", { env: {} });
    expect(specs).toEqual([]);
    const found = issues.filter((i) => i.message === message);
    // Listed although the documents before it had far more than 50 problems.
    expect(found.map(formatIssue)).toEqual([
      `many.yml:${2 * LIMITS.fileDocuments}:1: ${message} (split it into several spec files)`,
    ]);
    expect(issues.filter((i) => i.message.startsWith("YAML:"))).toEqual([]);
  });

  test("empty documents count: a file of --- lines is refused at the first past the bound", () => {
    const { issues } = parseSpecs("---\n".repeat(5 * LIMITS.fileDocuments), "e.yml", { env: {} });
    expect(issues.map(formatIssue)).toEqual([
      `e.yml:${LIMITS.fileDocuments + 1}:1: ${message} (split it into several spec files)`,
    ]);
  });

  test("a file of exactly the bound is read whole, every spec in it", () => {
    const text = Array.from(
      { length: LIMITS.fileDocuments },
      (_, i) => `---\nversion: 1\nname: s${i}\ntarget: { invocationId: inv-aaaa1111 }\n`,
    ).join("");
    const { issues, specs } = parseSpecs(text, "full.yml", { env: {} });
    expect(issues).toEqual([]);
    expect(specs).toHaveLength(LIMITS.fileDocuments);
  });
});
