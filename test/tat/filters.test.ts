import { describe, expect, test } from "@jest/globals";
import { UsageError } from "../../src/errors.js";
import { validateFilters } from "../../src/tat/filters.js";
import { TASK_FILTER_NAMES } from "../../src/tat/types.js";

const check = (filters: unknown) =>
  validateFilters("DescribeInvocationTasks", filters as never, TASK_FILTER_NAMES);

describe("validateFilters", () => {
  test("accepts up to 10 filters of up to 5 values with known names", () => {
    const ten = Array.from({ length: 10 }, () => ({
      Name: "instance-id",
      Values: ["ins-1", "ins-2", "ins-3", "ins-4", "ins-5"],
    }));
    expect(() => check(ten)).not.toThrow();
  });

  test.each([
    [
      "11 filters",
      Array.from({ length: 11 }, () => ({ Name: "instance-id", Values: ["a"] })),
      /at most 10 filters.*got 11/,
    ],
    [
      "6 values",
      [{ Name: "instance-id", Values: ["a", "b", "c", "d", "e", "f"] }],
      /filter #1 \(instance-id\) has 6 values; at most 5/,
    ],
    ["no values", [{ Name: "command-id", Values: [] }], /needs at least one value/],
    ["empty value", [{ Name: "command-id", Values: [""] }], /empty or non-string/],
    [
      "a typo",
      [
        { Name: "invocation-id", Values: ["inv-1"] },
        { Name: "instance-ids", Values: ["a"] },
      ],
      /filter #2: "instance-ids" is not a filter name it accepts \(invocation-task-id, invocation-id, instance-id, command-id\)\. Did you mean "instance-id"\?/,
    ],
    ["another action's name", [{ Name: "instance-kind", Values: ["CVM"] }], /not a filter name/],
  ])("%s is refused before any call", (_, filters, message) => {
    expect(() => check(filters)).toThrow(UsageError);
    expect(() => check(filters)).toThrow(message);
  });

  test("no guess when nothing is close", () => {
    expect(() => check([{ Name: "zzzzzzzzzzzz", Values: ["a"] }])).toThrow(/accepts \([^)]*\)\.$/);
  });
});
