// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are the ${VAR} syntax under test
import { describe, expect, test } from "@jest/globals";
import { compilePattern } from "../../src/match/compiled-pattern.js";
import { interpolate } from "../../src/spec/interpolate.js";
import { parseSpecs } from "../../src/spec/load.js";

const env = { ID: "inv-abcd1234", EMPTY: "", N: "3" };

describe("interpolate", () => {
  test.each([
    ["${ID}", "inv-abcd1234"],
    ["id=${ID}!", "id=inv-abcd1234!"],
    ["${MISSING:-fallback}", "fallback"],
    ["${EMPTY:-fallback}", "fallback"],
    ["${ID:-fallback}", "inv-abcd1234"],
    ["${MISSING:-}", ""],
    ["${MISSING:-a:b c}", "a:b c"],
    ["$${ID}", "${ID}"],
    ["cost $5 and $ID", "cost $5 and $ID"],
    ["${N}${N}", "33"],
  ])("%s → %s", (text, value) => {
    const r = interpolate(text, env);
    expect(r.problems).toEqual([]);
    expect(r.value).toBe(value);
  });

  test("reports whether anything was replaced (unquoted values are re-read as numbers)", () => {
    expect(interpolate("${N}", env).replaced).toBe(true);
    expect(interpolate("$${N}", env).replaced).toBe(false);
    expect(interpolate("plain", env).replaced).toBe(false);
  });

  test.each([
    ["${MISSING}", "environment variable MISSING is not set"],
    ["${EMPTY}", "environment variable EMPTY is empty"],
    ["a ${1X} b", "`${1X}` is not a variable reference"],
    ["${}", "`${}` is not a variable reference"],
    ["${OPEN", "unclosed `${`"],
  ])("%s is a problem: %s", (text, message) => {
    const r = interpolate(text, env);
    expect(r.problems.map((p) => p.message)).toEqual([message]);
    expect(r.problems[0]?.index).toBe(text.indexOf("${"));
  });

  test("a missing variable is never replaced by an empty string", () => {
    expect(interpolate("x${MISSING}y", env).value).toBe("x${MISSING}y");
  });
});

describe("a variable whose value holds ${", () => {
  test("is a problem, not a value let through unchecked", () => {
    const r = interpolate("${INV}", { INV: "${TENCENTCLOUD_SECRET_KEY}" });
    expect(r.problems).toEqual([
      expect.objectContaining({ token: "${INV}", message: "the value of INV holds `${`" }),
    ]);
    expect(r.value).not.toContain("TENCENTCLOUD");
  });
});

describe("a variable in a regex pattern (docs/spec.md, Variables)", () => {
  const spec = (pattern: string) =>
    `version: 1\ntarget: { invocationId: inv-abcd1234 }\nexpect:\n  output:\n    matches: '${pattern}'\n`;
  const judge = (pattern: string, output: string) => {
    const loaded = parseSpecs(spec(pattern), "s.yml", { env: { VERSION: "1.4.2" } });
    expect(loaded.issues).toEqual([]);
    const written = loaded.specs[0]?.expect.output?.matches?.[0];
    if (!written) throw new Error("no pattern");
    const compiled = compilePattern(written);
    if ("problem" in compiled) throw new Error(compiled.problem);
    return compiled.test(output);
  };

  test("is inserted as regex text: its dots match any character", () => {
    expect(judge("/deployed ${VERSION}$/", "deployed 1x4y2")).toBe(true);
  });

  test("quoted with \\Q…\\E it is matched literally, through the matcher's own shortcuts too", () => {
    expect(judge("/deployed \\Q${VERSION}\\E$/", "deployed 1.4.2")).toBe(true);
    expect(judge("/deployed \\Q${VERSION}\\E$/", "deployed 1x4y2")).toBe(false);
    expect(judge("/^\\Q${VERSION}\\E/m", "build\n1.4.2 ok")).toBe(true);
    expect(judge("/^\\Q${VERSION}\\E/m", "build\n1x4x2 ok")).toBe(false);
  });
});
