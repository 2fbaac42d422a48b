// JSONPath through json-p3: selection, singular paths, located problems, and regex functions that
// run on RE2 rather than V8's backtracking engine.
import { describe, expect, test } from "@jest/globals";
import {
  type CompiledJsonPath,
  compileJsonPath,
  isJsonPathProblem,
} from "../../../src/match/json/path.js";

const path = (text: string): CompiledJsonPath => {
  const p = compileJsonPath(text);
  if (isJsonPathProblem(p)) throw new Error(p.problem);
  return p;
};

const doc = {
  status: "ok",
  checks: [
    { name: "db", ok: true },
    { name: "cache", ok: false },
  ],
};

describe("compileJsonPath", () => {
  test("selects values with their normalised paths", () => {
    expect(path("$.checks[*].ok").select(doc)).toEqual([
      { value: true, path: "$['checks'][0]['ok']" },
      { value: false, path: "$['checks'][1]['ok']" },
    ]);
    expect(path("$.status").select(doc)).toEqual([{ value: "ok", path: "$['status']" }]);
    expect(path("$.missing").select(doc)).toEqual([]);
  });

  test("knows which paths can select several values", () => {
    expect(path("$.checks[0].ok").singular).toBe(true);
    expect(path("$['a key']").singular).toBe(true);
    expect(path("$.checks[*].ok").singular).toBe(false);
    expect(path("$..ok").singular).toBe(false);
    expect(path("$.checks[?@.ok == true].name").singular).toBe(false);
  });

  test("a bad path is a problem naming the character, without the library's context suffix", () => {
    const p = compileJsonPath("$.a[");
    expect(p).toEqual({
      problem: "invalid JSONPath `$.a[`: unclosed bracketed selection (at character 5)",
    });
  });

  test("a path without $ gets the fix", () => {
    expect(compileJsonPath("status")).toMatchObject({
      fix: "paths start at the document root: $.status",
    });
    expect(compileJsonPath("$status")).toMatchObject({
      fix: "a name after $ needs a dot: $.status",
    });
  });

  test("an unknown function is refused at compile time", () => {
    expect(compileJsonPath("$[?eval(@.x)]")).toMatchObject({
      problem: expect.stringContaining("eval"),
    });
  });

  test("match() and search() run on RE2: full and partial matches", () => {
    expect(
      path("$.checks[?match(@.name, 'd.')].ok")
        .select(doc)
        .map((n) => n.value),
    ).toEqual([true]);
    expect(path("$.checks[?match(@.name, 'ca')].ok").select(doc)).toEqual([]);
    expect(
      path("$.checks[?search(@.name, 'ach')].ok")
        .select(doc)
        .map((n) => n.value),
    ).toEqual([false]);
  });

  // V8 would match both (json-p3's own functions use it); RE2 refuses backreferences and
  // lookaround, so these stop the evaluation: proof the patterns never reach V8. (Selecting
  // nothing instead made `absent` hold for a pattern never tried.)
  test("patterns only RE2 refuses stop the evaluation rather than matching or selecting nothing", () => {
    expect(() => path("$[?match(@, '(a)\\\\1')]").select(["aa"])).toThrow(/backreferences/);
    expect(() => path("$[?search(@, '(?=a)a')]").select(["a"])).toThrow(/lookaround/);
    expect(path("$[?search(@, 'a')]").select(["a"])).toEqual([{ value: "a", path: "$[0]" }]);
  });
});
