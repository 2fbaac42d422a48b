// Inputs that once made the gate pass over output it had not really checked (found by an
// adversarial review): each must be found, or be "could not verify", never a pass.
import { describe, expect, test } from "@jest/globals";
import { MalformedResponseError } from "../../src/errors.js";
import { evaluate } from "../../src/match/evaluate.js";
import { decodeTaskOutput } from "../../src/tat/decode.js";
import { parseResponse } from "../../src/tat/response-parser.js";
import { observation, specFrom, task } from "./helpers.js";

const outcomeOf = (body: string, output: string) =>
  evaluate(specFrom(body), observation([task({ output })])).outcome;

describe("the fast matcher never misses what RE2 finds", () => {
  test("a line feed written into a bracket class (YAML double quotes)", () => {
    expect(outcomeOf('expect:\n  output:\n    notMatches: ["/FAIL[\\n]x$/"]\n', "FAIL\nx")).toBe(
      "fail",
    );
  });

  test("a pattern that names the CR of CR LF output", () => {
    expect(
      outcomeOf('expect:\n  output:\n    notMatches: ["/FAIL\\\\r\\\\n/"]\n', "FAIL\r\nx"),
    ).toBe("fail");
    expect(outcomeOf('expect:\n  output:\n    notMatches: ["FAIL\\r\\n"]\n', "FAIL\r\nx")).toBe(
      "fail",
    );
    expect(outcomeOf('expect:\n  output:\n    matches: ["/FAIL\\\\r$/m"]\n', "FAIL\r\nx")).toBe(
      "pass",
    );
  });
});

test("a named 7-bit encoding is used, not read as UTF-8 first", () => {
  // エラー in ISO-2022-JP: valid UTF-8 too, as escape codes.
  const bytes = Buffer.from("\u001b$B%(%i!<\u001b(B\n", "latin1");
  expect(decodeTaskOutput(bytes.toString("base64"), { encoding: "iso-2022-jp" })).toEqual({
    text: "エラー\n",
    encoding: "iso-2022-jp",
  });
});

test("Output without Dropped is not an answer: whether it was cut is unknown", () => {
  const body = JSON.stringify({
    Response: {
      TotalCount: 1,
      RequestId: "r",
      InvocationTaskSet: [
        {
          InvocationId: "inv-abcd1234",
          InvocationTaskId: "invt-abcd1234",
          InstanceId: "ins-abcd1234",
          TaskStatus: "SUCCESS",
          TaskResult: { ExitCode: 0, Output: Buffer.from("ok").toString("base64") },
        },
      ],
    },
  });
  expect(() => parseResponse("DescribeInvocationTasks", 200, body)).toThrow(MalformedResponseError);
});
