// Wire shapes of the three actions that start or stop commands (tat-api.md §1.1, §1.2, §1.6),
// field names exactly as Tencent spells them. Kept apart from the read actions in types.ts: these
// change the world, and none of them carries an idempotency token.

export const COMMAND_TYPES = ["SHELL", "POWERSHELL", "BAT"] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

/** Instances per RunCommand / InvokeCommand call. */
export const MAX_INSTANCES_PER_CALL = 200;
/** Instances per CancelInvocation call. */
export const MAX_CANCEL_INSTANCES = 100;
/** Length of the base64 `Content` string. */
export const MAX_CONTENT_BASE64_LENGTH = 64 * 1024;
export const MAX_PARAMETERS = 20;
export const MAX_PARAMETER_NAME_LENGTH = 64;
export const PARAMETER_NAME = /^[a-zA-Z0-9_-]+$/;
export const MIN_TIMEOUT_SECONDS = 1;
export const MAX_TIMEOUT_SECONDS = 86_400;
export const DEFAULT_TIMEOUT_SECONDS = 60;
export const MAX_COMMAND_NAME_BYTES = 60;
export const MAX_DESCRIPTION_LENGTH = 120;
export const MAX_COS_KEY_PREFIX_LENGTH = 60;

export interface Tag {
  Key: string;
  Value: string;
}

export interface DefaultParameterConf {
  ParameterName: string;
  ParameterValue: string;
  ParameterDescription?: string;
}

/** Fields both actions share. */
interface RunFields {
  InstanceIds: string[];
  /** JSON-encoded object of string → string. */
  Parameters?: string;
  Username?: string;
  WorkingDirectory?: string;
  /** Seconds, [1, 86400]. */
  Timeout?: number;
  OutputCOSBucketUrl?: string;
  OutputCOSKeyPrefix?: string;
}

export interface RunCommandRequest extends RunFields {
  /** Base64 of the script, at most 64 KiB of base64. */
  Content: string;
  CommandName?: string;
  Description?: string;
  CommandType?: CommandType;
  SaveCommand?: boolean;
  EnableParameter?: boolean;
  /** JSON-encoded object of string → string. */
  DefaultParameters?: string;
  DefaultParameterConfs?: DefaultParameterConf[];
  Tags?: Tag[];
}

export interface InvokeCommandRequest extends RunFields {
  CommandId: string;
}

export interface RunCommandResponse {
  CommandId: string;
  InvocationId: string;
  RequestId: string;
}

export interface InvokeCommandResponse {
  InvocationId: string;
  RequestId: string;
}

export interface CancelInvocationRequest {
  InvocationId: string;
  /** At most 100; omitted = the whole invocation. */
  InstanceIds?: string[];
}

export interface CancelInvocationResponse {
  RequestId: string;
}
