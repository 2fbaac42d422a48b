// Review: JSON that says two things must not pass by the reader picking one. JSON.parse keeps the
// last of a repeated key, so `{"status":"down","status":"ok"}` passed `$.status equals ok`.
import { describe, expect, test } from "@jest/globals";
import { evaluate } from "../../src/match/evaluate.js";
import { readJson } from "../../src/match/json/read.js";
import { observation, specFrom, task } from "../match/helpers.js";

const spec = (from: string) =>
  specFrom(
    `expect:\n  output:\n    json:\n      from: ${from}\n      assert:\n        - { path: $.status, equals: ok }\n`,
  );
const judged = (from: string, output: string) =>
  evaluate(spec(from), observation([task({ output })]));

describe("a key printed twice in one object", () => {
  test.each([
    ["whole", '{"status":"down","status":"ok"}\n'],
    ["last", 'checking\n{"status":"down","status":"ok"}\n'],
    ["last", '{\n  "status": "down",\n  "status": "ok"\n}\nsmoke ok\n'],
    ["lines", '{"status":"ok"}\n{"status":"down","status":"ok"}\n'],
    ["whole", '{"status":"down","st\\u0061tus":"ok"}'],
    ["whole", '{"a":{"status":"ok"},"status":"down","status":"ok"}'],
  ])("from %s: fails naming the key and line (%j)", (from, output) => {
    const v = judged(from, output);
    expect(v.outcome).toBe("fail");
    const reader = v.tasks[0]?.results.find((r) => r.check === "output.json");
    expect(reader?.outcome).toBe("fail");
    expect(reader?.message).toContain('key "status" appears twice');
    expect(reader?.message).toMatch(/line \d+ column \d+/);
  });

  test("the same key in different objects, in strings and in arrays is fine", () => {
    const ok = [
      '{"status":"ok","a":{"status":"x"},"b":[{"status":"y"},{"status":"z"}]}',
      '{"status":"ok","note":"\\"status\\":1, \\"status\\":2","list":["status","status"]}',
      '{"status":"ok","x":{},"y":[],"z":[[],{}],"w":"{\\\\"}',
    ];
    for (const output of ok) expect(judged("whole", output).outcome).toBe("pass");
  });

  test("reading stays linear on many lines without objects", () => {
    const text = "1\n".repeat(200_000);
    const reading = readJson(text, "lines");
    expect("documents" in reading && reading.documents.length).toBe(200_000);
  });

  test("a hostile key is shown sanitised", () => {
    const v = judged("whole", '{"\\u001b[2Jx":1,"\\u001b[2Jx":2,"status":"ok"}');
    const reader = v.tasks[0]?.results.find((r) => r.check === "output.json");
    expect(reader?.outcome).toBe("fail");
    expect(reader?.message).not.toContain("\u001b");
  });
});

test("a path json-p3 cannot evaluate (nesting past its recursion limit) never passes absent", () => {
  const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}\n`;
  const s = specFrom(
    "expect:\n  output:\n    json:\n      from: whole\n      assert:\n        - { path: $..status, absent: true }\n",
  );
  const v = evaluate(s, observation([task({ output: deep })]));
  expect(v.outcome).not.toBe("pass");
  expect(v.tasks[0]?.results.at(-1)?.message).toMatch(/could not be evaluated/);
});

describe("absent on a value with no members", () => {
  const absent = (from: string) =>
    specFrom(
      `expect:\n  output:\n    json:\n      from: ${from}\n      assert:\n        - { path: $.error, absent: true }\n`,
    );

  test.each([
    ["last", '{"error":"disk full"}\n0\n'],
    ["last", '{"error":"disk full"}\n"done"\n'],
    ["whole", "null\n"],
    ["lines", '{"ok":true}\n0\n'],
  ])("from %s: %j fails instead of passing vacuously", (from, output) => {
    const v = evaluate(absent(from), observation([task({ output })]));
    expect(v.outcome).toBe("fail");
    expect(v.tasks[0]?.results.at(-1)?.message).toMatch(/has no members/);
  });

  test("absent on an object or array is judged as before", () => {
    expect(evaluate(absent("last"), observation([task({ output: '{"ok":true}\n' })])).outcome).toBe(
      "pass",
    );
    expect(evaluate(absent("whole"), observation([task({ output: "[1]\n" })])).outcome).toBe(
      "pass",
    );
  });
});

describe("a filter pattern RE2 cannot run", () => {
  test.each([
    ["a lookahead", `"$.items[?match(@.name, '(?=bad)bad')]"`],
    ["a repeat over 1000", `"$.items[?search(@.name, 'a{1001}')]"`],
    ["a pattern from the output", `"$.items[?search(@.name, @.pat)]"`],
  ])("%s: absent does not hold vacuously, it fails naming the pattern", (_what, path) => {
    const s = specFrom(
      `expect:\n  output:\n    json:\n      from: whole\n      assert:\n        - { path: ${path}, absent: true }\n`,
    );
    const v = evaluate(
      s,
      observation([task({ output: '{"items":[{"name":"bad","pat":"(?=b)"}]}\n' })]),
    );
    expect(v.outcome).toBe("fail");
    expect(v.tasks[0]?.results.at(-1)?.message).toMatch(/pattern .* cannot be run by RE2/);
  });

  test("a pattern RE2 runs is judged as before", () => {
    const s = specFrom(
      `expect:\n  output:\n    json:\n      from: whole\n      assert:\n        - { path: "$.items[?match(@.name, 'ba.')]", absent: true }\n`,
    );
    const out = (name: string) =>
      observation([task({ output: `{"items":[{"name":"${name}"}]}\n` })]);
    expect(evaluate(s, out("bad")).outcome).toBe("fail");
    expect(evaluate(s, out("good")).outcome).toBe("pass");
  });
});
