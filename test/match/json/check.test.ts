// output.json through the real loader and evaluate(): what each form and assertion decides on
// task output, and that nothing unread or unseen is ever a pass.
import { describe, expect, test } from "@jest/globals";
import { evaluate } from "../../../src/match/evaluate.js";
import type { TaskObservation } from "../../../src/model.js";
import { observation, specFrom, task } from "../helpers.js";

const HEALTH = `
expect:
  output:
    json:
      assert:
        - { path: $.status, equals: ok }
        - { path: $.version, matches: '/^1\\.4\\./' }
        - { path: '$.checks[*].ok', all: { equals: true } }
        - { path: $.latencyMs, max: 250, type: integer }
        - { path: $.error, absent: true }
`;

function judge(body: string, fields: Partial<TaskObservation>) {
  const verdict = evaluate(specFrom(body), observation([task(fields)]));
  const t = verdict.tasks[0];
  if (!t) throw new Error("no task");
  return t;
}

const jsonResults = (body: string, fields: Partial<TaskObservation>) =>
  judge(body, fields).results.filter((r) => r.check === "output.json");

describe("from: last (the default)", () => {
  test("health JSON after a log, keys in any order, passes every assertion", () => {
    const output =
      'starting\n{"latencyMs":12,"checks":[{"ok":true},{"ok":true}],"version":"1.4.2","status":"ok"}\n';
    const t = judge(HEALTH, { output });
    expect(t.outcome).toBe("pass");
    expect(t.results.filter((r) => r.check === "output.json")).toHaveLength(6);
  });

  test("each broken assertion fails with the path, what was found, and the JSON's line", () => {
    const output =
      'log\n{\n  "status": "down",\n  "version": "2.0.0",\n  "checks": [{"ok": true}, {"ok": false}],\n  "latencyMs": 251.5,\n  "error": "disk"\n}\n';
    const [read, ...rest] = jsonResults(HEALTH, { output });
    expect(read).toMatchObject({ outcome: "pass", message: "read JSON starting at line 2" });
    expect(rest.map((r) => [r.outcome, r.message])).toEqual([
      ["fail", '$.status is "down", not "ok" (JSON from line 2)'],
      ["fail", '$.version is "2.0.0", which does not match /^1\\.4\\./ (JSON from line 2)'],
      ["fail", "$['checks'][1]['ok'] is false, not true (JSON from line 2)"],
      ["fail", "$.latencyMs is 251.5 (a number), not an integer (JSON from line 2)"],
      ["fail", `$['error'] is "disk", expected absent (JSON from line 2)`],
    ]);
    expect(rest[0]?.excerpt).toContain(">2 | {");
    expect(rest[0]?.where.line).toBe(8);
  });

  test("a missing key and a wrong type fail", () => {
    const body = `
expect:
  output:
    json:
      assert:
        - { path: $.status, equals: ok }
        - { path: $.count, type: number }
`;
    const results = jsonResults(body, { output: '{"count":"3"}' });
    expect(results.map((r) => [r.outcome, r.message])).toEqual([
      ["pass", "read JSON starting at line 1"],
      ["fail", "no value at $.status (JSON from line 1)"],
      ["fail", '$.count is "3" (a string), not a number (JSON from line 1)'],
    ]);
  });

  test("output that is not JSON fails naming the line; the assertions are not checked", () => {
    const t = judge(HEALTH, { output: '{"status":"ok",\nall done\n' });
    expect(t.outcome).toBe("fail");
    const [read, ...rest] = t.results.filter((r) => r.check === "output.json");
    expect(read).toMatchObject({ outcome: "fail", actual: "not JSON" });
    expect(read?.message).toMatch(/^no JSON value found: the last line is not valid JSON/);
    expect(read?.excerpt).toContain(">2 | all done");
    expect(rest.every((r) => r.outcome === "skip")).toBe(true);
  });

  test("truncated output cannot be read with certainty: could not verify", () => {
    const t = judge(HEALTH, { output: '{"status":"ok"}\n', droppedBytes: 100 });
    expect(t.outcome).toBe("error");
    expect(t.results.find((r) => r.check === "output.json")?.message).toContain(
      "100 bytes dropped",
    );
  });

  test("JSON nested past the reader's limit could not be verified, it is not a failure", () => {
    const deep = `${"[".repeat(600)}${"]".repeat(600)}`;
    expect(judge(HEALTH, { output: deep }).outcome).toBe("error");
  });

  test("undecodable or missing output could not be verified", () => {
    expect(judge(HEALTH, { output: undefined, outputUndecodable: "not GBK" }).outcome).toBe(
      "error",
    );
    expect(judge(HEALTH, { output: undefined, outputFetched: false }).outcome).toBe("error");
  });
});

describe("from: whole", () => {
  const body = `
expect:
  output:
    json:
      from: whole
      assert:
        - { path: $.ok, equals: true }
`;
  test("the whole output must be the value", () => {
    expect(judge(body, { output: '{"ok":true}\n' }).outcome).toBe("pass");
    expect(judge(body, { output: 'log\n{"ok":true}\n' }).outcome).toBe("fail");
  });
});

describe("from: lines", () => {
  const body = (lines: "all" | "any") => `
expect:
  output:
    json:
      from: lines
      lines: ${lines}
      assert:
        - { path: $.level, oneOf: [info, warn] }
`;
  const output = '{"level":"info"}\n{"level":"error"}\n{"level":"warn"}\n';

  test("all: the first line that breaks it fails, named", () => {
    const [, a] = jsonResults(body("all"), { output });
    expect(a).toMatchObject({
      outcome: "fail",
      message: 'line 2: $.level is "error", none of "info", "warn"',
    });
  });

  test("any: one line that holds passes", () => {
    const [, a] = jsonResults(body("any"), { output });
    expect(a).toMatchObject({ outcome: "pass", actual: "holds at line 1" });
    const none = jsonResults(body("any"), { output: '{"level":"error"}\n' })[1];
    expect(none?.outcome).toBe("fail");
  });

  test("a line that is not JSON fails", () => {
    const [read] = jsonResults(body("all"), { output: '{"level":"info"}\noops\n' });
    expect(read).toMatchObject({ outcome: "fail" });
    expect(read?.message).toMatch(/^line 2 is not valid JSON/);
  });

  test("truncated: a kept line that breaks `all` fails; kept lines that all hold are unverified", () => {
    const cut = (text: string) => ({ output: text, droppedBytes: 5000 });
    expect(jsonResults(body("all"), cut('{"level":"error"}\n{"lev'))[1]?.outcome).toBe("fail");
    expect(jsonResults(body("all"), cut('{"level":"info"}\n{"lev'))[1]?.outcome).toBe("error");
    expect(jsonResults(body("any"), cut('{"level":"warn"}\n{"lev'))[1]?.outcome).toBe("pass");
    expect(jsonResults(body("any"), cut('{"level":"error"}\n{"lev'))[1]?.outcome).toBe("error");
    // The cut last line is not read as a broken line.
    expect(jsonResults(body("all"), cut('{"level":"info"}\n{"lev'))[0]?.outcome).toBe("pass");
  });
});

describe("conditions", () => {
  const one = (cond: string, output: string) =>
    jsonResults(
      `
expect:
  output:
    json:
      assert:
        - { path: $.v, ${cond} }
`,
      { output },
    )[1];

  test.each([
    ["min: 1", '{"v":1}', "pass"],
    ["above: 1", '{"v":1}', "fail"],
    ["below: 2", '{"v":1.5}', "pass"],
    ["below: 2", '{"v":2}', "fail"],
    ["max: 2", '{"v":"1"}', "fail"],
    ["equals: { a: 1, b: [1, 2] }", '{"v":{"b":[1,2],"a":1}}', "pass"],
    ["equals: { a: 1 }", '{"v":{"a":1,"b":2}}', "fail"],
    ["equals: 1", '{"v":"1"}', "fail"],
    ["equals: null", '{"v":null}', "pass"],
    ["exists: true", '{"v":null}', "pass"],
    ["exists: true", '{"w":1}', "fail"],
    ["matches: deploy", '{"v":"deployed"}', "pass"],
    ["matches: '/^OK$/i'", '{"v":"ok"}', "pass"],
    ["type: object", '{"v":[]}', "fail"],
    ["type: number", '{"v":3}', "pass"],
  ])("%s on %s → %s", (cond, output, outcome) => {
    expect(one(cond, output)?.outcome).toBe(outcome);
  });

  test("any: over an array, and selecting nothing fails both all and any", () => {
    const body = (over: string) => `
expect:
  output:
    json:
      assert:
        - { path: '$.c[*]', ${over}: { min: 10 } }
`;
    expect(jsonResults(body("any"), { output: '{"c":[1,20]}' })[1]?.outcome).toBe("pass");
    expect(jsonResults(body("all"), { output: '{"c":[1,20]}' })[1]?.outcome).toBe("fail");
    expect(jsonResults(body("all"), { output: '{"c":[]}' })[1]?.message).toContain("no value");
    expect(jsonResults(body("any"), { output: '{"c":[]}' })[1]?.outcome).toBe("fail");
  });

  test("found values are shown sanitised and cut short", () => {
    const long = "x".repeat(500);
    const r = one("equals: ok", JSON.stringify({ v: `\u001b]0;title\u0007${long}` }));
    expect(r?.message).not.toContain("\u001b");
    expect(r?.message.length).toBeLessThan(200);
  });
});

describe("overrides", () => {
  test("an override's output.json replaces the spec-wide one for that instance", () => {
    const spec = specFrom(`
expect:
  output:
    json: { assert: [{ path: $.v, equals: 1 }] }
overrides:
  ins-canary01:
    output:
      json: { assert: [{ path: $.v, equals: 2 }] }
`);
    const v = evaluate(
      spec,
      observation([
        task({ output: '{"v":1}' }),
        task({ instanceId: "ins-canary01", output: '{"v":2}' }),
      ]),
    );
    expect(v.tasks.map((t) => t.outcome)).toEqual(["pass", "pass"]);
  });
});

describe("untrusted keys and odd output", () => {
  test("a selected value's path (keys from the output) is shown sanitised", () => {
    const body = `
expect:
  output:
    json:
      assert:
        - { path: '$.*', all: { type: number } }
`;
    const [, r] = jsonResults(body, { output: JSON.stringify({ "\u202Ename\u001b[2J": "x" }) });
    expect(r?.outcome).toBe("fail");
    expect(r?.message).not.toContain("\u202E");
    expect(r?.message).not.toContain("\u001b");
  });

  test("a byte order mark before the JSON is not a parse error", () => {
    const body = `
expect:
  output:
    json:
      from: whole
      assert:
        - { path: $.ok, equals: true }
`;
    expect(judge(body, { output: '\uFEFF{"ok":true}\r\n' }).outcome).toBe("pass");
  });
});

describe("the full log from COS", () => {
  const full = `${"x".repeat(30_000)}\n{"status":"ok","version":"1.4.2","checks":[{"ok":true}],"latencyMs":1}\n`;

  test("read from COS, TAT's cut no longer makes the JSON unreadable", () => {
    const t = judge(HEALTH, { output: full, droppedBytes: 6000, outputSource: "cos" });
    expect(t.outcome).toBe("pass");
  });

  test("COS needed and failed: could not verify, naming COS, never a pass", () => {
    const t = judge(HEALTH, {
      output: '{"status":"ok"}\n',
      droppedBytes: 6000,
      outputCosError: "COS object b-1/x: 403 AccessDenied",
    });
    expect(t.outcome).toBe("error");
    const [read] = jsonResults(HEALTH, {
      output: '{"status":"ok"}\n',
      droppedBytes: 6000,
      outputCosError: "COS object b-1/x: 403 AccessDenied",
    });
    expect(read?.message).toContain("403 AccessDenied");
  });
});

describe("numbers JSON.parse does not read as printed", () => {
  const body = (assertion: string, from = "last") => `
expect:
  output:
    json:
      from: ${from}
      assert:
        - ${assertion}
`;

  test("past 2^53, 1e400, 1e-400: not compared (could not verify), never a pass", () => {
    const cases: [string, string][] = [
      ['{"build":9007199254740993}', "{ path: $.build, max: 9007199254740992 }"],
      ['{"build":9007199254740993}', "{ path: $.build, equals: 9007199254740992 }"],
      ['{"n":1e400}', "{ path: $.n, min: 0 }"],
      ['{"n":1e-400}', "{ path: $.n, equals: 0 }"],
      ['{"n":1.0000000000000000001}', "{ path: $.n, type: integer }"],
      ['{"a":[9007199254740993]}', "{ path: $.a, equals: [9007199254740992] }"],
      ['{"a":[1,9007199254740993]}', "{ path: '$.a[*]', all: { max: 9007199254740992 } }"],
      ['{"a":[{"n":9007199254740993}]}', "{ path: '$.a[?@.n > 9007199254740992]', exists: true }"],
    ];
    for (const [output, assertion] of cases) {
      const [, check] = jsonResults(body(assertion), { output: `${output}\n` });
      expect([output, check?.outcome]).toEqual([output, "error"]);
      expect(check?.message).toContain("not compared");
    }
    const [, check] = jsonResults(body("{ path: $.build, max: 9007199254740992 }"), {
      output: '{"build":9007199254740993}\n',
    });
    expect(check?.message).toBe(
      "$.build holds a number printed as 9007199254740993, which is read as 9007199254740992: not compared (print it as a string to compare it exactly) (JSON from line 1)",
    );
  });

  test("a definite failure elsewhere still fails; exact numbers and other fields are judged", () => {
    const lines = '{"n":9007199254740993}\n{"n":-1}\n';
    const [, fails] = jsonResults(body("{ path: $.n, min: 0 }", "lines"), { output: lines });
    expect(fails).toMatchObject({ outcome: "fail", message: "line 2: $.n is -1, less than 0" });
    const output = '{"id":123456789012345678901,"status":"ok","ratio":0.1,"big":1e21,"x":1.50}\n';
    for (const assertion of [
      "{ path: $.status, equals: ok }",
      "{ path: $.ratio, equals: 0.1 }",
      "{ path: $.big, min: 1e20 }",
      "{ path: $.x, equals: 1.5 }",
      "{ path: $.id, type: number }",
      "{ path: $.id, exists: true }",
    ]) {
      const [, check] = jsonResults(body(assertion), { output });
      expect([assertion, check?.outcome]).toEqual([assertion, "pass"]);
    }
  });
});
