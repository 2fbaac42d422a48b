import { describe, expect, test } from "@jest/globals";
import { cosErrorCode } from "../../src/cos/cos-error.js";

describe("cosErrorCode", () => {
  test("takes Code and Message from COS's error document", () => {
    const xml =
      '<?xml version="1.0"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>';
    expect(cosErrorCode(xml)).toEqual({
      code: "NoSuchKey",
      message: "The specified key does not exist.",
    });
  });

  test("untrusted text: a message with escapes and line breaks is shown plain, a code must look like one", () => {
    const hostile =
      "<Error><Code>AccessDenied</Code><Message>\u001b[31mred\n::error::x</Message></Error>";
    const named = cosErrorCode(hostile);
    expect(named?.code).toBe("AccessDenied");
    expect(named?.message).not.toContain("\u001b");
    expect(named?.message).not.toContain("\n");
    expect(cosErrorCode("<Error><Code>Access Denied\n::error::</Code></Error>")).toBeUndefined();
    expect(cosErrorCode("<html>502 Bad Gateway</html>")).toBeUndefined();
  });
});
