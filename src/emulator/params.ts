// Request-body validation for the Describe actions. Each action answers with codes from its
// own documented error list (tat-api.md §1.3, §1.4), so the tables below differ on purpose.
import {
  type COMMAND_FILTER_NAMES,
  DEFAULT_LIMIT,
  type INVOCATION_FILTER_NAMES,
  MAX_FILTER_VALUES,
  MAX_FILTERS,
  MAX_IDS_PER_REQUEST,
  MAX_LIMIT,
  type TASK_FILTER_NAMES,
} from "../tat/types.js";
import { type IdKind, isId } from "./ids.js";
import { apiError } from "./responses.js";

export interface QueryFilter {
  name: string;
  values: string[];
}

export interface DescribeQuery {
  /** Undefined when not given (or given empty): no restriction. */
  ids: string[] | undefined;
  filters: QueryFilter[];
  limit: number;
  offset: number;
  hideOutput: boolean;
}

type ValueCheck = { kind: IdKind; code: string } | { oneOf: readonly string[] } | { text: true };

interface ActionRules {
  idsField: string;
  idCheck: { kind: IdKind; code: string };
  fields: readonly string[];
  filters: Record<string, ValueCheck>;
  tooManyIds: string;
  tooManyFilters: string;
  tooManyValues: string;
  limitTooLarge: string;
  badRange: string;
}

const INVALID_TASK_ID = "InvalidParameterValue.InvalidInvocationTaskId";
const INVALID_INVOCATION_ID = "InvalidParameterValue.InvalidInvocationId";
const INVALID_INSTANCE_ID = "InvalidParameterValue.InvalidInstanceId";
const INVALID_COMMAND_ID = "InvalidParameterValue.InvalidCommandId";

export const TASK_RULES: ActionRules = {
  idsField: "InvocationTaskIds",
  idCheck: { kind: "task", code: INVALID_TASK_ID },
  fields: ["InvocationTaskIds", "Filters", "Limit", "Offset", "HideOutput"],
  filters: {
    "invocation-task-id": { kind: "task", code: INVALID_TASK_ID },
    "invocation-id": { kind: "invocation", code: INVALID_INVOCATION_ID },
    "instance-id": { kind: "instance", code: INVALID_INSTANCE_ID },
    "command-id": { kind: "command", code: INVALID_COMMAND_ID },
  } satisfies Record<(typeof TASK_FILTER_NAMES)[number], ValueCheck>,
  // DescribeInvocationTasks documents no LimitExceeded codes; its generic value error is used.
  tooManyIds: "InvalidParameterValue",
  tooManyFilters: "InvalidParameterValue",
  tooManyValues: "InvalidParameterValue",
  limitTooLarge: "InvalidParameterValue",
  badRange: "InvalidParameterValue",
};

export const INVOCATION_RULES: ActionRules = {
  idsField: "InvocationIds",
  idCheck: { kind: "invocation", code: INVALID_INVOCATION_ID },
  fields: ["InvocationIds", "Filters", "Limit", "Offset"],
  filters: {
    "invocation-id": { kind: "invocation", code: INVALID_INVOCATION_ID },
    "command-id": { kind: "command", code: INVALID_COMMAND_ID },
    "command-created-by": { oneOf: ["TAT", "USER"] },
    "instance-kind": { oneOf: ["CVM", "LIGHTHOUSE"] },
  } satisfies Record<(typeof INVOCATION_FILTER_NAMES)[number], ValueCheck>,
  tooManyIds: "InvalidParameterValue.LimitExceeded",
  tooManyFilters: "InvalidParameterValue.LimitExceeded",
  tooManyValues: "LimitExceeded.FilterValueExceeded",
  limitTooLarge: "InvalidParameterValue.LimitExceeded",
  // DescribeInvocations documents no plain InvalidParameterValue.
  badRange: "InvalidParameter",
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** DescribeCommands (tat-api.md §1.5): its documented errors hold no LimitExceeded codes. */
export const COMMAND_RULES: ActionRules = {
  idsField: "CommandIds",
  idCheck: { kind: "command", code: INVALID_COMMAND_ID },
  fields: ["CommandIds", "Filters", "Limit", "Offset"],
  filters: {
    "command-id": { kind: "command", code: INVALID_COMMAND_ID },
    "command-name": { text: true },
    "command-type": { oneOf: ["SHELL", "POWERSHELL", "BAT"] },
    "scene-id": { text: true },
    "created-by": { oneOf: ["TAT", "USER"] },
    "tag-key": { text: true },
    "tag-value": { text: true },
    "tag:": { text: true },
  } satisfies Record<(typeof COMMAND_FILTER_NAMES)[number] | "tag:", ValueCheck>,
  tooManyIds: "InvalidParameterValue",
  tooManyFilters: "InvalidParameterValue",
  tooManyValues: "InvalidParameterValue",
  limitTooLarge: "InvalidParameterValue",
  badRange: "InvalidParameterValue",
};

function stringArray(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw apiError("InvalidParameter", `The parameter \`${field}\` must be an array of strings.`);
  }
  return value;
}

function integer(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw apiError("InvalidParameter", `The parameter \`${field}\` must be an integer.`);
  }
  return value;
}

function checkValue(check: ValueCheck, value: string, filterName: string): void {
  if ("text" in check) return;
  if ("kind" in check) {
    if (!isId(check.kind, value)) {
      throw apiError(check.code, `Invalid value \`${value}\` in filter \`${filterName}\`.`);
    }
  } else if (!check.oneOf.includes(value)) {
    throw apiError(
      "InvalidParameterValue.InvalidFilter",
      `Filter \`${filterName}\` accepts ${check.oneOf.join(", ")}; got \`${value}\`.`,
    );
  }
}

function parseFilters(value: unknown, rules: ActionRules): QueryFilter[] {
  if (!Array.isArray(value)) {
    throw apiError("InvalidParameter", "The parameter `Filters` must be an array of Filter.");
  }
  if (value.length > MAX_FILTERS) {
    throw apiError(
      rules.tooManyFilters,
      `At most ${MAX_FILTERS} filters are allowed; got ${value.length}.`,
    );
  }
  return value.map((raw, i) => {
    if (!isRecord(raw) || typeof raw.Name !== "string") {
      throw apiError("InvalidParameter", `Filters.${i} must be an object with a string \`Name\`.`);
    }
    const unknownKey = Object.keys(raw).find((k) => k !== "Name" && k !== "Values");
    if (unknownKey) {
      throw apiError(
        "UnknownParameter",
        `The parameter \`Filters.${i}.${unknownKey}\` is not recognized.`,
      );
    }
    const values = stringArray(raw.Values, `Filters.${i}.Values`);
    // DescribeCommands' `tag:<tag-key>` names a filter by prefix.
    const check =
      rules.filters[raw.Name] ??
      (raw.Name.startsWith("tag:") && raw.Name.length > 4 ? rules.filters["tag:"] : undefined);
    if (!check) {
      throw apiError(
        "InvalidParameterValue.InvalidFilter",
        `Unknown filter name \`${raw.Name}\`; supported: ${Object.keys(rules.filters).join(", ")}.`,
      );
    }
    if (values.length === 0) {
      throw apiError(
        "InvalidParameterValue.InvalidFilter",
        `Filter \`${raw.Name}\` has no values.`,
      );
    }
    if (values.length > MAX_FILTER_VALUES) {
      throw apiError(
        rules.tooManyValues,
        `Filter \`${raw.Name}\` may have at most ${MAX_FILTER_VALUES} values; got ${values.length}.`,
      );
    }
    for (const v of values) checkValue(check, v, raw.Name);
    return { name: raw.Name, values };
  });
}

export function parseDescribeQuery(body: unknown, rules: ActionRules): DescribeQuery {
  if (!isRecord(body)) {
    throw apiError("InvalidParameter", "The request body must be a JSON object.");
  }
  const unknown = Object.keys(body).find((k) => !rules.fields.includes(k));
  if (unknown !== undefined) {
    throw apiError("UnknownParameter", `The parameter \`${unknown}\` is not recognized.`);
  }
  let ids: string[] | undefined;
  if (body[rules.idsField] !== undefined) {
    ids = stringArray(body[rules.idsField], rules.idsField);
    if (ids.length > MAX_IDS_PER_REQUEST) {
      throw apiError(
        rules.tooManyIds,
        `\`${rules.idsField}\` may hold at most ${MAX_IDS_PER_REQUEST} ids; got ${ids.length}.`,
      );
    }
    for (const id of ids) {
      if (!isId(rules.idCheck.kind, id)) {
        throw apiError(rules.idCheck.code, `Invalid id \`${id}\` in \`${rules.idsField}\`.`);
      }
    }
    if (ids.length === 0) ids = undefined;
  }
  const filters = body.Filters === undefined ? [] : parseFilters(body.Filters, rules);
  if (ids !== undefined && filters.length > 0) {
    throw apiError(
      "InvalidParameter.ConflictParameter",
      `\`${rules.idsField}\` and \`Filters\` cannot be given together.`,
    );
  }
  const limit = body.Limit === undefined ? DEFAULT_LIMIT : integer(body.Limit, "Limit");
  if (limit < 0 || limit > MAX_LIMIT) {
    throw apiError(
      limit > MAX_LIMIT ? rules.limitTooLarge : rules.badRange,
      `\`Limit\` must be between 0 and ${MAX_LIMIT}; got ${limit}.`,
    );
  }
  const offset = body.Offset === undefined ? 0 : integer(body.Offset, "Offset");
  if (offset < 0) {
    throw apiError(rules.badRange, `\`Offset\` must not be negative; got ${offset}.`);
  }
  let hideOutput = true;
  if (body.HideOutput !== undefined) {
    if (typeof body.HideOutput !== "boolean") {
      throw apiError("InvalidParameter", "The parameter `HideOutput` must be a boolean.");
    }
    hideOutput = body.HideOutput;
  }
  return { ids, filters, limit, offset, hideOutput };
}
