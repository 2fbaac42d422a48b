// The scenario file format (JSON Schema draft-07). schema/scenario-v1.json is this object written
// out; test/emulator/scenario.test.ts fails when the two drift apart (UPDATE_SCHEMA=1 rewrites it).
import { TASK_STATUSES } from "../tat/task-status.js";
import { RUN_SCENARIO_DEFINITIONS, RUN_SCENARIO_PROPERTIES } from "./run-scenario-schema.js";

// A task, the fleet template and a fleet override all set these result fields: declared once
// (the spread keeps the written-out key order).
const TASK_RESULT_PROPERTIES = {
  timeline: {
    $ref: "#/definitions/timeline",
  },
  exitCode: {
    type: "integer",
  },
  output: {
    type: "string",
  },
  outputBase64: {
    type: "string",
    pattern: "^[A-Za-z0-9+/\\s]*={0,2}\\s*$",
    description:
      "The output as raw bytes, base64-encoded (GBK text, invalid UTF-8, …); instead of `output`.",
  },
  outputRepeat: {
    type: "integer",
    minimum: 1,
  },
  outputChunks: {
    type: "array",
    minItems: 1,
    description:
      "The output as the agent sends it while the task runs, instead of output/outputBase64: each chunk lands at `at` (from the invocation's createdAt, like the timeline, within RUNNING) and the API shows the chunks landed so far, cut wherever the chunk ends (mid-line, mid-character). The final output is every chunk.",
    items: {
      type: "object",
      additionalProperties: false,
      required: ["at"],
      properties: {
        at: {
          $ref: "#/definitions/duration",
        },
        output: {
          type: "string",
        },
        outputBase64: {
          type: "string",
          pattern: "^[A-Za-z0-9+/\\s]*={0,2}\\s*$",
        },
      },
    },
  },
  dropped: {
    type: "integer",
    minimum: 0,
    description:
      "Bytes TAT dropped after the output given (served as TaskResult.Dropped): the output is then only the kept part, at most 24 KiB (what `tat-assert record` writes when it could not read the whole log from COS). Not with outputChunks. The COS endpoint holds no whole log for such a task unless cosOutput gives it: it answers 404 NoSuchKey.",
  },
  errorInfo: {
    type: "string",
  },
  outputUrl: {
    type: "string",
  },
  outputUploadCOSErrorInfo: {
    type: "string",
  },
  cosOutput: {
    type: "string",
    description:
      "The full log the emulator's COS endpoint serves at outputUrl, when it is not the task's output (default: the whole output, outputRepeat included).",
  },
  cosOutputRepeat: {
    type: "integer",
    minimum: 1,
    description: "How many times cosOutput is repeated in the COS object (default 1).",
  },
  cosFault: {
    enum: ["accessDenied", "noSuchKey", "slow", "truncated"],
    description:
      "How the COS endpoint answers for this task's object instead: 403 AccessDenied, 404 NoSuchKey, no answer for a minute, or half the body and a dropped connection.",
  },
};

export const SCENARIO_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "urn:tat-assert:scenario-v1",
  title: "tat-assert emulator scenario, version 1",
  description:
    "What the local TAT emulator serves: accepted credentials, invocations with per-task status timelines and results, and injected faults. See docs/scenario.md.",
  type: "object",
  additionalProperties: false,
  properties: {
    version: {
      const: 1,
      description: "Scenario format version; 1.",
    },
    speed: {
      type: "number",
      exclusiveMinimum: 0,
      description:
        "Scenario seconds per real second when the emulator runs on real time (default 1).",
    },
    recorded: {
      type: "object",
      additionalProperties: false,
      required: ["at", "region"],
      description:
        "Written by `tat-assert record`: when and from which region the answers were recorded. `--replay` uses the region for specs that name none.",
      properties: {
        at: { type: "string", description: "ISO time of the recording." },
        region: { type: "string", minLength: 1, description: "The TAT region recorded." },
        by: { type: "string", description: "The tat-assert version that recorded it." },
      },
    },
    credentials: {
      type: "array",
      description: "Credentials the emulator accepts. Emulator-only values: never real keys.",
      items: {
        $ref: "#/definitions/credential",
      },
    },
    invocations: {
      type: "array",
      items: {
        $ref: "#/definitions/invocation",
      },
    },
    faults: {
      type: "array",
      items: {
        $ref: "#/definitions/fault",
      },
    },
    ...RUN_SCENARIO_PROPERTIES,
    neverRunExitCode: {
      type: "integer",
      description:
        "ExitCode of tasks that never ran (DELIVER_FAILED, CANCELLED) when the task gives none (default -1; the real service may send 0).",
    },
  },
  definitions: {
    ...RUN_SCENARIO_DEFINITIONS,
    duration: {
      description:
        'Seconds as a number, or a string with a unit: ms, s, m, h (e.g. "250ms", "1.5s").',
      type: ["number", "string"],
      minimum: 0,
      pattern: "^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h)\\s*$",
    },
    taskStatus: {
      enum: [...TASK_STATUSES],
    },
    credential: {
      type: "object",
      additionalProperties: false,
      required: ["secretId", "secretKey"],
      properties: {
        secretId: {
          type: "string",
          minLength: 1,
        },
        secretKey: {
          type: "string",
          minLength: 1,
        },
        token: {
          type: "string",
          minLength: 1,
          description: "Session token: required as X-TC-Token.",
        },
        expiresAt: {
          type: ["string", "integer"],
          description:
            "ISO-8601 time or epoch milliseconds after which the credential is rejected (AuthFailure.TokenFailure).",
        },
      },
    },
    timeline: {
      description:
        'Status changes, relative to the invocation\'s createdAt. Shorthand string "PENDING@0s RUNNING@1s SUCCESS@4s" or a list of {at, status}.',
      type: ["string", "array"],
      minLength: 1,
      minItems: 1,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["at", "status"],
        properties: {
          at: {
            $ref: "#/definitions/duration",
          },
          status: {
            $ref: "#/definitions/taskStatus",
          },
        },
      },
    },
    task: {
      type: "object",
      additionalProperties: false,
      required: ["instance"],
      properties: {
        instance: {
          type: "string",
          pattern: "^(ins|lhins|mi)-[a-z0-9]{1,32}$",
        },
        id: {
          type: "string",
          pattern: "^invt-[a-z0-9]{8}$",
        },
        ...TASK_RESULT_PROPERTIES,
      },
    },
    taskTemplate: {
      type: "object",
      additionalProperties: false,
      properties: {
        ...TASK_RESULT_PROPERTIES,
      },
    },
    fleet: {
      type: "object",
      additionalProperties: false,
      required: ["count"],
      description: "Generates `count` tasks from a template.",
      properties: {
        count: {
          type: "integer",
          minimum: 1,
          maximum: 100000,
        },
        instancePrefix: {
          type: "string",
          pattern: "^(ins|lhins|mi)-[a-z0-9]*$",
          description:
            'Instance ids are this prefix plus a zero-padded 1-based index (default "ins-").',
        },
        stagger: {
          $ref: "#/definitions/duration",
          description: "Shift the Nth task's timeline by (N-1) × stagger.",
        },
        template: {
          $ref: "#/definitions/taskTemplate",
        },
        overrides: {
          type: "array",
          description: "Per-task changes to the template, by 1-based index.",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["index"],
            properties: {
              index: {
                type: "integer",
                minimum: 1,
              },
              ...TASK_RESULT_PROPERTIES,
            },
          },
        },
      },
    },
    invocation: {
      type: "object",
      additionalProperties: false,
      required: ["id", "commandId"],
      properties: {
        id: {
          type: "string",
          pattern: "^inv-[a-z0-9]{8}$",
        },
        commandId: {
          type: "string",
          pattern: "^cmd-[a-z0-9]{1,32}$",
        },
        commandName: {
          type: "string",
        },
        command: {
          type: "string",
          description: "Script text (served base64-encoded).",
        },
        commandType: {
          enum: ["SHELL", "POWERSHELL", "BAT"],
        },
        timeout: {
          type: "integer",
          minimum: 1,
          maximum: 86400,
          description: "Seconds (default 60).",
        },
        workingDirectory: {
          type: "string",
        },
        username: {
          type: "string",
        },
        description: {
          type: "string",
        },
        createdBy: {
          enum: ["USER", "TAT"],
        },
        instanceKind: {
          enum: ["CVM", "LIGHTHOUSE"],
        },
        invocationSource: {
          enum: ["USER", "INVOKER"],
        },
        region: {
          type: "string",
          pattern: "^[a-z]+(-[a-z0-9]+)+$",
          description:
            "Region that holds the invocation (X-TC-Region); other regions do not see it. Default: every region.",
        },
        createdAt: {
          $ref: "#/definitions/duration",
          description: "Scenario time the invocation was created (default 0).",
        },
        createdAgo: {
          $ref: "#/definitions/duration",
          description:
            "Created this long before the emulator started (instead of createdAt): a run from before the gate, e.g. yesterday's. Its timeline counts from then.",
        },
        appearsAt: {
          $ref: "#/definitions/duration",
          description:
            "Scenario time from which Describe calls return it (default createdAt): eventual consistency.",
        },
        tasks: {
          type: "array",
          items: {
            $ref: "#/definitions/task",
          },
        },
        fleet: {
          $ref: "#/definitions/fleet",
        },
      },
    },
    fault: {
      type: "object",
      additionalProperties: false,
      description:
        "One of error, httpStatus, reset, corrupt, foreignRecord, totalCountDelta, skipItems, redirect, oversize, gzipBomb (latency may accompany any, or stand alone).",
      properties: {
        action: {
          type: "string",
          minLength: 1,
          description: 'X-TC-Action to match; "*" or absent = every action.',
        },
        error: {
          type: "string",
          pattern: "^[A-Za-z]+(\\.[A-Za-z0-9]+)*$",
        },
        message: {
          type: "string",
        },
        httpStatus: {
          type: "integer",
          minimum: 400,
          maximum: 599,
        },
        body: {
          type: "string",
        },
        reset: {
          type: "boolean",
        },
        latency: {
          $ref: "#/definitions/duration",
        },
        times: {
          type: "integer",
          minimum: 1,
        },
        every: {
          type: "integer",
          minimum: 1,
        },
        after: {
          $ref: "#/definitions/duration",
        },
        corrupt: {
          type: "object",
          additionalProperties: false,
          required: ["path"],
          description:
            "Set one field of a successful Response to `value` (or delete it with `remove: true`).",
          properties: {
            path: {
              type: "string",
              description:
                "Dotted, [n] for an item, [*] for every item: InvocationTaskSet[0].TaskResult.ExitCode",
            },
            value: {
              description: "Any JSON value, e.g. a string where a number belongs.",
            },
            remove: {
              type: "boolean",
            },
          },
        },
        foreignRecord: {
          enum: ["extra", "reassign"],
          description:
            "extra: add a record that was not asked for; reassign: move the first record to another invocation and instance.",
        },
        totalCountDelta: {
          type: "integer",
          description: "Add this to TotalCount.",
        },
        skipItems: {
          type: "integer",
          minimum: 1,
          description: "Leave out the first N records of the page.",
        },
        redirect: {
          type: "string",
          description: "Answer HTTP 302 to this URL.",
        },
        oversize: {
          type: "integer",
          minimum: 1,
          description: "Answer this many bytes, streamed without Content-Length.",
        },
        gzipBomb: {
          type: "integer",
          minimum: 1,
          description: "Answer gzip that inflates to this many bytes.",
        },
      },
    },
  },
};
