// Scenario data at a point in scenario time → the API's wire shapes (tat-api.md §2).
import type {
  Command,
  Invocation,
  InvocationTask,
  InvocationTaskBasicInfo,
  TaskResult,
} from "../tat/types.js";
import { deriveInvocationStatus } from "./invocation-status.js";
import { chunkedOutput, visibleOutput } from "./output.js";
import { taskStateAt } from "./timeline.js";
import type { ScenarioInvocation, ScenarioTask } from "./types.js";

/** Scenario ms → the API's timestamp style, e.g. `2026-11-28T01:02:03+00:00`. */
export type Stamp = (scenarioMs: number) => string;

export function isoStamp(originEpochMs: number): Stamp {
  return (ms) => `${new Date(originEpochMs + ms).toISOString().slice(0, 19)}+00:00`;
}

const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

export function wireTask(
  inv: ScenarioInvocation,
  task: ScenarioTask,
  t: number,
  stamp: Stamp,
  hideOutput: boolean,
): InvocationTask {
  const state = taskStateAt(task, t);
  const ended = state.endedAtMs !== undefined;
  const out =
    task.outputChunks && !ended
      ? chunkedOutput(task.outputChunks, t)
      : visibleOutput(
          task.outputBytes ?? task.output,
          task.outputRepeat,
          state.outputFraction,
          ended,
          task.dropped,
        );
  const execStart = state.runningAtMs === undefined ? null : stamp(state.runningAtMs);
  const execEnd =
    ended && state.runningAtMs !== undefined ? stamp(state.endedAtMs as number) : null;
  const result: TaskResult = {
    ExitCode: ended ? task.exitCode : 0,
    // Hidden output is an empty string, not an absent field (tat-api.md §2.2: "only populated" with
    // HideOutput: false).
    Output: hideOutput ? "" : out.base64,
    ExecStartTime: execStart,
    ExecEndTime: execEnd,
    Dropped: out.dropped,
    OutputUrl: ended ? task.outputUrl : "",
    OutputUploadCOSErrorInfo: ended ? task.outputUploadCOSErrorInfo : "",
  };
  return {
    InvocationId: inv.invocationId,
    InvocationTaskId: task.taskId,
    CommandId: inv.commandId,
    TaskStatus: state.status,
    InstanceId: task.instanceId,
    TaskResult: result,
    StartTime: execStart,
    EndTime: ended ? stamp(state.endedAtMs as number) : null,
    CreatedTime: stamp(inv.createdAtMs),
    UpdatedTime: stamp(Math.max(inv.createdAtMs, state.updatedAtMs)),
    CommandDocument: {
      Content: base64(inv.command),
      CommandType: inv.commandType,
      Timeout: inv.timeoutSeconds,
      WorkingDirectory: inv.workingDirectory,
      Username: inv.username,
      OutputCOSBucketUrl: "",
      OutputCOSKeyPrefix: "",
    },
    ErrorInfo: ended ? task.errorInfo : "",
    InvocationSource: inv.invocationSource,
    CommandName: inv.commandName,
  };
}

/** A command as DescribeCommands shows it, from the (oldest visible) invocation that ran it. */
export function wireCommand(inv: ScenarioInvocation, stamp: Stamp): Command {
  return {
    CommandId: inv.commandId,
    CommandName: inv.commandName,
    CommandType: inv.commandType,
    Timeout: inv.timeoutSeconds,
    CreatedTime: stamp(inv.createdAtMs),
    UpdatedTime: stamp(inv.createdAtMs),
    CreatedBy: inv.createdBy,
  };
}

export function wireInvocation(inv: ScenarioInvocation, t: number, stamp: Stamp): Invocation {
  const states = inv.tasks.map((task) => ({ task, state: taskStateAt(task, t) }));
  const basic: InvocationTaskBasicInfo[] = states.map(({ task, state }) => ({
    InvocationTaskId: task.taskId,
    TaskStatus: state.status,
    InstanceId: task.instanceId,
  }));
  const status = deriveInvocationStatus(states.map((s) => s.state.status));
  const ends = states.map((s) => s.state.endedAtMs);
  const allEnded = ends.every((e) => e !== undefined);
  const updated = Math.max(inv.createdAtMs, ...states.map((s) => s.state.updatedAtMs));
  return {
    InvocationId: inv.invocationId,
    CommandId: inv.commandId,
    CommandName: inv.commandName,
    InvocationStatus: status,
    InvocationTaskBasicInfoSet: basic,
    Description: inv.description,
    StartTime: stamp(inv.createdAtMs),
    EndTime:
      allEnded && ends.length > 0
        ? stamp((ends as number[]).reduce((a, b) => Math.max(a, b)))
        : null,
    CreatedTime: stamp(inv.createdAtMs),
    UpdatedTime: stamp(updated),
    Parameters: inv.parameters ?? "{}",
    DefaultParameters: inv.defaultParameters ?? "{}",
    InstanceKind: inv.instanceKind,
    Username: inv.username,
    InvocationSource: inv.invocationSource,
    CommandContent: base64(inv.command),
    CommandType: inv.commandType,
    Timeout: inv.timeoutSeconds,
    WorkingDirectory: inv.workingDirectory,
    OutputCOSBucketUrl: "",
    OutputCOSKeyPrefix: "",
  };
}
