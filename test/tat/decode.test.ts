import { describe, expect, test } from "@jest/globals";
import { decodeOutput } from "../../src/tat/decode.js";

const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString("base64");

describe("decodeOutput", () => {
  test("undefined stays undefined, empty stays empty", () => {
    expect(decodeOutput(undefined)).toBeUndefined();
    expect(decodeOutput("")).toBe("");
  });

  test("decodes UTF-8 text, including multi-byte characters", () => {
    expect(decodeOutput(b64("deploy ok version=1.4.2\n"))).toBe("deploy ok version=1.4.2\n");
    expect(decodeOutput(b64("部署完成 ✓\n"))).toBe("部署完成 ✓\n");
    // The docs' own example: "d2hvYW1p" is `whoami`.
    expect(decodeOutput("d2hvYW1p")).toBe("whoami");
  });

  test("a character cut by the 24 KiB cap becomes U+FFFD instead of throwing", () => {
    const bytes = Buffer.from("ok 完", "utf8");
    const cut = bytes.subarray(0, bytes.length - 1);
    expect(decodeOutput(b64(cut))).toBe("ok \uFFFD");
  });

  test("invalid bytes are replaced, valid text around them kept", () => {
    const bytes = Uint8Array.from([0x61, 0xff, 0xfe, 0x62]);
    expect(decodeOutput(b64(bytes))).toBe("a\uFFFD\uFFFDb");
  });

  test("a byte-order mark is kept as the script printed it", () => {
    expect(decodeOutput(b64("\uFEFFhi"))).toBe("\uFEFFhi");
  });
});

test("the API's null for an absent Output decodes to undefined, not a crash", () => {
  expect(decodeOutput(null)).toBeUndefined();
});
