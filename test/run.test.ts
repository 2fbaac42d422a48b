// The run's last step: reporters end in stages so that what one could not write is shown by the
// later ones and reflected in the exit code. Skipped specs need no API, so no reader is called.
import { Writable } from "node:stream";
import { expect, test } from "@jest/globals";
import type { Spec } from "../src/model.js";
import { consoleReporter } from "../src/report/console.js";
import type { Reporter } from "../src/report/reporter.js";
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

test("a reporter that fails is shown by the console, which ends last, and makes exit 5", async () => {
  const { specs } = parseSpecs(
    "version: 1\nname: later\ntarget: { invocationId: inv-aaaaaaaa }\nskip: not today\n",
    "s.yml",
    { env: {} },
  );
  let text = "";
  const out = new Writable({
    write(chunk, _e, done) {
      text += chunk.toString();
      done();
    },
  });
  const broken: Reporter = {
    name: "github-check",
    end: () => Promise.reject(new Error("HTTP 502 from the API")),
  };
  const warnings: string[] = [];
  const report = await run({
    specs: specs as Spec[],
    api: unused,
    reporters: [consoleReporter({ out, live: false, color: false }), broken],
    version: "0",
    warn: (m) => warnings.push(m),
  });
  expect(report.exitCode).toBe(5);
  expect(text).toContain("error: reporter github-check failed: HTTP 502 from the API");
  expect(text).toContain(
    "exit 5: nothing was checked: every spec was skipped, and a requested report could not be written",
  );
  // Said once: the console shows it, so it is not also a warning.
  expect(warnings).toEqual([]);
  expect(text.match(/HTTP 502 from the API/g)).toHaveLength(1);
});

test("a reporter that hangs after the verdict is abandoned within the reporter time, named, exit 5", async () => {
  const { specs } = parseSpecs(
    "version: 1\nname: later\ntarget: { invocationId: inv-aaaaaaaa }\nskip: not today\n",
    "s.yml",
    { env: {} },
  );
  let text = "";
  const out = new Writable({
    write(chunk, _e, done) {
      text += chunk.toString();
      done();
    },
  });
  const hanging: Reporter = {
    name: "json",
    file: "/tmp/never.json",
    end: () => new Promise(() => {}),
  };
  const started = Date.now();
  const report = await run({
    specs: specs as Spec[],
    api: unused,
    reporters: [consoleReporter({ out, live: false, color: false }), hanging],
    version: "0",
    reporterTimeoutMs: 300,
  });
  expect(Date.now() - started).toBeLessThan(5000);
  expect(report.exitCode).toBe(5);
  expect(report.errors).toEqual([
    {
      kind: "reporter",
      code: "json",
      message:
        "reporter json failed: did not finish within 300ms after the verdict and was abandoned",
    },
  ]);
  // The console ends after it and still says so.
  expect(text).toContain("error: reporter json failed: did not finish within 300ms");
});
