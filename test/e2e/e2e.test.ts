// End-to-end cases as folders of sibling files (hurl's harness): each folder under cases/ holds a
// spec, a scenario for the TAT emulator and case.json with the expected exit code and output
// fragments. The emulator runs in this process on loopback; the built CLI runs as a subprocess.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "@jest/globals";
import { loadScenario, startEmulator } from "../../src/emulator/index.js";
import { cleanEnv, runCli } from "../helpers/cli.js";

interface CaseFile {
  description: string;
  args: string[];
  env?: Record<string, string>;
  /** Scenario seconds per real second. */
  speed?: number;
  /** Override the credentials the CLI is given (e.g. a wrong key). */
  credentials?: { secretId?: string; secretKey?: string };
  exit: number;
  stdout?: string[];
  notStdout?: string[];
  stderr?: string[];
  notStderr?: string[];
  /** Send a signal once stdout contains `when`. */
  interrupt?: { when: string; signal: NodeJS.Signals };
  /** Files the run must have written (relative to the case folder) with fragments they contain. */
  files?: Record<string, string[]>;
  /** The emulator must never have answered RequestLimitExceeded more than this. */
  maxRateLimited?: number;
  timeoutMs?: number;
}

const casesDir = fileURLToPath(new URL("./cases", import.meta.url));
const cases = readdirSync(casesDir).filter((d) => existsSync(join(casesDir, d, "case.json")));

describe("end to end: the built CLI against the TAT emulator", () => {
  test("there are cases to run", () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  test.each(cases)("%s", async (name) => {
    const work = mkdtempSync(join(tmpdir(), `tat-assert-e2e-${name}-`));
    cpSync(join(casesDir, name), work, { recursive: true });
    const c = JSON.parse(readFileSync(join(work, "case.json"), "utf8")) as CaseFile;
    const scenario = await loadScenario(join(work, "scenario.yml"));
    const emulator = await startEmulator({ scenario, speed: c.speed ?? 1 });
    try {
      const cred = emulator.credentials[0];
      if (!cred) throw new Error(`${name}: scenario declares no credentials`);
      const env = cleanEnv({
        TENCENTCLOUD_SECRET_ID: c.credentials?.secretId ?? cred.secretId,
        TENCENTCLOUD_SECRET_KEY: c.credentials?.secretKey ?? cred.secretKey,
        TENCENTCLOUD_SESSION_TOKEN: cred.token,
        TENCENTCLOUD_REGION: "ap-guangzhou",
        ...c.env,
      });
      // validate calls no API and refuses the gate's options, --endpoint among them.
      const endpoint = c.args[0] === "validate" ? [] : ["--endpoint", emulator.url];
      const result = await runCli([...c.args, ...endpoint], {
        cwd: work,
        env,
        timeoutMs: c.timeoutMs ?? 60_000,
        onStart: (child, out) => {
          if (!c.interrupt) return;
          const { when, signal } = c.interrupt;
          const timer = setInterval(() => {
            if (out.stdout().includes(when)) {
              clearInterval(timer);
              child.kill(signal);
            }
          }, 20);
          child.on("close", () => clearInterval(timer));
        },
      });
      const context = `\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
      expect({ exit: result.code, context }).toEqual({ exit: c.exit, context });
      for (const f of c.stdout ?? [])
        expect({ has: f, out: result.stdout }).toEqual({ has: f, out: expect.stringContaining(f) });
      for (const f of c.stderr ?? [])
        expect({ has: f, err: result.stderr }).toEqual({ has: f, err: expect.stringContaining(f) });
      for (const f of c.notStdout ?? []) expect(result.stdout).not.toContain(f);
      for (const f of c.notStderr ?? []) expect(result.stderr).not.toContain(f);
      // The secret key never reaches any output.
      expect(result.stdout + result.stderr).not.toContain(cred.secretKey);
      for (const [file, fragments] of Object.entries(c.files ?? {})) {
        const text = readFileSync(join(work, file), "utf8");
        expect(text).not.toContain(cred.secretKey);
        for (const f of fragments)
          expect({ file, text }).toEqual({ file, text: expect.stringContaining(f) });
      }
      if (c.maxRateLimited !== undefined) {
        const limited = Object.values(emulator.stats().rateLimited).reduce((a, b) => a + b, 0);
        expect(limited).toBeLessThanOrEqual(c.maxRateLimited);
      }
    } finally {
      await emulator.close();
    }
  });
});
