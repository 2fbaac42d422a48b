// JSON Schemas of the TAT answers tat-assert reads, derived from Tencent's own model of TAT
// 2020-10-28: tccli `tccli/services/tat/v20201028/api.json` @ 6e53beb5 (objects
// DescribeInvocationsResponse, DescribeInvocationTasksResponse, DescribeCommandsResponse, Command,
// Invocation, InvocationTask,
// InvocationTaskBasicInfo, TaskResult, CommandDocument; tat-api.md §2).
//
// How Tencent's model maps here:
//  - `type: int` → JSON integer; `member: uint64` adds minimum 0 (TotalCount, Dropped, Timeout);
//    `int64` (ExitCode) may be negative (START_FAILED reports -1).
//  - `value_allowed_null: true` → the field may be null (StartTime, EndTime, ExecStartTime,
//    ExecEndTime); every other field, when present, has its declared type and is never null.
//  - Tencent marks every output field `output_required`; a field we do not read may still be left
//    out without harm, so only the fields the gate relies on are required here: the ids and statuses
//    that decide which task is which, and the sets and counts that decide completeness.
//  - Unknown fields are allowed (Tencent adds fields without a new version) and never read.
//  - Status strings stay plain strings: a status Tencent adds later must not break parsing
//    (task-status.ts narrows them).
// TaskResult.Output is base64 of raw bytes; it is checked strictly here so that a string that is
// not base64 is an error, not junk text after a lenient decode.

const BASE64_ALPHABET = /^[A-Za-z0-9+/]*={0,2}$/;

/** Padded base64 (RFC 4648 §4): no line breaks, no whitespace, `=` only as the final padding.
 * One linear character-class scan: answers carry up to 100 × 32 KiB of it per page. */
export function isBase64(s: string): boolean {
  return s.length % 4 === 0 && BASE64_ALPHABET.test(s);
}

const str = { type: "string" } as const;
const nullableStr = { type: ["string", "null"] } as const;
const uint = { type: "integer", minimum: 0 } as const;
const int = { type: "integer" } as const;

const taskResult = {
  type: "object",
  // Output without Dropped cannot say whether it was cut: read as 0, a `notMatches` would pass
  // over output TAT may have cut at 24 KiB. Tencent marks both as always returned.
  dependencies: { Output: ["Dropped"] },
  properties: {
    ExitCode: int,
    Output: { type: "string", format: "base64" },
    ExecStartTime: nullableStr,
    ExecEndTime: nullableStr,
    Dropped: uint,
    OutputUrl: str,
    OutputUploadCOSErrorInfo: str,
  },
} as const;

const commandDocument = {
  type: "object",
  properties: {
    Content: str,
    CommandType: str,
    Timeout: uint,
    WorkingDirectory: str,
    Username: str,
    OutputCOSBucketUrl: str,
    OutputCOSKeyPrefix: str,
  },
} as const;

const nonEmpty = { type: "string", minLength: 1 } as const;

const invocationTask = {
  type: "object",
  required: ["InvocationId", "InvocationTaskId", "TaskStatus", "InstanceId"],
  properties: {
    InvocationId: nonEmpty,
    InvocationTaskId: nonEmpty,
    CommandId: str,
    TaskStatus: nonEmpty,
    InstanceId: str,
    TaskResult: taskResult,
    StartTime: nullableStr,
    EndTime: nullableStr,
    CreatedTime: str,
    UpdatedTime: str,
    CommandDocument: commandDocument,
    ErrorInfo: str,
    InvocationSource: str,
    CommandName: str,
  },
} as const;

const invocationTaskBasicInfo = {
  type: "object",
  required: ["InvocationTaskId", "TaskStatus", "InstanceId"],
  properties: { InvocationTaskId: nonEmpty, TaskStatus: nonEmpty, InstanceId: str },
} as const;

const invocation = {
  type: "object",
  required: ["InvocationId", "InvocationStatus", "InvocationTaskBasicInfoSet"],
  properties: {
    InvocationId: nonEmpty,
    CommandId: str,
    CommandName: str,
    InvocationStatus: nonEmpty,
    InvocationTaskBasicInfoSet: { type: "array", items: invocationTaskBasicInfo },
    Description: str,
    StartTime: nullableStr,
    EndTime: nullableStr,
    CreatedTime: str,
    UpdatedTime: str,
    Parameters: str,
    DefaultParameters: str,
    InstanceKind: str,
    Username: str,
    InvocationSource: str,
    CommandContent: str,
    CommandType: str,
    Timeout: uint,
    WorkingDirectory: str,
    OutputCOSBucketUrl: str,
    OutputCOSKeyPrefix: str,
  },
} as const;

/** `Response` of DescribeInvocationTasks (the envelope's `RequestId` is checked by the parser). */
export const DESCRIBE_INVOCATION_TASKS_RESPONSE = {
  type: "object",
  required: ["TotalCount", "InvocationTaskSet", "RequestId"],
  properties: {
    TotalCount: uint,
    InvocationTaskSet: { type: "array", items: invocationTask },
    RequestId: str,
  },
} as const;

/** `Response` of DescribeInvocations. */
export const DESCRIBE_INVOCATIONS_RESPONSE = {
  type: "object",
  required: ["TotalCount", "InvocationSet", "RequestId"],
  properties: {
    TotalCount: uint,
    InvocationSet: { type: "array", items: invocation },
    RequestId: str,
  },
} as const;

const command = {
  type: "object",
  required: ["CommandId"],
  properties: {
    CommandId: nonEmpty,
    CommandName: str,
    CommandType: str,
    Timeout: uint,
    CreatedTime: str,
    UpdatedTime: str,
    CreatedBy: str,
  },
} as const;

/** `Response` of DescribeCommands (a \`latest\` target by command name finds its command id). */
export const DESCRIBE_COMMANDS_RESPONSE = {
  type: "object",
  required: ["TotalCount", "CommandSet", "RequestId"],
  properties: {
    TotalCount: uint,
    CommandSet: { type: "array", items: command },
    RequestId: str,
  },
} as const;

// The actions that start or stop work, from the same api.json, registered by response-parser.ts
// like the others. An answer without an invocation id in the id format is not an answer: for
// RunCommand that means "we do not know whether it started", which the launcher treats like a
// lost connection (src/launch/launch.ts mayHaveStarted), never like success.
const requestId = { type: "string", minLength: 1 } as const;
const startedInvocationId = { type: "string", pattern: "^inv-[a-z0-9]{8}$" } as const;
const startedCommandId = { type: "string", pattern: "^cmd-[a-z0-9]{1,32}$" } as const;

/** `Response` of RunCommand. */
export const RUN_COMMAND_RESPONSE = {
  type: "object",
  required: ["CommandId", "InvocationId", "RequestId"],
  properties: {
    CommandId: startedCommandId,
    InvocationId: startedInvocationId,
    RequestId: requestId,
  },
} as const;

/** `Response` of InvokeCommand. */
export const INVOKE_COMMAND_RESPONSE = {
  type: "object",
  required: ["InvocationId", "RequestId"],
  properties: { InvocationId: startedInvocationId, RequestId: requestId },
} as const;

/** `Response` of CancelInvocation. */
export const CANCEL_INVOCATION_RESPONSE = {
  type: "object",
  required: ["RequestId"],
  properties: { RequestId: requestId },
} as const;

/** `Response` of an action no schema above describes: the envelope only. */
export const ENVELOPE_RESPONSE = {
  type: "object",
  required: ["RequestId"],
  properties: { RequestId: { type: "string" } },
} as const;

/** Every answer's schema by action: response-parser.ts checks each answer against the one of its
 * action (`Envelope` for the rest), through ajv's code generated ahead of time from this table
 * (wire-validators.generated.ts; test/tat/wire-validators.test.ts keeps the two equal). */
export const RESPONSE_SCHEMAS = {
  DescribeInvocations: DESCRIBE_INVOCATIONS_RESPONSE,
  DescribeInvocationTasks: DESCRIBE_INVOCATION_TASKS_RESPONSE,
  DescribeCommands: DESCRIBE_COMMANDS_RESPONSE,
  RunCommand: RUN_COMMAND_RESPONSE,
  InvokeCommand: INVOKE_COMMAND_RESPONSE,
  CancelInvocation: CANCEL_INVOCATION_RESPONSE,
  Envelope: ENVELOPE_RESPONSE,
} as const;

/** The formats the schemas name, as ajv takes them (the generated code reads them from here). */
export const WIRE_FORMATS = { base64: { type: "string", validate: isBase64 } } as const;
