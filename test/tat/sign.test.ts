import { describe, expect, test } from "@jest/globals";
import { parseAuthorization, scopeDate, sign } from "../../src/tat/sign.js";

// Tencent's worked example (tat-api.md §3.4): the payload is 85 ASCII bytes with literal \u escapes.
const payload =
  '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';
const common = {
  method: "POST",
  payload,
  service: "cvm",
  timestamp: 1551113065,
  headers: {
    "Content-Type": "application/json; charset=utf-8",
    Host: "cvm.tencentcloudapi.com",
    "X-TC-Action": "DescribeInstances",
  },
};

describe("TC3-HMAC-SHA256 against Tencent's worked examples", () => {
  test("variant A (current Chinese doc, signs x-tc-action)", () => {
    const s = sign({
      ...common,
      signedHeaders: ["content-type", "host", "x-tc-action"],
      secretId: `AKID${"*".repeat(32)}`,
      secretKey: "*".repeat(32),
    });
    expect(s.canonicalRequest).toBe(
      [
        "POST",
        "/",
        "",
        "content-type:application/json; charset=utf-8",
        "host:cvm.tencentcloudapi.com",
        "x-tc-action:describeinstances",
        "",
        "content-type;host;x-tc-action",
        "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064",
      ].join("\n"),
    );
    expect(s.hashedCanonicalRequest).toBe(
      "7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84",
    );
    expect(s.stringToSign).toBe(
      "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84",
    );
    expect(s.signature).toBe("10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f");
    expect(s.authorization).toBe(
      `TC3-HMAC-SHA256 Credential=AKID${"*".repeat(32)}/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f`,
    );
  });

  test("variant B (English doc, signs content-type;host)", () => {
    const s = sign({
      ...common,
      secretId: "AKID**********************0123456789EXAMPLE",
      secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
    });
    expect(s.canonicalRequest).toBe(
      [
        "POST",
        "/",
        "",
        "content-type:application/json; charset=utf-8",
        "host:cvm.tencentcloudapi.com",
        "",
        "content-type;host",
        "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064",
      ].join("\n"),
    );
    expect(s.hashedCanonicalRequest).toBe(
      "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031",
    );
    expect(s.stringToSign).toBe(
      "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031",
    );
    expect(s.signature).toBe("72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
  });

  test("variant C (older Chinese doc)", () => {
    const s = sign({
      ...common,
      secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******",
      secretKey: "Gu5t9xGARNpq86cd98joQYCN3*******",
    });
    expect(s.hashedCanonicalRequest).toBe(
      "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031",
    );
    expect(s.signature).toBe("2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c");
  });

  test("a TAT request (self-computed vector, cross-checked with the official SDK's Sign.sign3)", () => {
    const s = sign({
      method: "POST",
      payload: '{"InvocationTaskIds":["invt-12345678"],"HideOutput":false}',
      service: "tat",
      timestamp: 1700000000,
      headers: { "content-type": "application/json", host: "tat.tencentcloudapi.com" },
      secretId: "AKIDEXAMPLE",
      secretKey: "SECRETKEYEXAMPLE",
    });
    expect(s.hashedCanonicalRequest).toBe(
      "df7c00052bfc923a610d9b98148ccf9ee799892e6217f7497d7b123a1d06e5f3",
    );
    expect(s.signature).toBe("d7f491bc94d6dfa3518987f934f17ffe32e5e3d43908c539c94bea74b14173cc");
  });

  test("the scope date is UTC even when local time is already the next day", () => {
    // 1551113065 is 2019-02-26 00:44 in UTC+8.
    expect(scopeDate(1551113065)).toBe("2019-02-25");
  });

  test("parseAuthorization round-trips what sign produces and rejects junk", () => {
    const s = sign({ ...common, secretId: "AKIDx", secretKey: "k" });
    expect(parseAuthorization(s.authorization)).toEqual({
      secretId: "AKIDx",
      date: "2019-02-25",
      service: "cvm",
      signedHeaders: ["content-type", "host"],
      signature: s.signature,
    });
    expect(parseAuthorization("Bearer abc")).toBeUndefined();
    expect(parseAuthorization(s.authorization.replace("Signature=", "Sig="))).toBeUndefined();
  });
});
