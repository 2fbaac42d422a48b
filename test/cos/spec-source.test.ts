import { describe, expect, test } from "@jest/globals";
import { outputSourceFor } from "../../src/cos/output-source.js";
import { formatIssue } from "../../src/errors.js";
import { parseSpecs } from "../../src/spec/load.js";

const spec = (output: string) =>
  parseSpecs(
    `version: 1\ntarget: { invocationId: inv-aaaa1111 }\nexpect:\n  output: ${output}\n`,
    "s.yml",
    { env: {} },
  );

describe("expect.output.source", () => {
  test("is read with its place; left out it is absent (auto)", () => {
    const r = spec("{ notMatches: ERROR, source: cos }");
    expect(r.issues).toEqual([]);
    expect(r.specs[0]?.expect.output?.source).toMatchObject({ value: "cos", where: { line: 4 } });
    expect(spec("{ notMatches: ERROR }").specs[0]?.expect.output?.source).toBeUndefined();
  });

  test("anything but tat, cos or auto is a located error", () => {
    const r = spec("{ notMatches: ERROR, source: s3 }");
    expect(r.issues.map(formatIssue).join("\n")).toMatch(/s\.yml:4:.*source.*tat, cos or auto/);
  });
});

describe("outputSourceFor", () => {
  test("auto when output is read and no source is given; an instance override decides for its instance", () => {
    const r = parseSpecs(
      "version: 1\ntarget: { invocationId: inv-aaaa1111 }\nexpect:\n  output: { notMatches: ERROR }\noverrides:\n  ins-aaaa1111:\n    output: { matches: ok, source: tat }\n",
      "s.yml",
      { env: {} },
    );
    expect(r.issues.map(formatIssue)).toEqual([]);
    const spec = r.specs[0];
    if (!spec) throw new Error("no spec");
    const sourceFor = outputSourceFor(spec);
    expect(sourceFor({ InstanceId: "ins-bbbb2222" })).toBe("auto");
    expect(sourceFor({ InstanceId: "ins-aaaa1111" })).toBe("tat");
    const none =
      spec &&
      outputSourceFor({ ...spec, expect: { ...spec.expect, output: undefined }, overrides: [] });
    expect(none?.({ InstanceId: "ins-bbbb2222" })).toBeUndefined();
  });
});
