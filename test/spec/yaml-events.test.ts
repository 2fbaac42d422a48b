// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are the ${VAR} syntax of specs
// The fast reader (js-yaml's events) must give exactly what the full reader (`yaml`) gives, or
// decline. Checked on every YAML file in the repository, on targeted constructs, and on thousands
// of seeded mutations of real specs, where most bugs of a second parser would hide: a text one
// parser accepts and the other rejects, a position one column off, a number read as a string.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "@jest/globals";
import { realisticSpec } from "../../bench/validate-input.js";
import { readPlainYaml } from "../../src/spec/yaml-events.js";
import { readYaml, type SourceDocument } from "../../src/spec/yaml-source.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const ENV = { N: "3", FLAG: "true", NAME: "web", DEPLOY_ID: "inv-abc12345" };

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".") || name === "dist") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yamlFiles(path, out);
    else if (/\.ya?ml$/.test(name)) out.push(path);
  }
  return out;
}

/** Plain data, so that toEqual compares positions too (a Map and a Set compare by content). */
const plain = (docs: SourceDocument[]) =>
  docs.map((d) => ({
    ...d,
    positions: [...d.positions.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
    unresolved: [...d.unresolved].sort(),
  }));

/** The fast reader's answer, checked against the full reader's; `undefined` when it declined. */
function bothReaders(text: string): SourceDocument[] | undefined {
  const fast = readPlainYaml(text, "f.yml", ENV);
  if (fast) expect(plain(fast)).toEqual(plain(readYaml(text, "f.yml", ENV)));
  return fast;
}

const repoTexts = yamlFiles(root).map((f) => ({
  file: f.slice(root.length + 1),
  text: readFileSync(f, "utf8").replace(/^\uFEFF/, ""),
}));

describe("the fast YAML reader", () => {
  test("reads every YAML file in the repository as `yaml` does, or declines", () => {
    expect(repoTexts.length).toBeGreaterThan(100);
    let read = 0;
    for (const { text } of repoTexts) if (bothReaders(text)) read++;
    // Most of them are plain: the comparison above is not vacuous.
    expect(read).toBeGreaterThan(repoTexts.length * 0.8);
  });

  test("reads the shipped specs and the bench's realistic specs itself (where the speed is)", () => {
    for (const { file, text } of repoTexts.filter((f) => /^specs\/[^/]+\.yml$/.test(f.file))) {
      expect([file, bothReaders(text) !== undefined]).toEqual([file, true]);
    }
    for (let n = 0; n < 50; n++) expect(bothReaders(realisticSpec(n))).toBeDefined();
  });

  test.each([
    [
      "literal and folded blocks",
      "a: |\n  x\n  y\nb: >-\n  folded\n  text\n\n  more\nc: |-\n  k\n\nd: 1\n",
    ],
    ["block headers with comments", "a: | # note\n   two\nb: > # note | >\n\n  lead\n"],
    ["a key holding ` |#` before a block", "x |#y: >\n  z\n"],
    ["blocks in a list and at the root", "- |\n  in seq\n- >\n  f\n---\n--- |\n  root\n"],
    ["empty blocks", "a: |-\n\n\nb: |\nc: 1\n"],
    [
      "multi-line plain and quoted",
      "a: plain\n  more\nb: 'it''s\n\n  x'\nc: \"one\n  two\"\nd: \"\\t\\u0041\"\n",
    ],
    ["escapes", 'a: "\\x41\\u00e9\\uD83D\\uDE00\\n\\"\\\\"\n'],
    [
      "core-schema scalars",
      "a: -.inf\nb: .NaN\nc: 0o17\nd: +12\ne: 1e3\nf: 012\ng: 1_000\nh: 0x1F\ni: True\nj: null\n",
    ],
    [
      "keys read as YAML reads them",
      "1: one\n0x1F: hex\n1.50: f\ntrue: t\n'null': n\n\"k y\": v\né: ü\n",
    ],
    ["flow collections", "a: {b: 1, c: [2, 3], 'd': \"e\"}\nf: [ {g: h}, [i] ]\n"],
    ["comments and document markers", "# c\na: 1 # c\n...\n---\nb:   2   \n...\n"],
    ["nested lists and mappings", "a:\n- 1\nb:\n  - x: 1\n    y: [2]\n"],
    ["lists in lists", "- - a\n  - b\n- c\n"],
    [
      "variables, typed where unquoted",
      "a: ${N}\nb: '${N}'\nc: \"${FLAG}\"\nd: ${FLAG}\ne: x${N}\nf: $${N}\ng: |\n  ${N}\n",
    ],
    ["a key named __proto__ stays data", "__proto__: {x: 1}\n"],
    ["CRLF line ends", "a: 1\r\nb: |\r\n  x\r\n"],
    ["roots that are not mappings", "[1, 2]\n---\nplain root\n---\n'quoted'\n"],
  ])("%s: equal to `yaml`", (_, text) => {
    expect(bothReaders(text)).toBeDefined();
  });

  test.each([
    ["an anchor and alias", "a: &x 1\nb: *x\n"],
    ["a tag", "a: !!str 1\n"],
    ["a directive", "%YAML 1.2\n---\na: 1\n"],
    ["an empty value", "a:   \nb: 1\n"],
    ["an empty list item", "- \n- b\n"],
    ["a pair in a flow list", "a: [b: 1]\n"],
    ["a lone carriage return", "a: 1\rb: 2\n"],
    ["a duplicate key", "a: 1\na: 2\n"],
    ["an unset variable", "a: ${UNSET_VARIABLE}\n"],
    ["a key that is not a name", "~: z\n"],
    ["a value over the bound", `a: ${"x".repeat(70_000)}\n`],
    ["a syntax error", "a: 'x\n"],
    ["YAML that `yaml` reads and js-yaml calls badly indented", "a: [\n  1\n]\n"],
    // Found by a review's fuzzer (700,000 texts): where the two parsers read differently.
    ["a tagged empty root", "a: 1\n--- !\n"],
    ["a directive js-yaml does not report", "%x\n---\na: 1\n"],
    ["a \\U escape", 'a: "\\U0001F600"\n'],
    ["an escaped line break in double quotes", 'a: "x\\\n\n  y"\n'],
    ["a tab in a line's indentation", "a: x\n\t\n  y\n"],
    ["a text starting with a space", " ---\n- y\n"],
    ["`...` followed by content", "a\n...\n... b\n"],
    ["an indentation indicator", "a: |2\n   two\n"],
    ["keep chomping", "a: |+\n\n "],
    ["a BOM past the start", "# c\n\uFEFFa: 1\n"],
    ["an implicit key over 1,024 characters", `a${" ".repeat(1100)}: 1\n`],
    ["a comment in a flow collection", "{a: b\n#c\n}\n"],
    ["a text over 128 KiB (a spec is a few KB)", `a: 1\n${"# padding\n".repeat(14_000)}`],
  ])("declines %s (the full reader reads it and says what is wrong)", (_, text) => {
    expect(readPlainYaml(text, "f.yml", ENV)).toBeUndefined();
  });

  test("a key named __proto__ is data in both readers, not the object's prototype", () => {
    const text = "__proto__: {polluted: 1}\n";
    for (const docs of [readPlainYaml(text, "f.yml", ENV), readYaml(text, "f.yml", ENV)]) {
      const value = docs?.[0]?.value as Record<string, unknown>;
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
      expect(Object.hasOwn(value, "__proto__")).toBe(true);
      expect((value as { polluted?: number }).polluted).toBeUndefined();
    }
  });

  test("agrees with `yaml` on 3,000 seeded mutations of real specs", () => {
    let seed = 20261201;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const pieces = [
      ...[" ", "\n", ":", "-", "'", '"', "[", "]", "{", "}", ",", "#", "|", ">", "  ", "\t"],
      ...["? ", "!", "&a", "*a", "${N}", "0x1F", "1e3", ".5", "~", "null", "True", "\\", "%"],
      ...["@", "`", "\n  ", "\n- ", ": ", "---\n", "...\n", "\r", "|-\n  ", "é"],
    ];
    const bases = [
      ...repoTexts.map((f) => f.text).filter((t) => t.length < 20_000),
      ...Array.from({ length: 20 }, (_, n) => realisticSpec(n)),
    ];
    let read = 0;
    for (let n = 0; n < 3000; n++) {
      let text = bases[next(bases.length)] ?? "";
      for (let edits = 1 + next(3); edits > 0; edits--) {
        const at = next(text.length + 1);
        const piece = pieces[next(pieces.length)] ?? "";
        const op = next(3);
        const cut = op === 0 ? 0 : 1 + next(4);
        text = text.slice(0, at) + (op === 1 ? "" : piece) + text.slice(at + cut);
      }
      if (bothReaders(text)) read++;
    }
    // Both outcomes are exercised: mutated specs often stay plain, often do not.
    expect(read).toBeGreaterThan(600);
    expect(read).toBeLessThan(2400);
  });
});
