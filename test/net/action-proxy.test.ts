// The Action behind a proxy, as a self-hosted runner runs it: a bundle freshly built from these
// sources (so the proxy code is in it) and copied alone, TAT and the GitHub check run reached only
// through a real forward proxy named by HTTPS_PROXY/HTTP_PROXY.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { buildScenario, type Emulator, startEmulator } from "../../src/emulator/index.js";
import { GITHUB_TOKEN, runAction } from "../action/harness.js";
import { ROOT } from "../helpers/cli.js";
import { type FakeGithub, startFakeGithub } from "../helpers/fake-github.js";
import { type ForwardProxy, startForwardProxy } from "../helpers/forward-proxy.js";

const CREDENTIAL = { secretId: "AKIDactionProxy00000000000000000000001", secretKey: "ap-key-77c2" };
const SPEC = `version: 1
name: deploy
target: { invocationId: inv-proxy001 }
wait: { timeout: 20s, minInterval: 200ms }
expect: { exitCode: 0 }
`;

let main: string;
let emulator: Emulator;
let github: FakeGithub;
let proxy: ForwardProxy;

beforeAll(async () => {
  const out = mkdtempSync(join(tmpdir(), "tat-proxy-bundle-"));
  const r = spawnSync(process.execPath, [join(ROOT, "scripts", "bundle.mjs"), "--outdir", out], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`bundle failed: ${r.stderr}`);
  const action = mkdtempSync(join(tmpdir(), "tat-proxy-action-"));
  mkdirSync(join(action, "action-dist"));
  main = join(action, "action-dist", "index.mjs");
  copyFileSync(join(out, "index.mjs"), main);
  emulator = await startEmulator({
    scenario: buildScenario({
      credentials: [CREDENTIAL],
      invocations: [
        {
          id: "inv-proxy001",
          commandId: "cmd-deploy01",
          tasks: [{ instance: "ins-web00001", timeline: "PENDING@0s RUNNING@0.1s SUCCESS@0.3s" }],
        },
      ],
    }),
  });
  github = await startFakeGithub({ token: GITHUB_TOKEN });
  proxy = await startForwardProxy();
}, 60_000);
afterAll(async () => {
  await Promise.all([emulator.close(), github.close(), proxy.close()]);
});

test("the Action reaches TAT and GitHub through the proxy the runner names", async () => {
  const r = await runAction(main, {
    inputs: {
      specs: "specs/*.yml",
      region: "ap-guangzhou",
      endpoint: emulator.url,
      "secret-id": CREDENTIAL.secretId,
      "secret-key": CREDENTIAL.secretKey,
    },
    files: { "specs/deploy.yml": SPEC },
    env: { GITHUB_API_URL: github.url, HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url },
  });
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
  expect([...github.runs.values()].map((run) => run.conclusion)).toEqual(["success"]);
  expect(new Set(proxy.seen)).toEqual(
    new Set([new URL(emulator.url).host, new URL(github.url).host]),
  );
});
