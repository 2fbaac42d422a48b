// Full output from COS over real HTTP: the TAT emulator serves the cut copy, its COS endpoint the
// whole log (signature checked with the SDK's signer), and completeTruncatedOutputs puts the two
// together. A local recorder stands in for a host that must never see credentials.
import { createServer, type IncomingHttpHeaders } from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { completeEach, completeTruncatedOutputs } from "../../src/cos/complete-truncated.js";
import { fetchCosOutput } from "../../src/cos/fetch-output.js";
import { staticCredentials } from "../../src/credentials/types.js";
import { startCosEmulator } from "../../src/emulator/cos.js";
import {
  buildScenario,
  type Emulator,
  manualClock,
  startEmulator,
} from "../../src/emulator/index.js";
import { closeServer, listen } from "../../src/emulator/listen.js";
import { TatClient } from "../../src/tat/client.js";
import type { InvocationTask } from "../../src/tat/types.js";

const KEY = { secretId: "AKIDcosTest0001", secretKey: "cos-test-secret-key" };
const INV = "inv-c05c05c0";
const BUCKET = "https://logs-1250000000.cos.ap-guangzhou.myqcloud.com";
const url = (task: string) => `${BUCKET}/${INV}/${task}.log`;
/** Emulator task ids are `invt-` and 8 characters. */
const tid = (name: string) => `invt-${name.padEnd(8, "0")}`;

// 100 KiB: 32 KiB of fine lines, then ERROR well past TAT's 24 KiB cut, then more fine lines.
const FINE = "step ok\n".repeat(4096);
const BIG = `${FINE}ERROR: migration 42 failed\n${"tail ok\n".repeat(12_800 - 4096 - 4)}`;

let emulator: Emulator;
let recorder: { url: string; headers: IncomingHttpHeaders[]; close(): Promise<void> };
let tasks: InvocationTask[];

const task = (id: string, fields: Record<string, unknown>) => ({
  instance: `ins-${id.padEnd(8, "0")}`,
  id: tid(id),
  timeline: "PENDING@0s RUNNING@1s SUCCESS@2s",
  ...fields,
});

beforeAll(async () => {
  const headers: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    headers.push(req.headers);
    res.writeHead(200, { "Content-Length": 2 });
    res.end("hi");
  });
  recorder = { url: await listen(server), headers, close: () => closeServer(server) };
  const clock = manualClock();
  emulator = await startEmulator({
    clock,
    scenario: buildScenario({
      credentials: [KEY],
      invocations: [
        {
          id: INV,
          commandId: "cmd-c05",
          tasks: [
            task("big", { output: BIG, outputUrl: url(tid("big")) }),
            task("denied", {
              output: BIG,
              outputUrl: url(tid("denied")),
              cosFault: "accessDenied",
            }),
            task("missing", { output: BIG, outputUrl: url(tid("missing")), cosFault: "noSuchKey" }),
            task("cut", { output: BIG, outputUrl: url(tid("cut")), cosFault: "truncated" }),
            task("upload", {
              output: BIG,
              outputUrl: url(tid("upload")),
              outputUploadCOSErrorInfo:
                "Upload output to cos failed, please check if ins-upload has permission to put file to COS",
            }),
            task("nourl", { output: BIG }),
            task("foreign", { output: BIG, outputUrl: `${recorder.url}/logs/x.log` }),
            task("small", { output: "all fine\n", outputUrl: url(tid("small")) }),
          ],
        },
      ],
    }),
  });
  clock.advance(3000);
  const client = new TatClient({
    endpoint: emulator.url,
    region: "ap-guangzhou",
    credentials: staticCredentials(KEY),
    retries: 0,
  });
  const answer = await client.describeInvocationTasks({
    Filters: [{ Name: "invocation-id", Values: [INV] }],
    HideOutput: false,
    Limit: 100,
  });
  tasks = answer.InvocationTaskSet ?? [];
});

afterAll(async () => {
  await emulator?.close();
  await recorder?.close();
});

const byId = (id: string) => tasks.find((t) => t.InvocationTaskId === tid(id)) as InvocationTask;
const deps = () => ({
  credentials: staticCredentials(KEY),
  cosEndpoint: emulator.cosUrl as string,
  sourceFor: () => "auto" as const,
});

describe("completeTruncatedOutputs", () => {
  test("a 100 KiB output cut at 24 KiB is replaced by the full COS object, ERROR included", async () => {
    const cut = byId("big");
    const tatCopy = Buffer.from(cut.TaskResult?.Output ?? "", "base64").toString();
    expect(tatCopy).not.toContain("ERROR");
    expect(cut.TaskResult?.Dropped).toBe(BIG.length - 24 * 1024);

    const { tasks: out, outcomes } = await completeTruncatedOutputs([cut], deps());
    const full = Buffer.from(out[0]?.TaskResult?.Output ?? "", "base64").toString();
    expect(full).toBe(BIG);
    expect(full).toContain("ERROR: migration 42 failed");
    expect(out[0]?.TaskResult?.Dropped).toBe(0);
    expect(outcomes.get(tid("big"))).toEqual({ source: "cos", tatDropped: BIG.length - 24 * 1024 });
    // Records in, records out: the caller's record is not changed.
    expect(cut.TaskResult?.Dropped).toBe(BIG.length - 24 * 1024);
  });

  test("each failure is unverifiable, naming the COS error or the upload error", async () => {
    const ids = ["denied", "missing", "cut", "upload", "nourl"];
    // `cos`, so the task without OutputUrl goes to COS too (`auto` leaves it to TAT's copy).
    const { tasks: out, outcomes } = await completeTruncatedOutputs(ids.map(byId), {
      ...deps(),
      sourceFor: () => "cos",
    });
    const reason = (id: string) => {
      const o = outcomes.get(tid(id));
      return o && "unverifiable" in o ? o.unverifiable : `no reason for ${id}`;
    };
    expect(reason("denied")).toMatch(/HTTP 403 AccessDenied/);
    expect(reason("missing")).toMatch(/HTTP 404 NoSuchKey/);
    expect(reason("cut")).toMatch(/cut short|read failed/);
    expect(reason("upload")).toMatch(
      /could not upload.*OutputUploadCOSErrorInfo: Upload output to cos failed, please check if ins-upload/,
    );
    expect(reason("nourl")).toMatch(/OutputUrl is empty/);
    // Nothing unverified is passed on as complete.
    for (const t of out) expect(t.TaskResult?.Dropped).toBeGreaterThan(0);
  });

  test("only tasks whose checks read output, and only cut ones under auto", async () => {
    const { tasks: out, outcomes } = await completeTruncatedOutputs(
      [byId("big"), byId("small"), byId("denied")],
      { ...deps(), sourceFor: (t) => (t.InvocationTaskId === tid("denied") ? undefined : "auto") },
    );
    expect([...outcomes.keys()]).toEqual([tid("big")]);
    expect(out[1]).toBe(byId("small"));
    expect(out[2]).toBe(byId("denied"));
    const cos = await completeTruncatedOutputs([byId("small")], {
      ...deps(),
      sourceFor: () => "cos",
    });
    expect(cos.outcomes.get(tid("small"))).toEqual({ source: "cos", tatDropped: 0 });
    const tat = await completeTruncatedOutputs([byId("big")], {
      ...deps(),
      sourceFor: () => "tat",
    });
    expect(tat.outcomes.size).toBe(0);
    // `auto`: a cut task with no OutputUrl and no upload error has nothing in COS: TAT's copy.
    const nourl = await completeTruncatedOutputs([byId("nourl")], deps());
    expect(nourl.outcomes.size).toBe(0);
    expect(nourl.tasks[0]).toBe(byId("nourl"));
  });

  test("completeEach hands each record on as it completes, holding no more than it reads", async () => {
    const seen: string[] = [];
    await completeEach([byId("small"), byId("big"), byId("denied")], deps(), (t, outcome) => {
      seen.push(`${t.InvocationTaskId}:${outcome ? ("source" in outcome ? "cos" : "x") : "tat"}`);
    });
    // The task needing nothing from COS first, then the others as they come in.
    expect(seen[0]).toBe(`${tid("small")}:tat`);
    expect(seen.slice(1).sort()).toEqual([`${tid("big")}:cos`, `${tid("denied")}:x`].sort());
  });

  test("a non-COS OutputUrl never receives a request, let alone the Authorization header", async () => {
    const { outcomes } = await completeTruncatedOutputs([byId("foreign")], {
      ...deps(),
      sourceFor: () => "cos",
    });
    expect(outcomes.get(tid("foreign"))).toEqual({
      unverifiable: expect.stringMatching(/not a COS URL/),
    });
    expect(recorder.headers).toEqual([]);
  });
});

describe("fetchCosOutput", () => {
  test("without an endpoint override, a look-alike host gets nothing either", async () => {
    for (const bad of [
      `${recorder.url}/logs-1250000000/x.log`,
      "https://logs-1250000000.cos.ap-guangzhou.myqcloud.com.evil.example/x.log",
      "http://logs-1250000000.cos.ap-guangzhou.myqcloud.com/x.log",
      "https://user:pw@logs-1250000000.cos.ap-guangzhou.myqcloud.com/x.log",
    ]) {
      const r = await fetchCosOutput(bad, { credentials: staticCredentials(KEY) });
      expect(r).toEqual({ unverifiable: expect.stringMatching(/not a COS URL/) });
    }
    expect(recorder.headers).toEqual([]);
  });

  test("a wrong key is refused by the emulator with SignatureDoesNotMatch", async () => {
    const r = await fetchCosOutput(url(tid("big")), {
      credentials: staticCredentials({ ...KEY, secretKey: "not-the-key" }),
      cosEndpoint: emulator.cosUrl as string,
    });
    expect(r).toEqual({ unverifiable: expect.stringMatching(/HTTP 403 SignatureDoesNotMatch/) });
    expect(JSON.stringify(r)).not.toContain("not-the-key");
  });

  test("an object over the size limit is unverifiable, naming the limit", async () => {
    const r = await fetchCosOutput(url(tid("big")), {
      credentials: staticCredentials(KEY),
      cosEndpoint: emulator.cosUrl as string,
      maxBytes: 64 * 1024,
    });
    expect(r).toEqual({
      unverifiable: expect.stringMatching(/larger than the 0.1 MiB read limit/),
    });
  });

  test("a redirect is not followed; the reason names where it pointed", async () => {
    const server = createServer((_req, res) => {
      res.writeHead(302, { Location: "https://attacker.example/steal", "Content-Length": 0 });
      res.end();
    });
    const base = await listen(server);
    try {
      const r = await fetchCosOutput(url(tid("big")), {
        credentials: staticCredentials(KEY),
        cosEndpoint: base,
      });
      expect(r).toEqual({
        unverifiable: expect.stringMatching(/HTTP 302 redirecting to attacker\.example/),
      });
    } finally {
      await closeServer(server);
    }
  });

  test("a COS that does not answer in time is unverifiable (slow fault)", async () => {
    const cos = await startCosEmulator({
      objects: new Map([["logs-1250000000/slow.log", { bytes: Buffer.from("x"), fault: "slow" }]]),
      findCredential: (id) => (id === KEY.secretId ? KEY : undefined),
    });
    try {
      const r = await fetchCosOutput(`${BUCKET}/slow.log`, {
        credentials: staticCredentials(KEY),
        cosEndpoint: cos.url,
        timeoutMs: 300,
      });
      expect(r).toEqual({ unverifiable: expect.stringMatching(/no complete answer within 0.3s/) });
    } finally {
      await cos.close();
    }
  });

  test("temporary credentials send x-cos-security-token, which the endpoint requires", async () => {
    const temp = { secretId: "AKIDtemp", secretKey: "temp-key", token: "session-token-1" };
    const cos = await startCosEmulator({
      objects: new Map([["logs-1250000000/a.log", { bytes: Buffer.from("full log\n") }]]),
      findCredential: (id) => (id === temp.secretId ? temp : undefined),
    });
    try {
      const ok = await fetchCosOutput(`${BUCKET}/a.log`, {
        credentials: staticCredentials(temp),
        cosEndpoint: cos.url,
      });
      expect("bytes" in ok && Buffer.from(ok.bytes).toString()).toBe("full log\n");
      const noToken = await fetchCosOutput(`${BUCKET}/a.log`, {
        credentials: staticCredentials({ secretId: temp.secretId, secretKey: temp.secretKey }),
        cosEndpoint: cos.url,
      });
      expect(noToken).toEqual({
        unverifiable: expect.stringMatching(/HTTP 403 InvalidAccessKeyId/),
      });
    } finally {
      await cos.close();
    }
  });
});
