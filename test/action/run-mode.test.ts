// The Action's `mode: run`, through the adapter's source (the committed bundle is rebuilt from it
// after merging): it starts the `run:` specs on the emulator, outputs the invocation ids, and the
// default `gate` mode refuses such specs.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, test } from "@jest/globals";
import { runAction } from "../../src/action/main.js";
import { buildScenario, type Emulator, startEmulator } from "../../src/emulator/index.js";

const CRED = {
  secretId: "AKIDACTIONRUN00000000000000000000000",
  secretKey: "action-run-secret-1c2d",
};
const emulators: Emulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

const SPEC = `version: 1
name: migrate
run:
  command: /opt/migrate.sh
  instances: [ins-db000001]
wait: { minInterval: 200ms, maxInterval: 300ms }
expect: { output: { matches: migrated } }
`;

function sink() {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer | string, _e, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

async function step(inputs: Record<string, string>) {
  const scenario = buildScenario({
    credentials: [CRED],
    onRun: [{ match: { content: "migrate" }, output: "migrated 3 tables\n" }],
  });
  const emu = await startEmulator({ scenario });
  emulators.push(emu);
  const cwd = mkdtempSync(join(tmpdir(), "tat-assert-action-run-"));
  await mkdir(join(cwd, "specs"));
  writeFileSync(join(cwd, "specs/migrate.yml"), SPEC);
  const outputFile = join(cwd, "github-output");
  writeFileSync(outputFile, "");
  const env: Record<string, string> = {
    GITHUB_OUTPUT: outputFile,
    INPUT_SPECS: "specs/*.yml",
    INPUT_REGION: "ap-guangzhou",
    INPUT_ENDPOINT: emu.url,
    "INPUT_SECRET-ID": CRED.secretId,
    "INPUT_SECRET-KEY": CRED.secretKey,
    "INPUT_CHECK-RUN": "false",
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const out = sink();
  const err = sink();
  const code = await runAction({ stdout: out.stream, stderr: err.stream, env, cwd, homeDir: cwd });
  const outputs: Record<string, string> = {};
  for (const m of readFileSync(outputFile, "utf8").matchAll(
    /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm,
  )) {
    outputs[m[1] as string] = m[3] as string;
  }
  return { code, stdout: out.text(), stderr: err.text(), outputs, emu };
}

describe("Action mode: run", () => {
  test("starts the run: spec, judges it, and outputs the invocation ids", async () => {
    const r = await step({ mode: "run" });
    expect({ code: r.code, out: r.stdout + r.stderr }).toEqual({
      code: 0,
      out: expect.any(String),
    });
    expect(r.outputs["invocation-ids"]).toMatch(/^inv-[a-z0-9]{8}$/);
    expect(r.stdout).toContain(`migrate: started ${r.outputs["invocation-ids"]}`);
    expect(r.outputs.result).toBe("passed");
    expect(r.emu.stats().requests.RunCommand).toBe(1);
  });

  test("the default gate mode refuses it and starts nothing", async () => {
    const r = await step({});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("tat-assert run");
    expect(r.outputs["invocation-ids"]).toBe("");
    expect(r.emu.stats().requests.RunCommand).toBeUndefined();
  });

  test("a mode other than gate or run is an input error", async () => {
    const r = await step({ mode: "launch" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('input mode: expected "gate" or "run", got "launch"');
  });
});
