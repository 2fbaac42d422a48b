import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, test } from "@jest/globals";
import { staticCredentials } from "../../src/credentials/types.js";
import { runEmulatorCommand } from "../../src/emulator/main.js";
import { TatClient } from "../../src/tat/client.js";
import { RateLimiter } from "../../src/tat/rate-limiter.js";
import { sign } from "../../src/tat/sign.js";

function sink(): Writable & { text: () => string } {
  let buf = "";
  const w = new Writable({
    write(chunk, _enc, cb) {
      buf += chunk.toString();
      cb();
    },
  });
  return Object.assign(w, { text: () => buf });
}

async function run(argv: string[], signal?: AbortSignal) {
  const stdout = sink();
  const stderr = sink();
  const exit = await runEmulatorCommand(argv, { stdout, stderr }, signal);
  return { exit, out: stdout.text(), err: stderr.text() };
}

describe("tat-assert emulator", () => {
  test("--help prints usage and exits 0", async () => {
    const r = await run(["--help"]);
    expect(r.exit).toBe(0);
    expect(r.out).toContain("--scenario FILE");
  });

  test.each([
    [[], /--scenario FILE is required/],
    [["--scenario", "x.yml", "--port", "http"], /--port must be an integer/],
    [["--scenario", "x.yml", "--speed", "0"], /--speed must be a positive number/],
    [["--scenario", "x.yml", "--verbose"], /Unknown option '--verbose'/],
    [["--scenario", "x.yml", "extra"], /unexpected argument `extra`/],
  ])("bad arguments %j exit 2", async (argv, message) => {
    const r = await run(argv);
    expect(r.exit).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).toContain("Usage: tat-assert emulator");
  });

  test("an invalid scenario exits 2 and lists its issues with file:line:col", async () => {
    const file = "test/fixtures/scenarios/invalid/unknown-fields.yml";
    const r = await run(["--scenario", file]);
    expect(r.exit).toBe(2);
    expect(r.err).toContain(`${file}:4:5: credentials[0].secretkey: unknown field \`secretkey\``);
  });

  test("a missing scenario file exits 2", async () => {
    const r = await run(["--scenario", "no/such/file.yml"]);
    expect(r.exit).toBe(2);
    expect(r.err).toMatch(/cannot read scenario no\/such\/file\.yml/);
  });

  test("serves until aborted, printing the URL and the accepted demo credentials", async () => {
    const controller = new AbortController();
    const stdout = sink();
    const stderr = sink();
    const done = runEmulatorCommand(
      ["--scenario", "specs/scenarios/demo.yml", "--speed", "100"],
      { stdout, stderr },
      controller.signal,
    );
    while (!stdout.text().includes("Ctrl-C")) await new Promise((r) => setImmediate(r));
    const out = stdout.text();
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] as string;
    const secretId = /TENCENTCLOUD_SECRET_ID=(\S+)/.exec(out)?.[1] as string;
    const secretKey = /TENCENTCLOUD_SECRET_KEY=(\S+)/.exec(out)?.[1] as string;
    expect(out).toContain("2 invocation(s), 10 task(s)");
    expect(secretId).toMatch(/^AKIDDEMO/);

    const body = "{}";
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      "Content-Type": "application/json",
      Host: new URL(url).host,
      "X-TC-Action": "DescribeInvocations",
      "X-TC-Version": "2020-10-28",
      "X-TC-Region": "ap-guangzhou",
      "X-TC-Timestamp": String(timestamp),
    };
    const { authorization } = sign({
      method: "POST",
      headers,
      payload: body,
      service: "tat",
      timestamp,
      secretId,
      secretKey,
    });
    const res = await fetch(url, {
      method: "POST",
      headers: { ...headers, Authorization: authorization },
      body,
    });
    const json = (await res.json()) as { Response: { TotalCount: number } };
    expect(json.Response.TotalCount).toBe(2);

    controller.abort();
    expect(await done).toBe(0);
    expect(stdout.text()).toContain("TAT emulator stopped");
    await expect(fetch(url, { method: "POST", body })).rejects.toThrow();
  });

  test.each([
    [true, "runs"],
    [false, "does not run"],
  ])("--local-exec %s: a RunCommand script %s on this machine", async (flag, _) => {
    const controller = new AbortController();
    const stdout = sink();
    const scenario = "examples/emulator-demo/runbook/scenario.yml";
    const done = runEmulatorCommand(
      ["--scenario", scenario, ...(flag ? ["--local-exec"] : [])],
      { stdout, stderr: sink() },
      controller.signal,
    );
    while (!stdout.text().includes("Ctrl-C")) await new Promise((r) => setImmediate(r));
    const out = stdout.text();
    expect(out.includes("RUN ON THIS MACHINE")).toBe(flag);
    const client = new TatClient({
      endpoint: /listening on (\S+)/.exec(out)?.[1] as string,
      region: "ap-guangzhou",
      credentials: staticCredentials({
        secretId: /TENCENTCLOUD_SECRET_ID=(\S+)/.exec(out)?.[1] as string,
        secretKey: /TENCENTCLOUD_SECRET_KEY=(\S+)/.exec(out)?.[1] as string,
      }),
      limiter: new RateLimiter(),
    });
    const marker = join(mkdtempSync(join(tmpdir(), "tat-local-exec-")), "ran");
    await client.runCommand({
      Content: Buffer.from(`echo yes > '${marker}'`).toString("base64"),
      InstanceIds: ["ins-web00001"],
    });
    for (let i = 0; i < 100 && !existsSync(marker); i++)
      await new Promise((r) => setTimeout(r, 30));
    expect(existsSync(marker)).toBe(flag);
    controller.abort();
    expect(await done).toBe(0);
  });
});
