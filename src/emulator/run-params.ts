// Request-body validation for RunCommand, InvokeCommand and CancelInvocation, with the error codes
// each action documents (tat-api.md §1.1, §1.2, §1.6).
import {
  COMMAND_TYPES,
  type CommandType,
  MAX_CANCEL_INSTANCES,
  MAX_COMMAND_NAME_BYTES,
  MAX_CONTENT_BASE64_LENGTH,
  MAX_COS_KEY_PREFIX_LENGTH,
  MAX_DESCRIPTION_LENGTH,
  MAX_INSTANCES_PER_CALL,
  MAX_PARAMETER_NAME_LENGTH,
  MAX_PARAMETERS,
  MAX_TIMEOUT_SECONDS,
  MIN_TIMEOUT_SECONDS,
  PARAMETER_NAME,
} from "../tat/run-command-types.js";
import { isId } from "./ids.js";
import { apiError } from "./responses.js";

type Body = Record<string, unknown>;

/** What both actions carry once checked. */
export interface RunFieldsIn {
  instanceIds: string[];
  parameters?: Record<string, string>;
  username?: string;
  workingDirectory?: string;
  timeout?: number;
  outputCOSBucketUrl?: string;
  outputCOSKeyPrefix?: string;
}

export interface RunCommandIn extends RunFieldsIn {
  content: string;
  commandName?: string;
  description?: string;
  commandType: CommandType;
  saveCommand: boolean;
  enableParameter: boolean;
  defaultParameters?: Record<string, string>;
}

export interface InvokeCommandIn extends RunFieldsIn {
  commandId: string;
}

export interface CancelIn {
  invocationId: string;
  instanceIds?: string[];
}

const RUN_FIELDS = [
  "InstanceIds",
  "Parameters",
  "Username",
  "WorkingDirectory",
  "Timeout",
  "OutputCOSBucketUrl",
  "OutputCOSKeyPrefix",
];
const RUN_COMMAND_FIELDS = [
  ...RUN_FIELDS,
  "Content",
  "CommandName",
  "Description",
  "CommandType",
  "SaveCommand",
  "EnableParameter",
  "DefaultParameters",
  "DefaultParameterConfs",
  "Tags",
];
const INVOKE_FIELDS = [...RUN_FIELDS, "CommandId"];

const isRecord = (v: unknown): v is Body =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function objectBody(body: unknown, fields: readonly string[]): Body {
  if (!isRecord(body))
    throw apiError("InvalidParameter", "The request body must be a JSON object.");
  const unknown = Object.keys(body).find((k) => !fields.includes(k));
  if (unknown !== undefined) {
    throw apiError("UnknownParameter", `The parameter \`${unknown}\` is not recognized.`);
  }
  return body;
}

function optionalString(body: Body, field: string): string | undefined {
  const v = body[field];
  if (v === undefined) return undefined;
  if (typeof v !== "string") {
    throw apiError("InvalidParameter", `The parameter \`${field}\` must be a string.`);
  }
  return v;
}

function instanceIds(body: Body, max: number, code: string): string[] {
  const v = body.InstanceIds;
  if (v === undefined)
    throw apiError("MissingParameter", "The parameter `InstanceIds` is missing.");
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) {
    throw apiError("InvalidParameter", "The parameter `InstanceIds` must be an array of strings.");
  }
  if (v.length === 0) throw apiError("MissingParameter", "`InstanceIds` is empty.");
  if (v.length > max) {
    throw apiError(code, `\`InstanceIds\` may hold at most ${max} ids; got ${v.length}.`);
  }
  for (const id of v) {
    if (!isId("instance", id)) {
      throw apiError("InvalidParameterValue.InvalidInstanceId", `Invalid instance id \`${id}\`.`);
    }
  }
  const kinds = new Set(v.map((id) => (id.startsWith("lhins-") ? "LIGHTHOUSE" : "CVM")));
  if (kinds.size > 1) {
    throw apiError(
      "InvalidParameterValue.InconsistentInstance",
      "CVM and Lighthouse instances cannot be mixed in one call.",
    );
  }
  return v;
}

/** A JSON-encoded object of string → string: `Parameters` or `DefaultParameters`. */
export function parseParameterJson(text: string, field: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw apiError(
      "InvalidParameterValue.ParameterInvalidJsonFormat",
      `\`${field}\` is not a JSON object.`,
    );
  }
  if (!isRecord(parsed)) {
    throw apiError(
      "InvalidParameterValue.ParameterInvalidJsonFormat",
      `\`${field}\` is not a JSON object.`,
    );
  }
  const entries = Object.entries(parsed);
  if (entries.length > MAX_PARAMETERS) {
    throw apiError(
      "InvalidParameterValue.ParameterNumberExceeded",
      `\`${field}\` may hold at most ${MAX_PARAMETERS} parameters; got ${entries.length}.`,
    );
  }
  for (const [name, value] of entries) {
    if (name.length > MAX_PARAMETER_NAME_LENGTH) {
      throw apiError(
        "InvalidParameterValue.ParameterKeyLenExceeded",
        `Parameter name \`${name.slice(0, 20)}…\` is longer than ${MAX_PARAMETER_NAME_LENGTH} characters.`,
      );
    }
    if (!PARAMETER_NAME.test(name)) {
      throw apiError(
        "InvalidParameterValue.ParameterKeyContainsInvalidChar",
        `Parameter name \`${name}\` may hold only letters, digits, - and _.`,
      );
    }
    if (typeof value !== "string") {
      throw apiError(
        "InvalidParameterValue.ParameterValueNotString",
        `The value of parameter \`${name}\` must be a string.`,
      );
    }
  }
  return parsed as Record<string, string>;
}

function runFields(body: Body): RunFieldsIn {
  const out: RunFieldsIn = {
    instanceIds: instanceIds(body, MAX_INSTANCES_PER_CALL, "InvalidParameterValue.LimitExceeded"),
  };
  const params = optionalString(body, "Parameters");
  if (params !== undefined) out.parameters = parseParameterJson(params, "Parameters");
  const username = optionalString(body, "Username");
  if (username !== undefined) {
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/.test(username)) {
      throw apiError("InvalidParameterValue.InvalidUsername", `Invalid username \`${username}\`.`);
    }
    out.username = username;
  }
  const dir = optionalString(body, "WorkingDirectory");
  if (dir !== undefined) {
    if (dir === "" || dir.includes("\0")) {
      throw apiError("InvalidParameterValue.InvalidWorkingDirectory", "Invalid working directory.");
    }
    out.workingDirectory = dir;
  }
  if (body.Timeout !== undefined) {
    const t = body.Timeout;
    if (typeof t !== "number" || !Number.isInteger(t)) {
      throw apiError("InvalidParameter", "The parameter `Timeout` must be an integer.");
    }
    if (t < MIN_TIMEOUT_SECONDS || t > MAX_TIMEOUT_SECONDS) {
      throw apiError(
        "InvalidParameterValue.Range",
        `\`Timeout\` must be from ${MIN_TIMEOUT_SECONDS} to ${MAX_TIMEOUT_SECONDS} seconds; got ${t}.`,
      );
    }
    out.timeout = t;
  }
  const bucket = optionalString(body, "OutputCOSBucketUrl");
  if (bucket !== undefined) {
    if (!/^https:\/\/[^\s/]+$/.test(bucket)) {
      throw apiError(
        "InvalidParameterValue.InvalidOutputCOSBucketUrl",
        "`OutputCOSBucketUrl` must be an https URL of a bucket, e.g. https://name-123.cos.ap-beijing.myqcloud.com.",
      );
    }
    out.outputCOSBucketUrl = bucket;
  }
  const prefix = optionalString(body, "OutputCOSKeyPrefix");
  if (prefix !== undefined) {
    const bad =
      prefix.length > MAX_COS_KEY_PREFIX_LENGTH ||
      prefix.startsWith("/") ||
      prefix.includes("//") ||
      prefix.split("/").includes("..") ||
      !/^[\x21-\x7e]*$/.test(prefix);
    if (bad) {
      throw apiError(
        "InvalidParameterValue.InvalidOutputCOSKeyPrefix",
        "`OutputCOSKeyPrefix`: at most 60 visible characters, no leading /, no //, no `..` folder.",
      );
    }
    out.outputCOSKeyPrefix = prefix;
  }
  return out;
}

function decodeContent(content: string): string {
  if (content.length === 0) {
    throw apiError("InvalidParameterValue.CommandContentInvalid", "`Content` is empty.");
  }
  if (content.length > MAX_CONTENT_BASE64_LENGTH) {
    throw apiError(
      "InvalidParameterValue.TooLong",
      `\`Content\` is ${content.length} base64 characters; at most ${MAX_CONTENT_BASE64_LENGTH}.`,
    );
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(content) || content.length % 4 !== 0) {
    throw apiError("InvalidParameterValue.InvalidContent", "`Content` is not base64.");
  }
  return Buffer.from(content, "base64").toString("utf8");
}

function optionalBoolean(body: Body, field: string): boolean | undefined {
  const v = body[field];
  if (v === undefined) return undefined;
  if (typeof v !== "boolean") {
    throw apiError("InvalidParameter", `The parameter \`${field}\` must be a boolean.`);
  }
  return v;
}

export function parseRunCommand(raw: unknown): RunCommandIn {
  const body = objectBody(raw, RUN_COMMAND_FIELDS);
  const content = optionalString(body, "Content");
  if (content === undefined)
    throw apiError("MissingParameter", "The parameter `Content` is missing.");
  const fields = runFields(body);
  const commandType = (optionalString(body, "CommandType") ?? "SHELL") as CommandType;
  if (!COMMAND_TYPES.includes(commandType)) {
    throw apiError(
      "InvalidParameterValue",
      `\`CommandType\` must be one of ${COMMAND_TYPES.join(", ")}; got \`${commandType}\`.`,
    );
  }
  const enableParameter = optionalBoolean(body, "EnableParameter") ?? false;
  const out: RunCommandIn = {
    ...fields,
    content: decodeContent(content),
    commandType,
    saveCommand: optionalBoolean(body, "SaveCommand") ?? false,
    enableParameter,
  };
  const name = optionalString(body, "CommandName");
  if (name !== undefined) {
    if (Buffer.byteLength(name) > MAX_COMMAND_NAME_BYTES || !/^[\p{L}\p{N}_.-]+$/u.test(name)) {
      throw apiError(
        "InvalidParameterValue.InvalidCommandName",
        "`CommandName`: letters, digits, _, - and . only, at most 60 bytes.",
      );
    }
    out.commandName = name;
  }
  const description = optionalString(body, "Description");
  if (description !== undefined) {
    if (description.length > MAX_DESCRIPTION_LENGTH) {
      throw apiError(
        "InvalidParameterValue.TooLong",
        `\`Description\` is longer than ${MAX_DESCRIPTION_LENGTH} characters.`,
      );
    }
    out.description = description;
  }
  const defaults = optionalString(body, "DefaultParameters");
  if (defaults !== undefined && body.DefaultParameterConfs !== undefined) {
    throw apiError(
      "InvalidParameter.ParameterNameDuplicated",
      "`DefaultParameters` and `DefaultParameterConfs` cannot be given together.",
    );
  }
  if (!enableParameter && (defaults !== undefined || fields.parameters !== undefined)) {
    throw apiError(
      "InvalidParameterValue.SupportParametersOnlyIfEnableParameter",
      "Parameters are accepted only with `EnableParameter: true`.",
    );
  }
  if (defaults !== undefined)
    out.defaultParameters = parseParameterJson(defaults, "DefaultParameters");
  return out;
}

export function parseInvokeCommand(raw: unknown): InvokeCommandIn {
  const body = objectBody(raw, INVOKE_FIELDS);
  const commandId = optionalString(body, "CommandId");
  if (commandId === undefined) {
    throw apiError("MissingParameter", "The parameter `CommandId` is missing.");
  }
  if (!isId("command", commandId)) {
    throw apiError(
      "InvalidParameterValue.InvalidCommandId",
      `Invalid command id \`${commandId}\`.`,
    );
  }
  return { ...runFields(body), commandId };
}

export function parseCancelInvocation(raw: unknown): CancelIn {
  const body = objectBody(raw, ["InvocationId", "InstanceIds"]);
  const invocationId = optionalString(body, "InvocationId");
  if (invocationId === undefined) {
    throw apiError("MissingParameter", "The parameter `InvocationId` is missing.");
  }
  if (!isId("invocation", invocationId)) {
    throw apiError(
      "InvalidParameterValue.InvalidInvocationId",
      `Invalid invocation id \`${invocationId}\`.`,
    );
  }
  if (body.InstanceIds === undefined) return { invocationId };
  return {
    invocationId,
    instanceIds: instanceIds(body, MAX_CANCEL_INSTANCES, "InvalidParameterValue.LimitExceeded"),
  };
}

/** `{{name}}` and `{{tat-hidden:name}}` placeholders of a script. */
const PLACEHOLDER = /\{\{\s*(tat-hidden:)?([a-zA-Z0-9_-]+)\s*\}\}/g;

export function placeholders(content: string): { name: string; hidden: boolean }[] {
  return [...content.matchAll(PLACEHOLDER)].map((m) => ({
    name: m[2] as string,
    hidden: m[1] !== undefined,
  }));
}

/** The script with every placeholder replaced; a placeholder without a value is refused. */
export function substitute(content: string, values: Record<string, string>): string {
  return content.replace(PLACEHOLDER, (_all, _hidden, name: string) => {
    const v = values[name];
    if (v === undefined) {
      throw apiError(
        "InvalidParameterValue.LackOfParameterInfo",
        `No value for parameter \`${name}\`: give it in Parameters or DefaultParameters.`,
      );
    }
    return v;
  });
}
