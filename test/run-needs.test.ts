// needs: in run(): a spec whose need was skipped on purpose is not judged and cannot pass; neither
// spec touches the API.
import { expect, test } from "@jest/globals";
import type { Spec } from "../src/model.js";
import { run } from "../src/run.js";
import { parseSpecs } from "../src/spec/load.js";
import type { TatReader } from "../src/wait/tat-reader.js";

const unused: TatReader = {
  invocations: () => Promise.reject(new Error("not called")),
  invocationsByFilter: () => Promise.reject(new Error("not called")),
  commandIdsByName: () => Promise.reject(new Error("not called")),
  tasksById: () => Promise.reject(new Error("not called")),
  tasksByFilter: () => Promise.reject(new Error("not called")),
};

const load = (text: string): Spec[] => {
  const { specs, issues } = parseSpecs(text, "s.yml", { env: {} });
  expect(issues).toEqual([]);
  return specs;
};

test("the need skipped on purpose: the dependent is an error (exit 3), never polled", async () => {
  const specs = load(
    "version: 1\nname: smoke\nneeds: deploy\ntarget: { invocationId: inv-bbbbbbbb }\n---\nversion: 1\nname: deploy\ntarget: { invocationId: inv-aaaaaaaa }\nskip: not today\n",
  );
  const report = await run({ specs, api: unused, reporters: [], version: "0" });
  expect(report.specs.map((s) => [s.name, s.outcome])).toEqual([
    ["smoke", "error"],
    ["deploy", "skip"],
  ]);
  expect(report.exitCode).toBe(3);
  expect(report.specs[0]?.fleet[0]?.check).toBe("needs");
});

test("a library caller's needs naming no spec of the run: an internal error, not a hang", async () => {
  const specs = load(
    "version: 1\nname: smoke\nneeds: ghost\ntarget: { invocationId: inv-bbbbbbbb }\n",
  );
  const report = await run({ specs, api: unused, reporters: [], version: "0" });
  expect(report.exitCode).toBe(70);
  expect(report.errors[0]?.message).toContain("not specs of this run");
});
