// The `run:` block of a spec (tat-assert run): every RunCommand / InvokeCommand parameter a user
// sets in tccli or the console, under the spec format's names. Spread into src/spec/schema.ts.
// Limits that need the value as a whole (content size, parameter count) are rules (run-rules.ts),
// so that they are reported with a sentence of their own.
import { COMMAND_TYPES } from "../tat/run-command-types.js";

const interpolable = (re: string) => `^(?:${re})$|\\$\\{`;

const INSTANCE_ID_EXPECTED =
  "expected an instance id such as ins-a1b2c3d4 (CVM), lhins-… (Lighthouse) or mi-… (managed instance)";

export const RUN_BLOCK_SCHEMA = {
  description:
    "Start a command, then judge its tasks (only with `tat-assert run`; the plain gate refuses it). Exactly one of command (RunCommand) or commandId (InvokeCommand of a saved command).",
  type: "object",
  additionalProperties: false,
  required: ["instances"],
  errorMessage: "expected a mapping with command or commandId, and instances",
  properties: {
    command: {
      type: "string",
      minLength: 1,
      description:
        "Script content for RunCommand (sent base64, at most 64 KiB encoded). {{name}} placeholders take values from `parameters`. Write $${ for a literal ${.",
      errorMessage: "expected the script text",
    },
    commandId: {
      type: "string",
      pattern: interpolable("cmd-[a-z0-9]+"),
      description: "A saved command to run with InvokeCommand, e.g. cmd-abcd1234.",
      errorMessage: "expected a command id such as cmd-abcd1234",
    },
    commandType: {
      type: "string",
      enum: [...COMMAND_TYPES],
      description: "SHELL (default), POWERSHELL or BAT. Only with `command`.",
      errorMessage: "expected SHELL, POWERSHELL or BAT",
    },
    commandName: {
      type: "string",
      minLength: 1,
      description:
        "CommandName of the created command (letters, digits, _, -, .; at most 60 bytes). Default: a unique tat-assert-… name, which lets a lost answer be found again. Only with `command`.",
    },
    description: {
      type: "string",
      description: "Description of the created command. Only with `command`.",
    },
    parameters: {
      type: "object",
      description:
        "Values of the command's {{name}} placeholders (at most 20; names of letters, digits, - and _). With `command`, giving parameters turns EnableParameter on.",
      propertyNames: { pattern: "^[a-zA-Z0-9_-]{1,64}$" },
      additionalProperties: {
        type: "string",
        errorMessage: "parameter values are strings: quote them",
      },
      errorMessage: "expected a mapping of parameter names to string values",
    },
    instances: {
      description:
        "Instances to run on. More than 200 are started as several invocations (200 each) and judged as one spec.",
      type: "array",
      minItems: 1,
      uniqueItems: true,
      items: {
        type: "string",
        pattern: interpolable("(?:ins|lhins|mi)-[a-z0-9]+"),
        errorMessage: INSTANCE_ID_EXPECTED,
      },
      errorMessage: "expected a non-empty list of instance ids such as ins-a1b2c3d4",
    },
    timeout: {
      type: "string",
      minLength: 2,
      pattern: interpolable("([0-9]+h)?([0-9]+m)?([0-9]+s)?"),
      description:
        "The command's own Timeout (1s to 24h, whole seconds); the agent kills it after that (TIMEOUT). Default: 60s, or the saved command's.",
      errorMessage: "expected a duration in whole seconds such as 90s, 10m or 1h",
      examples: ["60s", "10m", "1h"],
    },
    workingDirectory: {
      type: "string",
      minLength: 1,
      description: "Working directory (default /root on Linux, or the saved command's).",
    },
    username: {
      type: "string",
      minLength: 1,
      description: "User that runs the command (default root / System, or the saved command's).",
    },
    outputCOSBucketUrl: {
      type: "string",
      pattern: interpolable("https://[^\\s/]+/?"),
      description:
        "Also upload the full output to this COS bucket, e.g. https://name-1250000000.cos.ap-guangzhou.myqcloud.com.",
      errorMessage: "expected an https URL of a COS bucket",
    },
    outputCOSKeyPrefix: {
      type: "string",
      description: "Object key prefix for the uploaded output (no leading /, no //, no ..).",
    },
    saveCommand: {
      type: "boolean",
      description: "Keep the created command (SaveCommand). Default false. Only with `command`.",
    },
    tags: {
      type: "object",
      description: "Tags of the saved command (at most 10). Only with `command`.",
      maxProperties: 10,
      additionalProperties: { type: "string" },
    },
  },
} as const;
