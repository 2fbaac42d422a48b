// The official Node SDK (tencentcloud-sdk-nodejs-common's CommonClient) must be able to talk to
// the emulator unchanged: the proof that the emulator speaks the real wire protocol.
// toolchain.md gotcha 15: endpoint tat.tencentcloudapi.com:PORT over http, with an agent whose
// lookup answers 127.0.0.1, so the SDK signs for service `tat` and the Host header it sends.
import { Agent } from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { CommonClient } from "tencentcloud-sdk-nodejs-common";
import {
  buildScenario,
  type Emulator,
  manualClock,
  startEmulator,
} from "../../src/emulator/index.js";

const CREDENTIAL = { secretId: "AKIDSDK0000000000000000000000000000", secretKey: "sdk-secret-key" };
const clock = manualClock();
let emu: Emulator;
let agent: Agent;

beforeAll(async () => {
  const scenario = buildScenario({
    credentials: [CREDENTIAL],
    invocations: [
      {
        id: "inv-sdk00001",
        commandId: "cmd-sdk00001",
        commandName: "uptime",
        tasks: [
          { instance: "ins-sdk1", id: "invt-sdk00011", output: "up 3 days\n" },
          { instance: "ins-sdk2", id: "invt-sdk00012", exitCode: 3, output: "no\n" },
        ],
      },
    ],
  });
  emu = await startEmulator({ scenario, clock });
  clock.advance(30_000);
  agent = new Agent({
    lookup: (_host, options, cb) => {
      if ((options as { all?: boolean }).all) cb(null, [{ address: "127.0.0.1", family: 4 }]);
      else (cb as (e: null, a: string, f: number) => void)(null, "127.0.0.1", 4);
    },
  });
});
afterAll(async () => {
  agent.destroy();
  await emu.close();
});

function client(secretKey = CREDENTIAL.secretKey): CommonClient {
  const port = new URL(emu.url).port;
  return new CommonClient(`tat.tencentcloudapi.com:${port}`, "2020-10-28", {
    credential: { secretId: CREDENTIAL.secretId, secretKey },
    region: "ap-guangzhou",
    profile: { httpProfile: { protocol: "http://", agent, reqTimeout: 10 } },
  });
}

describe("official SDK against the emulator", () => {
  test("DescribeInvocationTasks returns the emulator's tasks", async () => {
    const res = (await client().request("DescribeInvocationTasks", {
      Filters: [{ Name: "invocation-id", Values: ["inv-sdk00001"] }],
      HideOutput: false,
    })) as {
      TotalCount: number;
      InvocationTaskSet: {
        InstanceId: string;
        TaskStatus: string;
        TaskResult: { ExitCode: number; Output: string };
      }[];
      RequestId: string;
    };
    expect(res.TotalCount).toBe(2);
    expect(res.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    const [ok, bad] = res.InvocationTaskSet;
    expect(ok?.TaskStatus).toBe("SUCCESS");
    expect(Buffer.from(ok?.TaskResult.Output ?? "", "base64").toString()).toBe("up 3 days\n");
    expect(bad).toMatchObject({
      InstanceId: "ins-sdk2",
      TaskStatus: "FAILED",
      TaskResult: { ExitCode: 3 },
    });
  });

  test("DescribeInvocations returns the derived invocation status", async () => {
    const res = (await client().request("DescribeInvocations", {
      InvocationIds: ["inv-sdk00001"],
    })) as {
      InvocationSet: { InvocationStatus: string; InvocationTaskBasicInfoSet: unknown[] }[];
    };
    expect(res.InvocationSet[0]?.InvocationStatus).toBe("PARTIAL_FAILED");
    expect(res.InvocationSet[0]?.InvocationTaskBasicInfoSet).toHaveLength(2);
  });

  test("a wrong key is rejected with AuthFailure.SignatureFailure", async () => {
    await expect(client("wrong-key").request("DescribeInvocations", {})).rejects.toMatchObject({
      code: "AuthFailure.SignatureFailure",
    });
  });

  test("API errors surface as SDK errors with their code and RequestId", async () => {
    await expect(client().request("DescribeInvocations", { Limit: 500 })).rejects.toMatchObject({
      code: "InvalidParameterValue.LimitExceeded",
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });
});
