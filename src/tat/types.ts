// Wire shapes of the TAT API (version 2020-10-28), field names exactly as Tencent spells them.
// Status fields stay `string` at this boundary: a value Tencent adds later must not break parsing;
// task-status.ts narrows them.

export const TAT_VERSION = "2020-10-28";
export const TAT_SERVICE = "tat";

export interface Filter {
  Name: string;
  Values: string[];
}

export interface TaskResult {
  ExitCode?: number;
  /** Base64 of at most 24 KiB of combined stdout+stderr; only present with `HideOutput: false`. */
  Output?: string | null;
  ExecStartTime?: string | null;
  ExecEndTime?: string | null;
  /** Bytes of output the agent discarded beyond the 24 KiB cap. */
  Dropped?: number;
  OutputUrl?: string;
  OutputUploadCOSErrorInfo?: string;
}

export interface CommandDocument {
  Content?: string;
  CommandType?: string;
  Timeout?: number;
  WorkingDirectory?: string;
  Username?: string;
  OutputCOSBucketUrl?: string;
  OutputCOSKeyPrefix?: string;
}

export interface InvocationTask {
  InvocationId?: string;
  InvocationTaskId?: string;
  CommandId?: string;
  TaskStatus?: string;
  InstanceId?: string;
  TaskResult?: TaskResult;
  StartTime?: string | null;
  EndTime?: string | null;
  CreatedTime?: string;
  UpdatedTime?: string;
  CommandDocument?: CommandDocument;
  ErrorInfo?: string;
  InvocationSource?: string;
  CommandName?: string;
}

export interface InvocationTaskBasicInfo {
  InvocationTaskId?: string;
  TaskStatus?: string;
  InstanceId?: string;
}

export interface Invocation {
  InvocationId?: string;
  CommandId?: string;
  CommandName?: string;
  InvocationStatus?: string;
  InvocationTaskBasicInfoSet?: InvocationTaskBasicInfo[];
  Description?: string;
  StartTime?: string | null;
  EndTime?: string | null;
  CreatedTime?: string;
  UpdatedTime?: string;
  Parameters?: string;
  DefaultParameters?: string;
  InstanceKind?: string;
  Username?: string;
  InvocationSource?: string;
  CommandContent?: string;
  CommandType?: string;
  Timeout?: number;
  WorkingDirectory?: string;
  OutputCOSBucketUrl?: string;
  OutputCOSKeyPrefix?: string;
}

export interface DescribeInvocationTasksRequest {
  InvocationTaskIds?: string[];
  Filters?: Filter[];
  /** Default 20, maximum 100. */
  Limit?: number;
  Offset?: number;
  /** Default `true` on the service: output is hidden unless `false` is sent. */
  HideOutput?: boolean;
}

export interface DescribeInvocationTasksResponse {
  TotalCount: number;
  InvocationTaskSet: InvocationTask[];
  RequestId: string;
}

export interface DescribeInvocationsRequest {
  InvocationIds?: string[];
  Filters?: Filter[];
  Limit?: number;
  Offset?: number;
}

export interface DescribeInvocationsResponse {
  TotalCount: number;
  InvocationSet: Invocation[];
  RequestId: string;
}

/** A saved command (tat-api.md §1.5); only what tat-assert reads. */
export interface Command {
  CommandId?: string;
  CommandName?: string;
  CommandType?: string;
  Timeout?: number;
  CreatedTime?: string;
  UpdatedTime?: string;
  CreatedBy?: string;
}

export interface DescribeCommandsRequest {
  CommandIds?: string[];
  Filters?: Filter[];
  Limit?: number;
  Offset?: number;
}

export interface DescribeCommandsResponse {
  TotalCount: number;
  CommandSet: Command[];
  RequestId: string;
}

export interface ApiErrorBody {
  Code: string;
  Message: string;
}

/** Every answer of the API: `{"Response": {...fields, RequestId}}` or `{"Response": {Error, RequestId}}`. */
export interface Envelope<T> {
  Response:
    | (T & { RequestId: string; Error?: undefined })
    | { Error: ApiErrorBody; RequestId: string };
}

/** Filter names each action accepts (tat-api.md §1.3, §1.4). */
export const TASK_FILTER_NAMES = [
  "invocation-task-id",
  "invocation-id",
  "instance-id",
  "command-id",
] as const;
export const INVOCATION_FILTER_NAMES = [
  "invocation-id",
  "command-id",
  "command-created-by",
  "instance-kind",
] as const;

/** DescribeCommands also takes `tag:<tag-key>` (tat-api.md §1.5). */
export const COMMAND_FILTER_NAMES = [
  "command-id",
  "command-name",
  "command-type",
  "scene-id",
  "created-by",
  "tag-key",
  "tag-value",
] as const;

export const MAX_IDS_PER_REQUEST = 100;
export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 20;
export const MAX_FILTERS = 10;
export const MAX_FILTER_VALUES = 5;
/** The agent keeps at most this many bytes of output per task (tat-agent MAX_REPORT_BYTES). */
export const MAX_OUTPUT_BYTES = 24 * 1024;
/** Documented default rate limit of every TAT action. */
export const REQUESTS_PER_SECOND_PER_ACTION = 20;
