// The spec format, version 1: the single source of truth. The loader validates with it, editors
// read it (schema/spec-v1.json is this object written out, pinned by a test), and docs/spec.md is
// checked against it. Draft-07 because yaml-language-server supports it best.
//
// `errorMessage` (vscode-json-languageservice / yaml-language-server) is what an editor shows when a
// value fails; the loader uses the same text followed by what it got, so both agree. `doNotSuggest`
// keeps forbidden keys out of completion lists.

import { RUN_BLOCK_SCHEMA } from "../launch/run-spec-schema.js";
import { OUTPUT_ENCODINGS } from "../tat/decode.js";
import { TASK_STATUSES } from "../tat/task-status.js";
import { TASK_FILTER_NAMES } from "../tat/types.js";
import { CAPTURE_NAME } from "./capture-ref.js";
import { exactId, ID_KINDS, type IdKind } from "./id-kinds.js";

export const SPEC_SCHEMA_ID = "urn:tat-assert:spec:v1";

const STATUS_MEANINGS: Record<(typeof TASK_STATUSES)[number], string> = {
  PENDING: "Waiting to be delivered (not terminal).",
  DELIVERING: "Being delivered to the agent (not terminal).",
  DELIVER_DELAYED: "Delivery delayed (not terminal).",
  DELIVER_FAILED: "Delivery failed: the command never reached the instance.",
  START_FAILED: "The agent could not start the command (bad user, working directory, …).",
  RUNNING: "Running (not terminal).",
  SUCCESS: "The command exited with code 0.",
  FAILED: "The command exited with a non-zero code.",
  TIMEOUT: "The command ran past its Timeout and was killed.",
  TASK_TIMEOUT: "The agent did not respond in time; the result is unknown.",
  CANCELLING: "Cancellation in progress (not terminal).",
  CANCELLED: "Cancelled before the command started.",
  TERMINATED: "Cancelled while running: the process was killed.",
};

const STATUS_EXPECTED = "expected a task status such as SUCCESS, or a list of them";
const EXIT_CODE_EXPECTED =
  "expected an exit code from 0 to 255, or -1 (the agent had no exit code)";
const EXIT_RULE_EXPECTED =
  'expected an exit code (0 to 255, or -1), a range like "0-3" or {min, max}, or a list of them';
const DURATION_EXPECTED = "expected a duration such as 90s, 10m, 1h30m or 500ms";
const PATTERN_EXPECTED =
  "expected a pattern: a plain substring, or /regex/ with optional flags i, m, s";
const STREAM_MESSAGE =
  "TAT merges stdout and stderr into one stream: use `output` (matches / notMatches)";

const streamKey = {
  not: {},
  doNotSuggest: true,
  errorMessage: STREAM_MESSAGE,
  description: STREAM_MESSAGE,
} as const;

const nonEmptyString = { type: "string", minLength: 1 } as const;

/**
 * A pattern that also accepts any value holding `${`: an editor sees `${DEPLOY_INVOCATION_ID}`
 * before interpolation and must not flag it. The loader validates after interpolation.
 */
const interpolable = (re: string) => `^(?:${re})$|\\$\\{`;

/** An id of one kind, or a value holding `${` (see interpolable). */
const idPattern = (kind: IdKind) => interpolable(ID_KINDS[kind].body);

// No $ref anywhere: ajv reports errors under a $ref with the referenced schema's path, which would
// hide which branch of a union they belong to, and a self-contained tree is the one form every
// editor resolves the same way.

const invocationId = {
  type: "string",
  pattern: idPattern("invocation"),
  errorMessage: "expected an invocation id such as inv-b9e9v6wk",
} as const;

const duration = (description: string, fallback?: string) =>
  ({
    type: "string",
    minLength: 2,
    pattern: interpolable("([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?"),
    errorMessage: DURATION_EXPECTED,
    description,
    ...(fallback !== undefined && { default: fallback }),
    examples: ["90s", "10m", "1h30m", "500ms"],
  }) as const;

const status = {
  type: "string",
  enum: [...TASK_STATUSES],
  enumDescriptions: TASK_STATUSES.map((s) => STATUS_MEANINGS[s]),
  errorMessage: "expected a TAT task status",
} as const;

const exitCode = (description?: string) =>
  ({
    type: "integer",
    minimum: -1,
    maximum: 255,
    errorMessage: EXIT_CODE_EXPECTED,
    ...(description !== undefined && { description }),
  }) as const;

const exitCodeRule = {
  anyOf: [
    exitCode(),
    {
      type: "string",
      pattern: "^[0-9]{1,3}-[0-9]{1,3}$",
      errorMessage: 'expected a range such as "0-3"',
    },
    {
      type: "object",
      additionalProperties: false,
      required: ["min", "max"],
      properties: {
        min: exitCode("Lowest allowed exit code."),
        max: exitCode("Highest allowed exit code."),
      },
    },
  ],
  errorMessage: 'expected an exit code (0 to 255, or -1), or a range like "0-3" or {min, max}',
} as const;

const pattern = { type: "string", minLength: 1, errorMessage: PATTERN_EXPECTED } as const;

const patterns = (description: string) =>
  ({
    description,
    anyOf: [pattern, { type: "array", minItems: 1, items: pattern }],
    errorMessage: "expected a pattern or a non-empty list of patterns",
  }) as const;

const JSON_TYPES = ["string", "number", "integer", "boolean", "null", "array", "object"] as const;

const jsonNumber = (description: string) =>
  ({ type: "number", description, errorMessage: "expected a number" }) as const;

/** What one JSON value must be: the keys of an `output.json.assert` entry, and of its all / any. */
const jsonConditionKeys = {
  equals: {
    description:
      'The value must equal this, as JSON: same type (1 is not "1"), objects with the same keys in any order.',
  },
  oneOf: {
    description: "The value must equal one of these.",
    type: "array",
    minItems: 1,
    errorMessage: "expected a non-empty list of values",
  },
  matches: {
    ...pattern,
    description:
      "The value must be a string containing this substring, or matching this /RE2 regex/ (flags i, m, s).",
  },
  min: jsonNumber("The value must be a number at least this."),
  max: jsonNumber("The value must be a number at most this."),
  above: jsonNumber("The value must be a number greater than this."),
  below: jsonNumber("The value must be a number less than this."),
  type: {
    description: "The value's JSON type (an integer is a number too).",
    enum: [...JSON_TYPES],
    errorMessage: `expected one of ${JSON_TYPES.join(", ")}`,
  },
} as const;

const jsonCondition = (description: string) =>
  ({
    description,
    type: "object",
    additionalProperties: false,
    minProperties: 1,
    errorMessage: `expected a mapping with ${Object.keys(jsonConditionKeys).join(", ")}`,
    properties: jsonConditionKeys,
  }) as const;

const jsonAssertion = {
  description:
    "A JSONPath (RFC 9535) and what the value it selects must be. A path that can select several values ($.checks[*].ok) takes all: or any:.",
  type: "object",
  additionalProperties: false,
  required: ["path"],
  errorMessage:
    "expected { path, … } with equals, oneOf, matches, min, max, above, below, type, exists, absent, all or any",
  properties: {
    path: {
      type: "string",
      minLength: 1,
      description:
        "A JSONPath from the root: $.status, $.checks[0].ok, $.checks[*].ok, $['a key'].",
      errorMessage: "expected a JSONPath such as $.status",
      examples: ["$.status", "$.checks[*].ok"],
    },
    ...jsonConditionKeys,
    exists: {
      type: "boolean",
      description:
        "true: the path must select a value (of any kind, null too). false: as absent: true.",
    },
    absent: {
      type: "boolean",
      description: "true: the path must select nothing (the key is not there).",
    },
    all: jsonCondition("Every value the path selects must be this (selecting nothing fails)."),
    any: jsonCondition("At least one value the path selects must be this."),
  },
} as const;

const jsonOutput = {
  markdownDescription:
    "JSON read from the output, and what must hold at JSONPaths in it:\n\n```yaml\njson:\n  from: last\n  assert:\n    - { path: $.status, equals: ok }\n    - { path: $.checks[*].ok, all: { equals: true } }\n```",
  description:
    "JSON read from the output (from: whole, last or lines), and assertions on JSONPaths in it. Output that is not JSON where JSON is required fails.",
  type: "object",
  additionalProperties: false,
  required: ["assert"],
  errorMessage: "expected a mapping with assert (a list of { path, … }) and optionally from, lines",
  properties: {
    from: {
      description:
        "Where the JSON is: last (default: the last JSON value printed, after any log; a JSON line or a pretty-printed block), whole (the output is one JSON value) or lines (every non-empty line is JSON).",
      enum: ["last", "whole", "lines"],
      default: "last",
      errorMessage: "expected last, whole or lines",
    },
    lines: {
      description:
        "With from: lines, each assertion must hold on every JSON line (all, default) or on at least one (any).",
      enum: ["all", "any"],
      default: "all",
      errorMessage: "expected all or any",
    },
    assert: {
      description: "What must hold, one { path, … } per entry; every entry must hold.",
      type: "array",
      minItems: 1,
      items: jsonAssertion,
    },
  },
} as const;

const INSTANCE_ID_EXPECTED =
  "expected an instance id such as ins-a1b2c3d4 (CVM), lhins-… (Lighthouse) or mi-… (managed instance)";

const instanceId = {
  type: "string",
  pattern: idPattern("instance"),
  errorMessage: INSTANCE_ID_EXPECTED,
} as const;

/** Every filter takes ids of one kind: a value of another kind would only match nothing. */
const FILTER_ID_KINDS: Record<(typeof TASK_FILTER_NAMES)[number], IdKind> = {
  "invocation-task-id": "task",
  "invocation-id": "invocation",
  "instance-id": "instance",
  "command-id": "command",
};

const filterValue = (name: (typeof TASK_FILTER_NAMES)[number]) => {
  const kind = FILTER_ID_KINDS[name];
  return {
    type: "string",
    pattern: idPattern(kind),
    errorMessage: `expected ${ID_KINDS[kind].name} such as ${ID_KINDS[kind].example}`,
  } as const;
};

/** A duration as written (see duration()), or an ISO time with its zone. */
const DURATION_RE = "([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?";
const ISO_TIME_RE =
  "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})";

const since = (what: string) =>
  ({
    type: "string",
    minLength: 2,
    pattern: interpolable(`${DURATION_RE}|${ISO_TIME_RE}`),
    description: `Only ${what} created at or after this count: an ISO time with its zone (2026-11-30T06:00:00Z), or a duration back from the start of the wait (15m), often \${PIPELINE_STARTED_AT}. Without it, a run from before (yesterday's) can be judged.`,
    errorMessage:
      "expected an ISO time with its zone such as 2026-11-30T06:00:00Z, or a duration back from now such as 15m",
    examples: ["15m", "2h", "2026-11-30T06:00:00Z"],
  }) as const;

const instanceList = (description: string) =>
  ({
    description,
    type: "array",
    minItems: 1,
    uniqueItems: true,
    items: instanceId,
    errorMessage: "expected a non-empty list of instance ids such as ins-a1b2c3d4",
  }) as const;

/** A tab stop in an editor snippet (`${1:default}`), built so it is not mistaken for a template. */
const tab = (n: number, text: string) => ["$", "{", n, ":", text, "}"].join("");

const CAPTURE_NAME_EXPECTED =
  "expected a capture name: letters, digits and _, not starting with a digit (e.g. version)";

const captureName = (description: string) =>
  ({
    type: "string",
    pattern: CAPTURE_NAME,
    errorMessage: CAPTURE_NAME_EXPECTED,
    description,
  }) as const;

/** `capture: { version: { json: $.version } }`: a value read by JSONPath, as output.json reads JSON. */
const captureJson = {
  markdownDescription:
    "The one value a JSONPath selects in the JSON read from the output, as `output.json` reads it: `{ json: $.version }` (the last JSON value printed), `{ json: $.build.id, from: whole }`. A string is captured as it is; a number, boolean, null, object or array as compact JSON. A path that selects nothing or several values, or output that is not JSON, fails; truncated output cannot be verified (read the full log with `output.source: cos`).",
  description:
    "A value read by JSONPath from the JSON in the output: { json: $.version, from: last | whole | lines }. Nothing or several values selected, or no JSON, fails.",
  type: "object",
  additionalProperties: false,
  required: ["json"],
  errorMessage:
    "expected { json: <JSONPath>, from: last | whole | lines }, e.g. { json: $.version }",
  defaultSnippets: [{ label: "capture by JSONPath", body: { json: tab(1, "$.version") } }],
  properties: {
    json: {
      type: "string",
      minLength: 1,
      description:
        "A JSONPath (RFC 9535) from the root selecting one value: $.version, $.build.id, $['a key'].",
      errorMessage: "expected a JSONPath such as $.version",
      examples: ["$.version", "$.build.id"],
    },
    from: {
      description:
        "Where the JSON is: last (default: the last JSON value printed, after any log), whole (the output is one JSON value) or lines (every non-empty line is JSON; the value from the last line that has it).",
      enum: ["last", "whole", "lines"],
      default: "last",
      errorMessage: "expected last, whole or lines",
    },
  },
} as const;

const capture = {
  markdownDescription:
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the user-facing ${capture.NAME} / ${VAR} syntax
    "Values to read from each task's output, by name: `version: '/deployed version=(\\S+)/'` takes the regex's group named `value`, else its first group, from the first match; `version: { json: $.version }` takes the value a JSONPath selects in the JSON printed (`from: last`, the default, `whole` or `lines`). A later pattern of this spec reads it as `${capture.version}` (the same task's value), so do specs that list this one in `needs:`; `fleet:` compares the values across tasks. A task whose output has no match fails (could not verify when the output was truncated).",
  description:
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the user-facing ${capture.NAME} / ${VAR} syntax
    "Values read from each task's output: name → /regex/ with a group (the group named value, else the first), or { json: <JSONPath>, from }. Read later as ${capture.NAME}; compared across tasks by fleet.",
  type: "object",
  minProperties: 1,
  propertyNames: { pattern: CAPTURE_NAME, errorMessage: CAPTURE_NAME_EXPECTED },
  additionalProperties: {
    anyOf: [
      {
        type: "string",
        pattern: "^/[\\s\\S]+/[A-Za-z]*$",
        errorMessage: "expected a /regex/ with a group, e.g. '/version=(\\S+)/'",
      },
      captureJson,
    ],
    errorMessage:
      "expected a /regex/ with a group, e.g. '/version=(\\S+)/', or a JSONPath, e.g. { json: $.version }",
  },
  errorMessage:
    "expected a mapping from a name to a /regex/ with a group, e.g. version: '/version=(\\S+)/', or to a JSONPath, e.g. version: { json: $.version }",
} as const;

const expectations = {
  markdownDescription:
    "What every task must show: `status`, `exitCode`, `output` (`matches` / `notMatches`, substrings or `/RE2/` regexes), `duration`, `truncated`. With neither `status` nor `exitCode`, `SUCCESS` is expected; a task that timed out, was cancelled or never ran has no exit code and passes only when `status` lists its status.",
  defaultSnippets: [
    {
      label: "exit 0, no ERROR in the output",
      body: { exitCode: 0, output: { notMatches: [tab(1, "ERROR")] } },
    },
    {
      label: "exit 0 and a line that must be printed",
      body: { exitCode: 0, output: { matches: [tab(1, "deploy ok")] } },
    },
  ],
  description:
    "What every task must show. Fields not given are not checked; with neither status nor exitCode, status SUCCESS is expected.",
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  errorMessage: "expected at least one of status, exitCode, output, duration, truncated",
  properties: {
    status: {
      description:
        "Allowed final task status, or a list of them: SUCCESS, FAILED, TIMEOUT, DELIVER_FAILED, START_FAILED, TASK_TIMEOUT, CANCELLED, TERMINATED. Left out: SUCCESS, plus FAILED when exitCode allows a non-zero code.",
      anyOf: [status, { type: "array", minItems: 1, uniqueItems: true, items: status }],
      errorMessage: STATUS_EXPECTED,
    },
    exitCode: {
      description:
        'Allowed exit code: one (0), a range ("0-3" or {min: 0, max: 3}), or a list mixing both. Only SUCCESS and FAILED tasks have one (-1: killed by a signal); a task that timed out, was cancelled or never ran passes only when expect.status lists its status.',
      anyOf: [exitCodeRule, { type: "array", minItems: 1, items: exitCodeRule }],
      errorMessage: EXIT_RULE_EXPECTED,
    },
    output: {
      description:
        "Checks on the task output (stdout and stderr merged, at most 24 KiB kept by TAT; the whole log is read from COS when the command ran with OutputCOSBucketUrl, see source).",
      type: "object",
      additionalProperties: false,
      anyOf: [{ required: ["matches"] }, { required: ["notMatches"] }, { required: ["json"] }],
      errorMessage: "expected a mapping with matches, notMatches and/or json",
      properties: {
        matches: patterns(
          "Each pattern must be found in the output. Plain strings are substrings; /regex/flags are RE2 regexes (flags i, m, s).",
        ),
        notMatches: patterns(
          "No pattern may be found in the output. On truncated output this cannot be verified (an error) unless allowTruncated.",
        ),
        allowTruncated: {
          type: "boolean",
          default: false,
          description:
            "Judge patterns on the kept part of truncated output instead of reporting them as unverifiable. Default false.",
        },
        encoding: {
          description:
            "How output is decoded: auto (default: UTF-16 when a byte order mark or NUL bytes in every other byte say so, else UTF-8, then GB18030 for BAT/POWERSHELL commands; other NUL bytes cannot be decoded) or an encoding such as gbk, gb18030, utf-16le, latin1 (UTF-8 is tried first, except for UTF-16 and ISO-2022). Output that cannot be decoded makes the checks unverifiable.",
          enum: [...OUTPUT_ENCODINGS],
          default: "auto",
        },
        source: {
          description:
            "Where the output is read from: tat (TAT's copy, at most 24 KiB), cos (the full log TAT uploaded to COS when the command ran with OutputCOSBucketUrl) or auto (default: COS when TAT's copy was cut and an OutputUrl is there). A COS object that cannot be read (upload error, 403, 404, over 64 MiB, not a COS host) makes the checks unverifiable, even with allowTruncated; a notMatches pattern found in TAT's copy still fails.",
          enum: ["tat", "cos", "auto"],
          default: "auto",
          errorMessage: "expected tat, cos or auto",
        },
        failEarly: {
          type: "boolean",
          default: false,
          description:
            "Also judge notMatches on the output of tasks still running: a pattern found there fails the task at once (with --fail-fast, the run ends). Default false.",
          markdownDescription:
            "Also judge `notMatches` on the output of tasks still `RUNNING` (read once per poll, 100 tasks a round): a hit fails the task at once and is reported as *seen while running*; with `--fail-fast` the run ends there. Only complete lines are judged; patterns using `$`, `\\z` or `\\B` wait for the final output. `matches` and every other check always wait for the final record. Default `false`.",
        },
        json: jsonOutput,
        stdout: streamKey,
        stderr: streamKey,
      },
    },
    duration: {
      description: "Bounds on ExecStartTime..ExecEndTime of each task.",
      type: "object",
      additionalProperties: false,
      minProperties: 1,
      errorMessage: "expected {min, max} (either or both), e.g. { max: 5m }",
      properties: {
        min: duration("Shortest allowed run time."),
        max: duration("Longest allowed run time."),
      },
    },
    truncated: {
      type: "boolean",
      description:
        "false: the output must not have been truncated (Dropped == 0). true: it must have been.",
    },
    capture,
    stdout: streamKey,
    stderr: streamKey,
    json: {
      not: {},
      doNotSuggest: true,
      errorMessage: "JSON assertions go under output: `output: { json: { assert: [...] } }`",
      description: "JSON assertions go under output: `output: { json: { assert: [...] } }`",
    },
  },
} as const;

const authoredSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: SPEC_SCHEMA_ID,
  title: "tat-assert spec, version 1",
  description:
    "What the tasks of a Tencent Cloud TAT invocation must have done. See docs/spec.md for the format.",
  type: "object",
  additionalProperties: false,
  // `target` or `run`, exactly one: a rule (src/launch/run-rules.ts) says which is missing.
  required: ["version"],
  // What an editor offers in an empty file: the shapes most specs start from.
  defaultSnippets: [
    {
      label: "tat-assert: gate on an invocation",
      description: "Every task of one invocation exits 0 and prints no ERROR.",
      body: {
        version: 1,
        name: tab(1, "deploy"),
        region: tab(2, "ap-guangzhou"),
        target: { invocationId: tab(3, "inv-xxxxxxxx") },
        wait: { timeout: tab(4, "10m") },
        expect: { exitCode: 0, output: { notMatches: [tab(5, "ERROR")] } },
      },
    },
    {
      label: "tat-assert: the newest run of a command",
      description: "The latest invocation of a command since a time, on every listed instance.",
      body: {
        version: 1,
        name: tab(1, "deploy"),
        region: tab(2, "ap-guangzhou"),
        target: { latest: { commandId: tab(3, "cmd-xxxxxxxx"), since: tab(4, "15m") } },
        instances: { exactly: [tab(5, "ins-xxxxxxxx")] },
        expect: { exitCode: 0 },
      },
    },
  ],
  properties: {
    version: {
      description: "Format version. Always 1.",
      const: 1,
      errorMessage: "expected `version: 1` (the only format version this tat-assert reads)",
    },
    name: {
      ...nonEmptyString,
      description:
        "Name of the spec in reports; unique within a run. Default: the file name without extension (plus #N when the file holds several specs).",
    },
    description: { type: "string", description: "Free text shown in reports." },
    region: {
      type: "string",
      pattern: interpolable("[a-z]{2,}-[a-z0-9-]+"),
      description:
        "Region of the invocation, e.g. ap-guangzhou. Default: --region, then TENCENTCLOUD_REGION.",
      errorMessage: "expected a region such as ap-guangzhou",
      examples: ["ap-guangzhou", "ap-shanghai", "na-siliconvalley"],
    },
    target: {
      markdownDescription:
        "Which tasks to check, exactly one of:\n\n- `invocationId` / `invocationIds`: every task of these invocations\n- `taskIds`: these tasks\n- `latest: { commandId, since }`: the newest run of a command (never yesterday's)\n- `filters`: DescribeInvocationTasks filters; add `since`, or an older run may be judged",
      description:
        "Which tasks to check: exactly one of invocationId, invocationIds, taskIds, latest or filters.",
      type: "object",
      additionalProperties: false,
      minProperties: 1,
      maxProperties: 1,
      errorMessage: "expected exactly one of invocationId, invocationIds, taskIds, latest, filters",
      properties: {
        invocationId: {
          ...invocationId,
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the user-facing ${VAR} syntax
          description: "Every task of this invocation, e.g. ${DEPLOY_INVOCATION_ID}.",
        },
        invocationIds: {
          description: "Every task of these invocations.",
          type: "array",
          minItems: 1,
          uniqueItems: true,
          items: invocationId,
        },
        taskIds: {
          description: "These invocation tasks (invt-…).",
          type: "array",
          minItems: 1,
          uniqueItems: true,
          items: {
            type: "string",
            pattern: idPattern("task"),
            errorMessage: "expected an invocation task id such as invt-hgwfd7jo",
          },
        },
        latest: {
          description:
            "The newest invocation of a command (on these instances) created at or after `since`, waited for within wait.notFoundGrace: how a pipeline that knows only the command finds its run.",
          type: "object",
          additionalProperties: false,
          anyOf: [{ required: ["commandId"] }, { required: ["commandName"] }],
          errorMessage:
            "expected a mapping with commandId or commandName, and optionally instanceIds and since",
          properties: {
            commandId: {
              description: "The command whose newest invocation is checked (cmd-…).",
              type: "string",
              pattern: idPattern("command"),
              errorMessage: `expected ${ID_KINDS.command.name} such as ${ID_KINDS.command.example}`,
            },
            commandName: {
              description:
                "The saved command whose newest invocation is checked, by name (found with DescribeCommands). A command run with RunCommand without SaveCommand has no name there: use commandId.",
              type: "string",
              minLength: 1,
              errorMessage: "expected a command name",
            },
            instanceIds: instanceList(
              "Only invocations with a task on one of these instances count, and only those tasks are checked.",
            ),
            since: since("invocations"),
          },
        },
        filters: {
          description:
            "DescribeInvocationTasks filters, ANDed; the values of one filter are ORed (at most 5 per filter). They match past invocations too: give `since`, or use `latest`.",
          type: "object",
          minProperties: 1,
          additionalProperties: false,
          errorMessage: `expected a mapping of filter names (${TASK_FILTER_NAMES.join(", ")}) to lists of values, and optionally since`,
          properties: {
            ...(Object.fromEntries(
              TASK_FILTER_NAMES.map((name) => [
                name,
                {
                  description: `Values of the ${name} filter (1 to 5, ORed).`,
                  type: "array",
                  minItems: 1,
                  maxItems: 5,
                  uniqueItems: true,
                  items: filterValue(name),
                  errorMessage: "expected a list of 1 to 5 values (TAT API limit per filter)",
                },
              ]),
            ) as Record<(typeof TASK_FILTER_NAMES)[number], object>),
            since: since("tasks"),
          },
        },
      },
    },
    run: RUN_BLOCK_SCHEMA,
    wait: {
      markdownDescription:
        "How long to wait for every task to be final: `timeout` (default 10m, grown to the command's own timeout + 2m when not written), polls between `minInterval` and `maxInterval`, and `notFoundGrace` for an invocation not visible yet.",
      description:
        "How long and how often to poll. Polling only reads status: it never re-runs anything.",
      type: "object",
      additionalProperties: false,
      minProperties: 1,
      errorMessage: "expected a mapping with timeout, minInterval, maxInterval, notFoundGrace",
      properties: {
        timeout: duration(
          "Every task must be terminal by then, or the spec cannot be verified (exit code 3). Default 10m, or the invocation's command timeout + 2m when longer.",
          "10m",
        ),
        minInterval: duration(
          "First delay between polls; it grows towards maxInterval. Default 2s.",
          "2s",
        ),
        maxInterval: duration("Longest delay between polls. Default 30s.", "30s"),
        notFoundGrace: duration(
          "How long 'invocation not found' is retried (the API is eventually consistent right after RunCommand). Default 30s.",
          "30s",
        ),
      },
    },
    expect: expectations,
    instances: {
      markdownDescription:
        "Which instances must have a task: `exactly: [ins-…]`, `include: [ins-…]`, `count: N` or `min: N`. A missing instance fails the spec even when every task passed.",
      description:
        "Coverage: which instances must have tasks. Either exactly (no more, no fewer), or include with count/min.",
      type: "object",
      additionalProperties: false,
      minProperties: 1,
      errorMessage: "expected a mapping with exactly, include, count or min",
      properties: {
        exactly: instanceList(
          "Exactly these instances have tasks: a listed one without a task fails, and so does a task on any other.",
        ),
        include: instanceList("At least these instances have tasks; others are allowed."),
        count: {
          description: "Exactly this many distinct instances have tasks.",
          type: "integer",
          minimum: 1,
          errorMessage: "expected a whole number of instances, at least 1",
        },
        min: {
          description: "At least this many distinct instances have tasks.",
          type: "integer",
          minimum: 1,
          errorMessage: "expected a whole number of instances, at least 1",
        },
      },
    },
    overrides: {
      markdownDescription:
        "Per instance, expectations that replace the spec-wide ones field by field:\n\n```yaml\noverrides:\n  ins-canary01:\n    exitCode: [0, 3]\n```",
      description:
        "Per-instance replacements of `expect` fields, keyed by instance id. Each field given replaces the same field of `expect` for that instance; the others still apply.",
      type: "object",
      minProperties: 1,
      // Keys are never interpolated (docs/spec.md), so `${…}` is not allowed here.
      propertyNames: { pattern: exactId("instance"), errorMessage: INSTANCE_ID_EXPECTED },
      additionalProperties: expectations,
      errorMessage:
        "expected a mapping from instance id to expectations, e.g. ins-a: { exitCode: 3 }",
    },
    quorum: {
      description:
        "Fleet rule: failing tasks do not fail the spec while this holds (they are still reported). Both fields may be given; both must hold.",
      type: "object",
      additionalProperties: false,
      minProperties: 1,
      errorMessage: "expected a mapping with minPassRatio and/or maxFailures",
      properties: {
        minPassRatio: {
          description: "Lowest share of tasks that must pass, from 0 to 1 (0.95 = 95%).",
          type: "number",
          exclusiveMinimum: 0,
          maximum: 1,
          errorMessage: "expected a ratio above 0 and at most 1, e.g. 0.95",
        },
        maxFailures: {
          description: "Most tasks that may fail.",
          type: "integer",
          minimum: 0,
          errorMessage: "expected a whole number, 0 or more",
        },
      },
    },
    allowNoTasks: {
      type: "boolean",
      default: false,
      description:
        "When true, a target that matches no task passes. Default false: zero tasks fail.",
    },
    skip: {
      ...nonEmptyString,
      description:
        "Reason to skip this spec: it is reported as skipped and never polled. It is still validated.",
    },
    fleet: {
      markdownDescription:
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the user-facing ${capture.NAME} / ${VAR} syntax
        'Rules over the values the tasks captured (`expect.capture`), for drift detection:\n\n- `same: version`: every task captured the same value\n- `distinct: { of: version, max: 2 }`: at most 2 distinct values (a canary)\n- `equals: { version: "${EXPECTED_VERSION}" }`: every value is this one\n\nOnly tasks that captured a value are compared; a task that captured nothing fails on its own.',
      description:
        "Consistency of captured values across tasks: same (one value), distinct {of, max}, equals {capture: value}.",
      type: "object",
      additionalProperties: false,
      minProperties: 1,
      errorMessage: "expected a mapping with same, distinct and/or equals",
      properties: {
        same: {
          description: "Capture name(s) whose value every task must share.",
          anyOf: [
            captureName("A capture every task must agree on."),
            {
              type: "array",
              minItems: 1,
              uniqueItems: true,
              items: captureName("A capture every task must agree on."),
            },
          ],
          errorMessage: "expected a capture name, or a list of them",
        },
        distinct: {
          description: "At most `max` distinct values of the capture `of` across the tasks.",
          type: "object",
          additionalProperties: false,
          required: ["of", "max"],
          errorMessage: "expected { of: <capture name>, max: <number> }",
          properties: {
            of: captureName("The capture whose distinct values are counted."),
            max: {
              description: "Most distinct values allowed (1 is the same as `same`).",
              type: "integer",
              minimum: 1,
              errorMessage: "expected a whole number, at least 1",
            },
          },
        },
        equals: {
          description:
            // biome-ignore lint/suspicious/noTemplateCurlyInString: the user-facing ${capture.NAME} / ${VAR} syntax
            "Capture name → the value every task must have captured, often ${EXPECTED_VERSION}.",
          type: "object",
          minProperties: 1,
          propertyNames: { pattern: CAPTURE_NAME, errorMessage: CAPTURE_NAME_EXPECTED },
          additionalProperties: {
            type: "string",
            minLength: 1,
            errorMessage: "expected the value every task must have captured",
          },
          errorMessage: 'expected a mapping from capture name to value, e.g. { version: "1.4.2" }',
        },
      },
    },
    needs: {
      markdownDescription:
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the user-facing ${capture.NAME} / ${VAR} syntax
        "Specs of the same run judged before this one (by name): this spec is watched once they are judged, only when they passed, and its patterns may read their captures as `${capture.NAME}` (this instance's value, else the one value the whole fleet captured). When a needed spec fails, this one is reported as skipped; when it was skipped on purpose, this one cannot be verified.",
      description:
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the user-facing ${capture.NAME} / ${VAR} syntax
        "Spec name(s) judged before this one; their captures can be read as ${capture.NAME}. Judged only when they pass.",
      anyOf: [
        nonEmptyString,
        { type: "array", minItems: 1, uniqueItems: true, items: nonEmptyString },
      ],
      errorMessage: "expected a spec name, or a list of them",
    },
  },
} as const;

/**
 * What tat-assert's own loader reads instead of `errorMessage` on a mapping. An editor
 * (vscode-json-languageservice, yaml-language-server) shows a node's `errorMessage` in place of
 * every error of that node, the unknown-key one included: on `expect` it read "expected at least
 * one of …" for a misspelt `exit_code`. So `errorMessage` stays on scalar nodes, where it replaces
 * only "wrong type / pattern / value", and a mapping's sentence lives under this key.
 */
export const OBJECT_MESSAGE = "x-message";

/** Keywords of the published schema that are not JSON Schema validation keywords: annotations for
 * editors and the loader. A strict ajv compiles schema/spec-v1.json once they are registered
 * (`ajv.addVocabulary(EDITOR_KEYWORDS)`). */
export const EDITOR_KEYWORDS = [
  "errorMessage",
  "doNotSuggest",
  "enumDescriptions",
  "markdownDescription",
  "defaultSnippets",
  OBJECT_MESSAGE,
] as const;

const isMapping = (node: Record<string, unknown>) =>
  node.type === "object" || "properties" in node || "propertyNames" in node;

/** Moves `errorMessage` off every mapping node (see OBJECT_MESSAGE); scalar nodes keep theirs. */
function forEditors<T>(node: T): T {
  if (Array.isArray(node)) return node.map(forEditors) as T;
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  const mapping = isMapping(node as Record<string, unknown>);
  for (const [key, value] of Object.entries(node)) {
    if (key === "errorMessage" && mapping) out[OBJECT_MESSAGE] = value;
    else
      out[key] =
        key === "enum" || key === "examples" || key === "default" || key === "defaultSnippets"
          ? value
          : forEditors(value);
  }
  return out as T;
}

export const specSchema = forEditors(authoredSchema);

export type SpecSchema = typeof specSchema;
