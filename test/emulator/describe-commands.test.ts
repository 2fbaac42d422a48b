// DescribeCommands as tat-api.md §1.5 documents it: the commands the scenario's invocations ran,
// found by id or by filters (command-name is how a `latest` target finds a command by its name),
// with the documented parameter rules.
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import {
  buildScenario,
  type Emulator,
  manualClock,
  startEmulator,
} from "../../src/emulator/index.js";
import { call, code } from "./api.js";

let emu: Emulator;
const clock = manualClock();
const steppingWall = () => {
  let wall = Date.now();
  return () => (wall += 60);
};

beforeAll(async () => {
  const scenario = buildScenario({
    credentials: [{ secretId: "AKIDTEST", secretKey: "test-key" }],
    invocations: [
      {
        id: "inv-aaaaaaa1",
        commandId: "cmd-deploy01",
        commandName: "deploy-web",
        createdAgo: "1h",
        tasks: [{ instance: "ins-a1" }],
      },
      {
        id: "inv-aaaaaaa2",
        commandId: "cmd-deploy01",
        commandName: "deploy-web",
        tasks: [{ instance: "ins-a1" }],
      },
      {
        id: "inv-bbbbbbb1",
        commandId: "cmd-backup01",
        commandName: "backup",
        commandType: "POWERSHELL",
        createdAt: "2s",
        createdBy: "TAT",
        tasks: [{ instance: "ins-b1" }],
      },
      {
        id: "inv-ccccccc1",
        commandId: "cmd-later001",
        commandName: "deploy-web-later",
        appearsAt: "30s",
        tasks: [{ instance: "ins-c1" }],
      },
    ],
  });
  emu = await startEmulator({ scenario, clock, wallNow: steppingWall() });
  clock.advance(10_000);
});
afterAll(() => emu.close());

type Command = { CommandId: string; CommandName: string; CreatedTime: string; CreatedBy: string };

async function commands(params: object): Promise<{ total: number; set: Command[] }> {
  const { response } = await call(emu, "DescribeCommands", params);
  expect(response.Error).toBeUndefined();
  return { total: response.TotalCount as number, set: response.CommandSet as Command[] };
}

describe("DescribeCommands", () => {
  test("one command per command id, newest first; a command appears with its first invocation", async () => {
    const { total, set } = await commands({});
    expect(total).toBe(2);
    expect(set.map((c) => [c.CommandId, c.CommandName, c.CreatedBy])).toEqual([
      ["cmd-backup01", "backup", "TAT"],
      ["cmd-deploy01", "deploy-web", "USER"],
    ]);
    // Created with its first invocation, an hour before the emulator started.
    const deploy = set[1] as Command;
    expect(Date.parse(deploy.CreatedTime)).toBeLessThan(Date.now() - 50 * 60_000);
  });

  test("command-name matches the whole name; ids and other filters too", async () => {
    const byName = await commands({ Filters: [{ Name: "command-name", Values: ["deploy-web"] }] });
    expect(byName.set.map((c) => c.CommandId)).toEqual(["cmd-deploy01"]);
    const byType = await commands({ Filters: [{ Name: "command-type", Values: ["POWERSHELL"] }] });
    expect(byType.set.map((c) => c.CommandId)).toEqual(["cmd-backup01"]);
    const byIds = await commands({ CommandIds: ["cmd-deploy01", "cmd-zzzzzzzz"] });
    expect(byIds.set.map((c) => c.CommandId)).toEqual(["cmd-deploy01"]);
    const byTag = await commands({ Filters: [{ Name: "tag:team", Values: ["web"] }] });
    expect(byTag.total).toBe(0);
  });

  test("the documented parameter rules", async () => {
    expect(
      await code(emu, "DescribeCommands", { Filters: [{ Name: "name", Values: ["x"] }] }),
    ).toBe("InvalidParameterValue.InvalidFilter");
    expect(
      await code(emu, "DescribeCommands", { Filters: [{ Name: "command-type", Values: ["ZSH"] }] }),
    ).toBe("InvalidParameterValue.InvalidFilter");
    expect(
      await code(emu, "DescribeCommands", { Filters: [{ Name: "command-id", Values: ["inv-1"] }] }),
    ).toBe("InvalidParameterValue.InvalidCommandId");
    expect(
      await code(emu, "DescribeCommands", {
        CommandIds: ["cmd-deploy01"],
        Filters: [{ Name: "command-name", Values: ["x"] }],
      }),
    ).toBe("InvalidParameter.ConflictParameter");
    expect(
      await code(emu, "DescribeCommands", {
        Filters: [{ Name: "command-name", Values: ["a", "b", "c", "d", "e", "f"] }],
      }),
    ).toBe("InvalidParameterValue");
    expect(await code(emu, "DescribeCommands", { Limit: 101 })).toBe("InvalidParameterValue");
    expect(await code(emu, "DescribeCommands", { HideOutput: false })).toBe("UnknownParameter");
  });
});
