// Our signer is the SDK's: the function imported from sdk/util.js must be the one the SDK exposes
// as COS.getAuthorization, and give the signature the SDK gives for the same request.
import { describe, expect, test } from "@jest/globals";
import COS from "cos-nodejs-sdk-v5";
import { cosAuthorization, keyTimeAt, parseCosAuthorization } from "../../src/cos/sign.js";

const input = {
  secretId: "AKIDexample",
  secretKey: "example-secret-key",
  method: "get",
  pathname: "/inv-c05c05c0/invt-big00000.log",
  host: "logs-1250000000.cos.ap-guangzhou.myqcloud.com",
  keyTime: "1764464400;1764465300",
};

describe("COS signature", () => {
  test("equals COS.getAuthorization for the same GET (host signed)", async () => {
    const sdk = COS.getAuthorization({
      SecretId: input.secretId,
      SecretKey: input.secretKey,
      Method: "get",
      Key: input.pathname.slice(1),
      Headers: { host: input.host },
      KeyTime: input.keyTime,
    });
    expect(await cosAuthorization(input)).toBe(sdk);
    expect(parseCosAuthorization(sdk)).toMatchObject({
      secretId: "AKIDexample",
      keyTime: input.keyTime,
      headerList: ["host"],
      urlParamList: [],
    });
  });

  test("changes with the key, the path and the host", async () => {
    const base = await cosAuthorization(input);
    expect(await cosAuthorization({ ...input, secretKey: "other" })).not.toBe(base);
    expect(await cosAuthorization({ ...input, pathname: "/other.log" })).not.toBe(base);
    expect(
      await cosAuthorization({ ...input, host: "evil-1250000000.cos.ap-guangzhou.myqcloud.com" }),
    ).not.toBe(base);
  });

  test("key time starts a second before now and lasts 900 s", () => {
    expect(keyTimeAt(1_764_464_400_500)).toBe("1764464399;1764465299");
  });

  test("anything but a sha1 COS authorization does not parse", () => {
    expect(parseCosAuthorization("TC3-HMAC-SHA256 Credential=x")).toBeUndefined();
    expect(
      parseCosAuthorization(
        "q-sign-algorithm=md5&q-ak=a&q-sign-time=1;2&q-key-time=1;2&q-signature=00",
      ),
    ).toBeUndefined();
  });
});
