// What a scenario says about starting commands: the instances (agent state, platform), saved
// commands, scripted results for commands it starts, and the "connection dropped after the
// invocation was created" fault. Plain data, as written (after schema validation).
import type { Duration } from "./duration.js";
import type { TimelineInput } from "./timeline-parse.js";

export type AgentState = "online" | "offline" | "not-installed";
export type Platform = "Linux" | "Windows";

export interface RawInstance {
  id: string;
  /** Default online. offline: tasks end DELIVER_FAILED; not-installed: the call is refused. */
  agent?: AgentState;
  /** Default Linux. */
  platform?: Platform;
  /** Default RUNNING; STOPPED instances are refused. */
  state?: "RUNNING" | "STOPPED";
}

export interface RawSavedCommand {
  id: string;
  name?: string;
  content: string;
  commandType?: "SHELL" | "POWERSHELL" | "BAT";
  enableParameter?: boolean;
  defaultParameters?: Record<string, string>;
  timeout?: number;
  workingDirectory?: string;
  username?: string;
  description?: string;
}

export interface RawRunRule {
  match: {
    /** Substring of the command content (after {{parameter}} substitution), or /regex/flags. */
    content?: string;
    commandId?: string;
    instance?: string;
  };
  timeline?: TimelineInput;
  exitCode?: number;
  output?: string;
  outputRepeat?: number;
  errorInfo?: string;
  /** Delay of the timeline relative to the call; default 0. */
  after?: Duration;
}

export interface RawDropAfterCreate {
  /** RunCommand, InvokeCommand, or absent for both. */
  action?: "RunCommand" | "InvokeCommand";
  /** How many calls drop their answer (default 1). */
  times?: number;
}

export interface RunScenario {
  /** Absent: every well-formed instance id is an online Linux instance. */
  instances?: RawInstance[];
  commands: RawSavedCommand[];
  onRun: RawRunRule[];
  dropAfterCreate?: RawDropAfterCreate;
}
