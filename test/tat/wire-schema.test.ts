import { describe, expect, test } from "@jest/globals";
import { MalformedResponseError, TatApiError } from "../../src/errors.js";
import { jsonDepthExceeds, parseResponse } from "../../src/tat/response-parser.js";
import { invocation, task } from "./wire-fixtures.js";

const tasksBody = (t: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    Response: { TotalCount: 1, InvocationTaskSet: [t], RequestId: "rid-7", ...extra },
  });

function failure(action: string, body: string): MalformedResponseError {
  try {
    parseResponse(action, 200, body);
  } catch (e) {
    if (e instanceof MalformedResponseError) return e;
    throw e;
  }
  throw new Error("parsed");
}

const withResult = (patch: Record<string, unknown>) => {
  const t = task();
  Object.assign(t.TaskResult, patch);
  return tasksBody(t);
};

describe("the strict parser: DescribeInvocationTasks", () => {
  test("Tencent's example record parses, nullable times included", () => {
    const r = parseResponse<{ InvocationTaskSet: unknown[] }>(
      "DescribeInvocationTasks",
      200,
      tasksBody(task()),
    );
    expect(r.InvocationTaskSet).toEqual([task()]);
  });

  test.each([
    ["a string", "0", 'the string "0"'],
    ["an empty string", "", 'the string ""'],
    ["false", false, "false"],
    ["a fraction", 0.5, "0.5"],
    ["null", null, "null"],
  ])("ExitCode as %s is an API error naming path, value and RequestId", (_, value, got) => {
    const e = failure("DescribeInvocationTasks", withResult({ ExitCode: value }));
    expect(e).toBeInstanceOf(TatApiError);
    expect(e.kind).toBe("api");
    expect(e.code).toBe("MalformedResponse");
    expect(e.path).toBe("Response.InvocationTaskSet[0].TaskResult.ExitCode");
    expect(e.message).toBe(
      `DescribeInvocationTasks: MalformedResponse: Response.InvocationTaskSet[0].TaskResult.ExitCode must be an integer, got ${got} (RequestId rid-7)`,
    );
  });

  test("a negative exit code (START_FAILED reports -1) is an integer like any other", () => {
    expect(() =>
      parseResponse("DescribeInvocationTasks", 200, withResult({ ExitCode: -1 })),
    ).not.toThrow();
  });

  test.each([
    [-1, "must not be negative"],
    [1.5, "must be an integer"],
    ["3", "must be an integer"],
  ])("Dropped %j: %s", (value, problem) => {
    const e = failure("DescribeInvocationTasks", withResult({ Dropped: value }));
    expect(e.path).toBe("Response.InvocationTaskSet[0].TaskResult.Dropped");
    expect(e.message).toContain(problem);
  });

  test.each(["not base64!", "cm9vdAo", "cm9v dAo=", "cm9vdAo=\n", "===="])(
    "Output %j is not base64: refused, never decoded into junk",
    (value) => {
      const e = failure("DescribeInvocationTasks", withResult({ Output: value }));
      expect(e.path).toBe("Response.InvocationTaskSet[0].TaskResult.Output");
      expect(e.message).toContain("must be base64");
    },
  );

  test("empty output is valid base64", () => {
    expect(() =>
      parseResponse("DescribeInvocationTasks", 200, withResult({ Output: "" })),
    ).not.toThrow();
  });

  test.each([
    [{ InvocationTaskSet: {} }, "Response.InvocationTaskSet", "must be an array, got an object"],
    [{ InvocationTaskSet: "x" }, "Response.InvocationTaskSet", "must be an array"],
    [{ InvocationTaskSet: [null] }, "Response.InvocationTaskSet[0]", "must be an object, got null"],
    [{ InvocationTaskSet: [7] }, "Response.InvocationTaskSet[0]", "must be an object, got 7"],
    [{ TotalCount: "1" }, "Response.TotalCount", 'must be an integer, got the string "1"'],
    [{ TotalCount: -1 }, "Response.TotalCount", "must not be negative"],
    [{ TotalCount: null }, "Response.TotalCount", "got null"],
  ])("set and count shapes: %j", (patch, path, problem) => {
    const e = failure("DescribeInvocationTasks", tasksBody(task(), patch));
    expect(e.path).toBe(path);
    expect(e.message).toContain(problem);
  });

  test("a number where TaskResult belongs, and a TaskResult that is an array", () => {
    const a = task() as Record<string, unknown>;
    a.TaskResult = 0;
    expect(failure("DescribeInvocationTasks", tasksBody(a)).message).toContain(
      "Response.InvocationTaskSet[0].TaskResult must be an object, got 0",
    );
    a.TaskResult = [];
    expect(failure("DescribeInvocationTasks", tasksBody(a)).message).toContain("got an array of 0");
  });

  test("a record without its id or status is refused: it could not be told apart", () => {
    const t = task() as Record<string, unknown>;
    delete t.InvocationTaskId;
    const e = failure("DescribeInvocationTasks", tasksBody(t));
    expect(e.path).toBe("Response.InvocationTaskSet[0].InvocationTaskId");
    expect(e.message).toContain("is required");
    const u = task() as Record<string, unknown>;
    u.TaskStatus = 3;
    expect(failure("DescribeInvocationTasks", tasksBody(u)).path).toBe(
      "Response.InvocationTaskSet[0].TaskStatus",
    );
  });

  test("null only where Tencent allows it: StartTime yes, CreatedTime no", () => {
    const t = task() as Record<string, unknown>;
    t.CreatedTime = null;
    expect(failure("DescribeInvocationTasks", tasksBody(t)).path).toBe(
      "Response.InvocationTaskSet[0].CreatedTime",
    );
  });

  test("a value that tries to start a line of its own is shown on one line", () => {
    const e = failure(
      "DescribeInvocationTasks",
      withResult({ ExitCode: "\n::add-mask::x\u001b[31m" }),
    );
    expect(e.message).not.toContain("\n");
    expect(e.message).not.toContain("\u001b");
  });

  test("absurd nesting is refused before it is parsed", () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const e = failure(
      "DescribeInvocationTasks",
      `{"Response":{"RequestId":"r","TotalCount":0,"InvocationTaskSet":[],"x":${deep}}}`,
    );
    expect(e.message).toContain("Response must not nest deeper than 32 levels");
    // Brackets inside strings are not nesting; escaped quotes do not end a string.
    expect(jsonDepthExceeds(JSON.stringify({ s: "[".repeat(1000) }), 4)).toBe(false);
    expect(jsonDepthExceeds('{"a\\"[[[[[":1}', 2)).toBe(false);
    expect(jsonDepthExceeds('["\\\\",[[[]]]]', 2)).toBe(true);
    // An unterminated string is not scanned again from every quote inside it (that would be
    // quadratic: 32 MiB of \" would take hours).
    expect(jsonDepthExceeds('\\"'.repeat(1_000_000), 2)).toBe(false);
    // Millions of escapes in one string: skipped, not a RangeError (a regex overflowed on them).
    expect(jsonDepthExceeds(`{"s":"${"\\n".repeat(5_000_000)}","a":[[[]]]}`, 2)).toBe(true);
    expect(jsonDepthExceeds(`["${'\\\\\\"'.repeat(2_000_000)}",[[]]]`, 2)).toBe(true);
  });
});

describe("the strict parser: DescribeInvocations", () => {
  const body = (inv: unknown) =>
    JSON.stringify({ Response: { TotalCount: 1, InvocationSet: [inv], RequestId: "rid-9" } });

  test("a well-formed invocation parses", () => {
    expect(() => parseResponse("DescribeInvocations", 200, body(invocation()))).not.toThrow();
  });

  test.each([
    [
      { InvocationTaskBasicInfoSet: "invt-1" },
      "Response.InvocationSet[0].InvocationTaskBasicInfoSet",
    ],
    [
      { InvocationTaskBasicInfoSet: [null] },
      "Response.InvocationSet[0].InvocationTaskBasicInfoSet[0]",
    ],
    [{ Timeout: "60" }, "Response.InvocationSet[0].Timeout"],
    [{ InvocationStatus: null }, "Response.InvocationSet[0].InvocationStatus"],
  ])("%j is refused at %s", (patch, path) => {
    const e = failure("DescribeInvocations", body({ ...invocation(), ...patch }));
    expect(e.path).toBe(path);
    expect(e.requestId).toBe("rid-9");
  });
});

describe("actions without a schema of their own", () => {
  test("still need the envelope", () => {
    expect(parseResponse("Unregistered", 200, '{"Response":{"RequestId":"r","X":1}}')).toEqual({
      RequestId: "r",
      X: 1,
    });
  });

  test("a name of Object.prototype is no schema either", () => {
    expect(parseResponse("constructor", 200, '{"Response":{"RequestId":"r"}}')).toEqual({
      RequestId: "r",
    });
  });
});

describe("schemas for the actions that start work", () => {
  test("RunCommand's answer needs a non-empty InvocationId", () => {
    const ok = '{"Response":{"CommandId":"cmd-1","InvocationId":"inv-abcd1234","RequestId":"r"}}';
    expect(parseResponse("RunCommand", 200, ok)).toMatchObject({
      InvocationId: "inv-abcd1234",
    });
    const e = failure(
      "RunCommand",
      '{"Response":{"CommandId":"cmd-1","InvocationId":"","RequestId":"r"}}',
    );
    expect(e.message).toContain("Response.InvocationId must match pattern");
  });
});
