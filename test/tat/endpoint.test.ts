import { describe, expect, test } from "@jest/globals";
import { UsageError } from "../../src/errors.js";
import { DEFAULT_ENDPOINT, resolveEndpoint } from "../../src/tat/endpoint.js";

describe("resolveEndpoint", () => {
  test.each([
    [undefined, "https://tat.tencentcloudapi.com/", "tat.tencentcloudapi.com"],
    [DEFAULT_ENDPOINT, "https://tat.tencentcloudapi.com/", "tat.tencentcloudapi.com"],
    [
      "tat.intl.tencentcloudapi.com",
      "https://tat.intl.tencentcloudapi.com/",
      "tat.intl.tencentcloudapi.com",
    ],
    [
      "tat.ap-guangzhou.tencentcloudapi.com",
      "https://tat.ap-guangzhou.tencentcloudapi.com/",
      "tat.ap-guangzhou.tencentcloudapi.com",
    ],
    [
      "https://tat.tencentcloudapi.com/",
      "https://tat.tencentcloudapi.com/",
      "tat.tencentcloudapi.com",
    ],
    ["  TAT.TencentCloudAPI.com ", "https://tat.tencentcloudapi.com/", "tat.tencentcloudapi.com"],
    ["http://127.0.0.1:41234", "http://127.0.0.1:41234/", "127.0.0.1:41234"],
    ["localhost:8443", "https://localhost:8443/", "localhost:8443"],
    // The Host header fetch sends leaves out a default port; the signature must do the same.
    [
      "https://tat.tencentcloudapi.com:443",
      "https://tat.tencentcloudapi.com/",
      "tat.tencentcloudapi.com",
    ],
    ["http://[::1]:8080", "http://[::1]:8080/", "[::1]:8080"],
  ])("%s → %s (Host %s)", (input, url, host) => {
    const r = resolveEndpoint(input);
    expect(r.url).toBe(url);
    expect(r.host).toBe(host);
    expect(r.origin).toBe(url.slice(0, -1));
  });

  test.each([
    ["", /empty/],
    ["ftp://tat.tencentcloudapi.com", /http or https/],
    ["https://tat.tencentcloudapi.com/v3", /path/],
    ["https://tat.tencentcloudapi.com/?x=1", /path or query/],
    ["https://user:pw@tat.tencentcloudapi.com", /user name or password/],
    ["http://exa mple.com", /not a URL/],
  ])("%j is refused with a UsageError", (input, message) => {
    expect(() => resolveEndpoint(input)).toThrow(UsageError);
    expect(() => resolveEndpoint(input)).toThrow(message);
  });

  test.each([
    "ftp://me:pw-SECRET@tat.tencentcloudapi.com",
    "https://me:pw-SECRET@tat.tencentcloudapi.com:99999",
    "https://me:pw SECRET@tat.tencentcloudapi.com",
  ])("%j is refused without echoing its password", (input) => {
    expect(() => resolveEndpoint(input)).toThrow(UsageError);
    expect(() => resolveEndpoint(input)).not.toThrow(/SECRET/);
  });
});
