import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import { resolveRegion } from "../../src/credentials/region.js";
import { type TempHome, tempHome } from "./helpers.js";

let home: TempHome;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(() => home.remove());

const configure = (region: string) =>
  JSON.stringify({
    _sys_param: { region, output: "json" },
    tat: { endpoint: "tat.tencentcloudapi.com" },
  });

describe("resolveRegion", () => {
  test("option, then spec, then TENCENTCLOUD_REGION, then TKE_REGION", async () => {
    const env = { TENCENTCLOUD_REGION: "ap-beijing", TKE_REGION: "ap-chengdu" };
    expect(await resolveRegion("ap-tokyo", "ap-seoul", env)).toEqual({
      region: "ap-tokyo",
      source: "option",
    });
    expect(await resolveRegion(undefined, "ap-seoul", env)).toEqual({
      region: "ap-seoul",
      source: "spec",
    });
    expect(await resolveRegion("", undefined, env)).toEqual({
      region: "ap-beijing",
      source: "TENCENTCLOUD_REGION",
    });
    expect(await resolveRegion(undefined, undefined, { TKE_REGION: "ap-chengdu" })).toEqual({
      region: "ap-chengdu",
      source: "TKE_REGION",
    });
  });

  test("tccli's configured default for the profile comes last", async () => {
    const path = await home.write(".tccli/default.configure", configure("ap-shanghai"));
    await home.write(".tccli/prod.configure", configure("na-ashburn"));
    expect(await resolveRegion(undefined, undefined, {}, { homeDir: home.dir })).toEqual({
      region: "ap-shanghai",
      source: path,
    });
    expect(
      (await resolveRegion(undefined, undefined, { TCCLI_PROFILE: "prod" }, { homeDir: home.dir }))
        ?.region,
    ).toBe("na-ashburn");
    expect(
      (await resolveRegion(undefined, undefined, {}, { homeDir: home.dir, profile: "prod" }))
        ?.region,
    ).toBe("na-ashburn");
    expect(
      (
        await resolveRegion(
          undefined,
          undefined,
          { TENCENTCLOUD_REGION: "ap-beijing" },
          { homeDir: home.dir },
        )
      )?.region,
    ).toBe("ap-beijing");
  });

  test("nothing anywhere, or an unreadable configure file, leaves the region unresolved", async () => {
    expect(await resolveRegion(undefined, undefined, {})).toBeUndefined();
    expect(await resolveRegion(undefined, undefined, {}, { homeDir: home.dir })).toBeUndefined();
    await home.write(".tccli/default.configure", "{not json");
    expect(await resolveRegion(undefined, undefined, {}, { homeDir: home.dir })).toBeUndefined();
  });
});
