// Review: a COS answer that passes every HTTP check can still hold less than the task printed. A
// gzip-coded body whose stream is cut short is inflated without complaint by fetch, and an object
// uploaded in part, an error page served with 200, or another task's log all arrive with the right
// Content-Length; each was judged as the whole output, so a `notMatches` past TAT's cut passed.
// Real HTTP: the TAT emulator serves the tasks, a local server stands in for a misbehaving COS.
import { createServer } from "node:http";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { staticCredentials } from "../../src/credentials/types.js";
import {
  buildScenario,
  type Emulator,
  manualClock,
  startEmulator,
} from "../../src/emulator/index.js";
import { closeServer, listen } from "../../src/emulator/listen.js";
import { evaluate } from "../../src/match/evaluate.js";
import type { Target, TaskObservation } from "../../src/model.js";
import { TatClient } from "../../src/tat/client.js";
import { TargetReader } from "../../src/wait/read-target.js";
import { tatReader } from "../../src/wait/tat-reader.js";
import { observation, specFrom } from "../match/helpers.js";

const KEY = { secretId: "AKIDreview2cos01", secretKey: "review2-cos-secret-key" };
const INV = "inv-7e71e702";
const BUCKET = "https://logs-1250000000.cos.ap-guangzhou.myqcloud.com";
// 100 KiB: ERROR far past TAT's 24 KiB cut.
const FULL = Buffer.from(
  `${"step ok\n".repeat(4096)}ERROR: migration 42 failed\n${"tail ok\n".repeat(8000)}`,
);
const OTHER = Buffer.from("x".repeat(FULL.length));
/** A task TAT kept whole (Dropped 0), read from COS because the spec says `source: cos`. */
const SMALL = "deploy failed\n";
const gz = gzipSync(FULL);

/** What the stand-in COS answers for each task. */
const ANSWERS: Record<string, (res: import("node:http").ServerResponse) => void> = {
  gzipcut: (res) => {
    const cut = gz.subarray(0, Math.floor(gz.length / 3));
    res.writeHead(200, { "Content-Encoding": "gzip", "Content-Length": cut.length });
    res.end(cut);
  },
  partial: (res) => {
    const part = FULL.subarray(0, 40 * 1024);
    res.writeHead(200, { "Content-Length": part.length });
    res.end(part);
  },
  errpage: (res) => {
    const page = Buffer.from('<?xml version="1.0"?><Error><Code>SlowDown</Code></Error>');
    res.writeHead(200, { "Content-Type": "application/xml", "Content-Length": page.length });
    res.end(page);
  },
  other: (res) => {
    res.writeHead(200, { "Content-Length": OTHER.length });
    res.end(OTHER);
  },
  longer: (res) => {
    const more = Buffer.concat([FULL, Buffer.from("deploy ok\n")]);
    res.writeHead(200, { "Content-Length": more.length });
    res.end(more);
  },
  small: (res) => {
    const more = Buffer.from(`${SMALL}deploy ok\n`);
    res.writeHead(200, { "Content-Length": more.length });
    res.end(more);
  },
  gzipfull: (res) => {
    res.writeHead(200, { "Content-Encoding": "gzip", "Content-Length": gz.length });
    res.end(gz);
  },
  plain: (res) => {
    res.writeHead(200, { "Content-Length": FULL.length });
    res.end(FULL);
  },
};
const NAMES = Object.keys(ANSWERS);
const tid = (name: string) => `invt-${name.slice(0, 8).padEnd(8, "0")}`;

let emulator: Emulator;
let cos: { url: string; close(): Promise<void> };
let settled: Map<string, TaskObservation>;

beforeAll(async () => {
  const server = createServer((req, res) => {
    const name = NAMES.find((n) => req.url?.endsWith(`/${tid(n)}.log`));
    const answer = name === undefined ? undefined : ANSWERS[name];
    if (!answer) {
      res.writeHead(404).end();
      return;
    }
    answer(res);
  });
  cos = { url: await listen(server), close: () => closeServer(server) };
  const clock = manualClock();
  emulator = await startEmulator({
    clock,
    scenario: buildScenario({
      credentials: [KEY],
      invocations: [
        {
          id: INV,
          commandId: "cmd-7e71e702",
          tasks: NAMES.map((n, i) => ({
            instance: `ins-7e71e${String(i).padStart(3, "0")}`,
            id: tid(n),
            timeline: "PENDING@0s RUNNING@1s SUCCESS@2s",
            output: n === "small" ? SMALL : FULL.toString(),
            outputUrl: `${BUCKET}/${INV}/${tid(n)}.log`,
          })),
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
  const target: Target = {
    kind: "invocations",
    invocationIds: [INV],
    where: { file: "s.yml", line: 1, col: 1 },
  };
  settled = new Map();
  const reader = new TargetReader(
    target,
    tatReader(client),
    true,
    () => new Date().toISOString(),
    undefined,
    (t) => {
      settled.set(t.taskId, { ...t });
    },
    {
      credentials: staticCredentials(KEY),
      cosEndpoint: cos.url,
      sourceFor: (t) => (t.InvocationTaskId === tid("small") ? "cos" : "auto"),
    },
  );
  await reader.read({});
});

afterAll(async () => {
  await emulator?.close();
  await cos?.close();
});

const judged = (name: string) => {
  const t = settled.get(tid(name)) as TaskObservation;
  return evaluate(specFrom("expect:\n  output: { notMatches: ERROR }\n"), observation([t]));
};

describe("a COS body that is not the whole output is never judged as it", () => {
  test.each([
    ["gzipcut", /fewer than the \d+ TAT counted/],
    ["partial", /fewer than the \d+ TAT counted/],
    ["errpage", /fewer than the \d+ TAT counted/],
    ["other", /does not begin with the output TAT kept/],
    ["longer", /more than the \d+ TAT counted/],
    ["small", /more than the 14 TAT counted \(14 kept, 0 dropped\)/],
  ])("%s: could not verify, naming why", (name, why) => {
    const v = judged(name);
    expect(v.outcome).toBe("error");
    const r = v.tasks[0]?.results.find((x) => x.check === "output.notMatches");
    expect(r?.outcome).toBe("error");
    expect(r?.message).toMatch(why);
  });

  test.each(["gzipfull", "plain"])("%s: the whole log is read and judged", (name) => {
    const v = judged(name);
    expect(settled.get(tid(name))?.outputSource).toBe("cos");
    expect(v.outcome).toBe("fail");
    expect(v.tasks[0]?.results.find((x) => x.check === "output.notMatches")?.message).toMatch(
      /at line 4097 \(full output read from COS\)/,
    );
  });
});
