// JSON Schemas of the answers to RunCommand, InvokeCommand and CancelInvocation (the unwrapped
// `Response` object), checked with ajv. An answer that does not hold an invocation id in the id
// format is not an answer: for RunCommand that means "we do not know whether it started", which
// the launcher must treat like a lost connection, never like success.
import { Ajv, type ValidateFunction } from "ajv";
import { TatNetworkError } from "../errors.js";
import type {
  CancelInvocationResponse,
  InvokeCommandResponse,
  RunCommandResponse,
} from "./run-command-types.js";

const requestId = { type: "string", minLength: 1 } as const;
const invocationId = { type: "string", pattern: "^inv-[a-z0-9]{8}$" } as const;
const commandId = { type: "string", pattern: "^cmd-[a-z0-9]{1,32}$" } as const;

/** Response schemas keyed by action (for the shared registry of response parsers). */
export const RUN_COMMAND_RESPONSE_SCHEMAS = {
  RunCommand: {
    type: "object",
    required: ["CommandId", "InvocationId", "RequestId"],
    properties: { CommandId: commandId, InvocationId: invocationId, RequestId: requestId },
  },
  InvokeCommand: {
    type: "object",
    required: ["InvocationId", "RequestId"],
    properties: { InvocationId: invocationId, RequestId: requestId },
  },
  CancelInvocation: {
    type: "object",
    required: ["RequestId"],
    properties: { RequestId: requestId },
  },
} as const;

type RunAction = keyof typeof RUN_COMMAND_RESPONSE_SCHEMAS;

interface Shapes {
  RunCommand: RunCommandResponse;
  InvokeCommand: InvokeCommandResponse;
  CancelInvocation: CancelInvocationResponse;
}

let validators: Record<RunAction, ValidateFunction> | undefined;

function validatorFor(action: RunAction): ValidateFunction {
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, strict: true });
    validators = {
      RunCommand: ajv.compile(RUN_COMMAND_RESPONSE_SCHEMAS.RunCommand),
      InvokeCommand: ajv.compile(RUN_COMMAND_RESPONSE_SCHEMAS.InvokeCommand),
      CancelInvocation: ajv.compile(RUN_COMMAND_RESPONSE_SCHEMAS.CancelInvocation),
    };
  }
  return validators[action];
}

/** The answer as its type, or a BAD_RESPONSE network error naming what is wrong (never the values). */
export function checkRunCommandAnswer<A extends RunAction>(action: A, answer: unknown): Shapes[A] {
  const validate = validatorFor(action);
  if (validate(answer)) return answer as Shapes[A];
  const problems = (validate.errors ?? [])
    .map((e) => `${e.instancePath || "Response"} ${e.message ?? "is invalid"}`)
    .join("; ");
  throw new TatNetworkError(
    action,
    "BAD_RESPONSE",
    `the answer is not a ${action} response: ${problems}`,
  );
}
