// Requests through a real forward proxy on loopback: TAT, STS and the Actions OIDC token go through
// the proxy the environment names, the metadata service never does, NO_PROXY is honoured.

import { mkdtemp, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import { type FakeActionsOidc, startFakeActionsOidc } from "../../src/emulator/actions-oidc.js";
import { buildScenario, type Emulator, startEmulator } from "../../src/emulator/index.js";
import { type FakeMetadata, startFakeMetadata } from "../../src/emulator/metadata.js";
import { type FakeSts, startFakeSts } from "../../src/emulator/sts.js";
import { UsageError } from "../../src/errors.js";
import { runGate } from "../../src/gate.js";
import { networkFetch, proxySecrets, proxySettings } from "../../src/net/proxy-fetch.js";
import { type FakeGithub, startFakeGithub } from "../helpers/fake-github.js";
import { type ForwardProxy, startForwardProxy } from "../helpers/forward-proxy.js";
import { Capture } from "../report/stream.js";

const hostPort = (url: string) => new URL(url).host;

describe("proxy settings from the environment", () => {
  test("lower-case names win, empty values count as unset, NO_PROXY=* turns the proxy off", () => {
    expect(proxySettings({})).toBeUndefined();
    expect(proxySettings({ HTTPS_PROXY: "  " })).toBeUndefined();
    expect(
      proxySettings({ https_proxy: "http://low:1", HTTPS_PROXY: "http://up:1", NO_PROXY: ".corp" }),
    ).toEqual({ httpsProxy: "http://low:1", noProxy: ".corp" });
    expect(proxySettings({ HTTP_PROXY: "http://up:2" })).toEqual({ httpProxy: "http://up:2" });
    expect(proxySettings({ HTTP_PROXY: "http://up:2", no_proxy: "*" })).toBeUndefined();
  });

  test("with no proxy named, the fetch is the platform's own", () => {
    expect(networkFetch({ NO_PROXY: "example.com" })).toBe(globalThis.fetch);
  });

  test("a proxy password is a secret to mask", () => {
    expect(proxySecrets({ HTTPS_PROXY: "http://me:s%3Acret@proxy:3128" })).toEqual([
      "s%3Acret",
      "s:cret",
    ]);
    expect(proxySecrets({ HTTPS_PROXY: "http://proxy:3128" })).toEqual([]);
    // Not percent-decodable: the password as written is still a secret.
    expect(proxySecrets({ HTTPS_PROXY: "http://me:p%ZZw@proxy:3128" })).toEqual(["p%ZZw"]);
  });

  test("a proxy setting undici cannot use is a usage error naming the variable, never its password", () => {
    for (const value of [
      "proxy.corp:3128",
      "127.0.0.1:3128",
      "socks5://127.0.0.1:1080",
      "http://me:pw-SECRET-1@[bad",
      "http://me:pw-SECRET-1%ZZ@proxy:3128",
    ]) {
      let thrown: unknown;
      try {
        networkFetch({ HTTPS_PROXY: value });
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(UsageError);
      expect(String((thrown as Error).message)).toMatch(/^HTTPS_PROXY .*http:\/\/HOST:PORT/);
      expect(String((thrown as Error).message)).not.toContain("SECRET");
    }
  });
});

describe("through a real forward proxy", () => {
  let proxy: ForwardProxy;
  let target: Emulator;

  beforeEach(async () => {
    proxy = await startForwardProxy({ refuse: (t) => t.endsWith(".invalid:443") });
    target = await startEmulator({ scenario: buildScenario({ invocations: [] }) });
  });
  afterEach(async () => {
    await Promise.all([proxy.close(), target.close()]);
  });

  test("HTTP_PROXY (or http_proxy) carries http requests; the proxy sees them", async () => {
    for (const name of ["HTTP_PROXY", "http_proxy"]) {
      proxy.seen.length = 0;
      const res = await networkFetch({ [name]: proxy.url })(`${target.url}/`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      // The emulator answered (an API error for an unsigned request): the request got through.
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('"RequestId"');
      expect(proxy.seen).toEqual([hostPort(target.url)]);
    }
  });

  test("HTTPS_PROXY carries https requests: the proxy is asked for the tunnel", async () => {
    const fetch = networkFetch({ HTTPS_PROXY: proxy.url });
    await expect(fetch("https://tat.tencentcloudapi.invalid/")).rejects.toThrow();
    expect(proxy.seen).toEqual(["tat.tencentcloudapi.invalid:443"]);
  });

  test("NO_PROXY hosts and the direct (metadata) URLs bypass the proxy", async () => {
    const byNoProxy = networkFetch({ HTTP_PROXY: proxy.url, NO_PROXY: "example.com,127.0.0.1" });
    expect((await byNoProxy(`${target.url}/`, { method: "POST", body: "{}" })).status).toBe(200);
    const byDirect = networkFetch({ HTTP_PROXY: proxy.url }, { direct: [target.url] });
    expect((await byDirect(`${target.url}/`, { method: "POST", body: "{}" })).status).toBe(200);
    expect(proxy.seen).toEqual([]);
  });
});

describe("NO_PROXY with IPv6 literals", () => {
  test("a bare IPv6 address (`::1`, as curl takes it) bypasses the proxy like `[::1]` does", async () => {
    const proxy = await startForwardProxy();
    const server = createServer((_req, res) => res.end("direct"));
    await new Promise<void>((done) => server.listen(0, "::1", done));
    const { port } = server.address() as AddressInfo;
    try {
      for (const noProxy of ["localhost,127.0.0.1,::1", "::1", "[::1]", `[::1]:${port}`]) {
        const fetch = networkFetch({ HTTP_PROXY: proxy.url, NO_PROXY: noProxy });
        expect(await (await fetch(`http://[::1]:${port}/`)).text()).toBe("direct");
      }
      expect(proxy.seen).toEqual([]);
    } finally {
      await Promise.all([proxy.close(), new Promise((done) => server.close(done))]);
    }
  });
});

describe("a whole run behind a proxy", () => {
  const ROLE = "qcs::cam::uin/100000000001:roleName/deploy-gate";
  let proxy: ForwardProxy;
  let emulator: Emulator;
  let oidc: FakeActionsOidc;
  let sts: FakeSts;
  let metadata: FakeMetadata;

  beforeEach(async () => {
    proxy = await startForwardProxy();
    emulator = await startEmulator({
      scenario: buildScenario({
        invocations: [
          {
            id: "inv-0a1b2c3d",
            commandId: "cmd-deploy",
            tasks: [{ instance: "ins-web1", timeline: "PENDING@0s SUCCESS@0.1s" }],
          },
        ],
      }),
    });
    oidc = await startFakeActionsOidc();
    sts = await startFakeSts({
      acceptToken: (t) => !!oidc.verify(t),
      lifetimeSeconds: 900,
      onIssue: (c) => emulator.addCredential(c),
    });
    metadata = await startFakeMetadata({ roleName: "cvm-role" });
  });
  afterEach(async () => {
    await Promise.all([
      proxy.close(),
      emulator.close(),
      oidc.close(),
      sts.close(),
      metadata.close(),
    ]);
  });

  test("the Actions OIDC token, STS, TAT and the GitHub check run all go through the proxy", async () => {
    const github: FakeGithub = await startFakeGithub({ token: "ghs_proxytest" });
    const dir = await mkdtemp(join(tmpdir(), "tat-proxy-"));
    await writeFile(
      join(dir, "spec.yml"),
      "version: 1\nname: deploy\nregion: ap-guangzhou\ntarget: { invocationId: inv-0a1b2c3d }\nwait: { timeout: 10s, minInterval: 200ms }\nexpect: { status: SUCCESS }\n",
    );
    const report = await runGate(
      {
        patterns: ["spec.yml"],
        endpoint: emulator.url,
        reporters: ["github-check"],
        failFast: false,
        quiet: true,
        verbose: false,
        credentials: { stsEndpoint: sts.url, metadataEndpoint: metadata.url },
      },
      {
        stdout: new Capture(),
        stderr: new Capture(),
        env: {
          GITHUB_ACTIONS: "true",
          TENCENTCLOUD_ROLE_ARN: ROLE,
          ...oidc.env(),
          GITHUB_TOKEN: "ghs_proxytest",
          GITHUB_REPOSITORY: "acme/deploys",
          GITHUB_SHA: "a".repeat(40),
          GITHUB_API_URL: github.url,
          https_proxy: proxy.url,
          HTTP_PROXY: proxy.url,
        },
        cwd: dir,
        homeDir: dir,
      },
    );
    await github.close();
    expect(report.exitCode).toBe(0);
    expect([...github.runs.values()].map((r) => r.conclusion)).toEqual(["success"]);
    const seen = new Set(proxy.seen);
    expect(seen).toEqual(
      new Set([
        hostPort(oidc.env().ACTIONS_ID_TOKEN_REQUEST_URL),
        hostPort(sts.url),
        hostPort(emulator.url),
        hostPort(github.url),
      ]),
    );
    // The chain probed no metadata (OIDC came first), and nothing of it went through the proxy.
    expect(seen.has(hostPort(metadata.url))).toBe(false);
  });

  test("with the CVM role, the metadata service is reached directly while TAT is proxied", async () => {
    const roleMetadata = await startFakeMetadata({
      roleName: "cvm-role",
      onIssue: (c) => emulator.addCredential(c),
    });
    try {
      const dir = await mkdtemp(join(tmpdir(), "tat-proxy-"));
      await writeFile(
        join(dir, "spec.yml"),
        "version: 1\nname: deploy\nregion: ap-guangzhou\ntarget: { invocationId: inv-0a1b2c3d }\nwait: { timeout: 10s, minInterval: 200ms }\nexpect: { status: SUCCESS }\n",
      );
      const report = await runGate(
        {
          patterns: ["spec.yml"],
          endpoint: emulator.url,
          reporters: [],
          failFast: false,
          quiet: true,
          verbose: false,
          credentials: { metadataEndpoint: roleMetadata.url },
        },
        {
          stdout: new Capture(),
          stderr: new Capture(),
          env: { HTTP_PROXY: proxy.url },
          cwd: dir,
          homeDir: dir,
        },
      );
      expect(report.exitCode).toBe(0);
      expect(roleMetadata.requests.length).toBeGreaterThan(0);
      expect(new Set(proxy.seen)).toEqual(new Set([hostPort(emulator.url)]));
    } finally {
      await roleMetadata.close();
    }
  });
});
