// Starting and stopping commands in the emulated account: RunCommand / InvokeCommand create an
// invocation (one task per instance) in the store; each task's course comes from the first
// matching `onRun` rule, else from the local agent (--local-exec, Linux shell commands only), else
// a quick success. CancelInvocation ends unfinished tasks as TAT does: CANCELLED before they
// run, TERMINATED while running.
import { randomBytes } from "node:crypto";
import { DEFAULT_TIMEOUT_SECONDS } from "../tat/run-command-types.js";
import { isTerminal } from "../tat/task-status.js";
import { durationMs } from "./duration.js";
import type { LocalAgent } from "./local-agent.js";
import { visibleOutput } from "./output.js";
import { apiError } from "./responses.js";
import {
  type CancelIn,
  type InvokeCommandIn,
  placeholders,
  type RunCommandIn,
  type RunFieldsIn,
  substitute,
} from "./run-params.js";
import type { RawInstance, RawRunRule, RawSavedCommand, RunScenario } from "./run-types.js";
import type { Store } from "./store.js";
import { taskStateAt } from "./timeline.js";
import { parseTimeline } from "./timeline-parse.js";
import type { ScenarioInvocation, ScenarioTask, TimelineEntry } from "./types.js";

const QUICK_SUCCESS = "PENDING@0s DELIVERING@0.2s RUNNING@0.5s SUCCESS@1.5s";
const QUICK_FAILURE = "PENDING@0s DELIVERING@0.2s RUNNING@0.5s FAILED@1.5s";
const UNDELIVERED = "PENDING@0s DELIVERING@0.5s DELIVER_FAILED@2s";
const OFFLINE_ERROR =
  "the TAT agent on this instance is offline: the command could not be delivered";

interface SavedCommand {
  id: string;
  name: string;
  content: string;
  commandType: string;
  enableParameter: boolean;
  defaultParameters: Record<string, string>;
  timeout: number;
  workingDirectory?: string;
  username?: string;
  description: string;
}

/** What one call is to start, once its command is known. */
interface Launch {
  commandId: string;
  commandName: string;
  description: string;
  /** As saved (placeholders kept); the record shows this. */
  content: string;
  commandType: string;
  parameters: Record<string, string>;
  timeout: number;
  workingDirectory: string;
  username: string;
  instanceIds: string[];
}

export interface RunWorldOptions {
  store: Store;
  /** Set by --local-exec only. */
  agent?: LocalAgent;
}

export class RunWorld {
  private readonly instances: Map<string, RawInstance> | undefined;
  private readonly commands = new Map<string, SavedCommand>();
  private readonly invocations = new Map<string, ScenarioInvocation>();
  private readonly rules: RawRunRule[];
  private dropsLeft: number;

  constructor(
    private readonly scenario: RunScenario | undefined,
    known: readonly ScenarioInvocation[],
    private readonly options: RunWorldOptions,
  ) {
    this.instances = scenario?.instances
      ? new Map(scenario.instances.map((i) => [i.id, i]))
      : undefined;
    for (const c of scenario?.commands ?? []) this.commands.set(c.id, saved(c));
    for (const inv of known) this.invocations.set(inv.invocationId, inv);
    this.rules = scenario?.onRun ?? [];
    this.dropsLeft = scenario?.dropAfterCreate ? (scenario.dropAfterCreate.times ?? 1) : 0;
  }

  /** Whether this call's answer is to be lost after the invocation was created (and counts it). */
  dropAnswer(action: string): boolean {
    const rule = this.scenario?.dropAfterCreate;
    if (!rule || this.dropsLeft <= 0) return false;
    if (rule.action !== undefined && rule.action !== action) return false;
    this.dropsLeft--;
    return true;
  }

  runCommand(req: RunCommandIn, t: number): { CommandId: string; InvocationId: string } {
    const commandId = this.newCommandId();
    if (req.saveCommand) {
      const name = req.commandName ?? commandId;
      if ([...this.commands.values()].some((c) => c.name === name)) {
        throw apiError(
          "InvalidParameterValue.CommandNameDuplicated",
          `A saved command named \`${name}\` exists.`,
        );
      }
    }
    const command: SavedCommand = {
      id: commandId,
      name: req.commandName ?? "",
      content: req.content,
      commandType: req.commandType,
      enableParameter: req.enableParameter,
      defaultParameters: req.defaultParameters ?? {},
      timeout: DEFAULT_TIMEOUT_SECONDS,
      description: req.description ?? "",
      ...(req.workingDirectory !== undefined && { workingDirectory: req.workingDirectory }),
      ...(req.username !== undefined && { username: req.username }),
    };
    if (req.timeout !== undefined) command.timeout = req.timeout;
    const invocationId = this.start(command, req, t);
    if (req.saveCommand) this.commands.set(commandId, command);
    return { CommandId: commandId, InvocationId: invocationId };
  }

  invokeCommand(req: InvokeCommandIn, t: number): { InvocationId: string } {
    const command = this.commands.get(req.commandId);
    if (!command) {
      throw apiError("ResourceNotFound.CommandNotFound", `Command \`${req.commandId}\` not found.`);
    }
    if (req.parameters && !command.enableParameter) {
      throw apiError(
        "InvalidParameterValue.ParameterDisabled",
        `Command \`${command.id}\` does not take parameters (EnableParameter is false).`,
      );
    }
    return { InvocationId: this.start(command, req, t) };
  }

  cancel(req: CancelIn, t: number): void {
    const inv = this.invocations.get(req.invocationId);
    if (!inv || inv.appearsAtMs > t) {
      throw apiError(
        "ResourceNotFound.InvocationNotFound",
        `Invocation \`${req.invocationId}\` not found.`,
      );
    }
    const wanted = req.instanceIds ? new Set(req.instanceIds) : undefined;
    if (wanted) {
      const related = new Set(inv.tasks.map((task) => task.instanceId));
      const stranger = [...wanted].find((id) => !related.has(id));
      if (stranger) {
        throw apiError(
          "InvalidParameterValue.InstanceIsNotRelatedToInvocation",
          `Instance \`${stranger}\` has no task in invocation \`${inv.invocationId}\`.`,
        );
      }
    }
    for (const task of inv.tasks) {
      if (wanted && !wanted.has(task.instanceId)) continue;
      const state = taskStateAt(task, t);
      if (isTerminal(state.status)) continue;
      if (this.options.agent?.cancel(task.taskId)) continue; // the agent ends it TERMINATED
      const ran = state.runningAtMs !== undefined;
      const shown = visibleOutput(task.output, task.outputRepeat, state.outputFraction, false);
      task.output = ran ? Buffer.from(shown.base64, "base64").toString("utf8") : "";
      task.outputRepeat = 1;
      task.timeline = task.timeline.filter((e) => e.atMs <= t);
      task.timeline.push({ atMs: Math.max(t, 0), status: ran ? "TERMINATED" : "CANCELLED" });
      task.exitCode = -1;
    }
  }

  private start(command: SavedCommand, req: RunFieldsIn, t: number): string {
    const instances = req.instanceIds.map((id) => this.instance(id));
    const windows = command.commandType !== "SHELL";
    const wrong = instances.find((i) => (i.platform === "Windows") !== windows);
    if (wrong) {
      throw apiError(
        "InvalidParameterValue.AgentUnsupportedCommandType",
        `${command.commandType} commands do not run on ${wrong.platform} instance \`${wrong.id}\`.`,
      );
    }
    const values = { ...command.defaultParameters, ...req.parameters };
    const script = command.enableParameter ? substitute(command.content, values) : command.content;
    const hidden = new Set(
      placeholders(command.content)
        .filter((p) => p.hidden)
        .map((p) => p.name),
    );
    const launch: Launch = {
      commandId: command.id,
      commandName: command.name,
      description: command.description,
      content: command.content,
      commandType: command.commandType,
      parameters: Object.fromEntries(
        Object.entries(values).map(([k, v]) => [k, hidden.has(k) ? "******" : v]),
      ),
      timeout: req.timeout ?? command.timeout,
      workingDirectory:
        req.workingDirectory ?? command.workingDirectory ?? (windows ? WINDOWS_DIR : "/root"),
      username: req.username ?? command.username ?? (windows ? "System" : "root"),
      instanceIds: req.instanceIds,
    };
    const invocationId = this.newId("inv-", (id) => this.invocations.has(id));
    const taken = new Set<string>();
    const local: ScenarioTask[] = [];
    const tasks = instances.map((inst) => {
      const taskId = this.newId("invt-", (id) => taken.has(id));
      taken.add(taskId);
      const made = this.task(taskId, inst, launch, script, t);
      if (made.local) local.push(made.task);
      return made.task;
    });
    const inv: ScenarioInvocation = {
      invocationId,
      commandId: launch.commandId,
      commandName: launch.commandName,
      command: launch.content,
      commandType: launch.commandType,
      timeoutSeconds: launch.timeout,
      workingDirectory: launch.workingDirectory,
      username: launch.username,
      description: launch.description,
      createdBy: "USER",
      instanceKind: req.instanceIds[0]?.startsWith("lhins-") ? "LIGHTHOUSE" : "CVM",
      invocationSource: "USER",
      createdAtMs: t,
      appearsAtMs: t,
      tasks,
      parameters: JSON.stringify(launch.parameters),
      defaultParameters: JSON.stringify(
        Object.fromEntries(
          Object.entries(command.defaultParameters).map(([k, v]) => [
            k,
            hidden.has(k) ? "******" : v,
          ]),
        ),
      ),
    };
    this.invocations.set(invocationId, inv);
    this.options.store.add(inv);
    // Started only once the invocation exists, so a process that ends at once is still recorded.
    for (const task of local) {
      this.options.agent?.start(task, { script, timeoutSeconds: launch.timeout });
    }
    return invocationId;
  }

  /** A task with its scripted course, or only PENDING when the local agent will run it. */
  private task(
    taskId: string,
    inst: ResolvedInstance,
    launch: Launch,
    script: string,
    t: number,
  ): { task: ScenarioTask; local: boolean } {
    const task: ScenarioTask = {
      taskId,
      instanceId: inst.id,
      timeline: [{ atMs: t, status: "PENDING" }],
      exitCode: 0,
      output: "",
      outputRepeat: 1,
      errorInfo: "",
      outputUrl: "",
      outputUploadCOSErrorInfo: "",
    };
    if (inst.agent === "offline") {
      task.timeline = shift(UNDELIVERED, t);
      task.exitCode = -1;
      task.errorInfo = OFFLINE_ERROR;
      return { task, local: false };
    }
    const rule = this.rules.find((r) => matches(r, launch.commandId, inst.id, script));
    const runsHere = inst.platform === "Linux" && launch.commandType === "SHELL";
    if (!rule && this.options.agent && runsHere) return { task, local: true };
    const start = t + (rule?.after === undefined ? 0 : (durationMs(rule.after) ?? 0));
    const failing = rule?.exitCode !== undefined && rule.exitCode !== 0;
    const timeline = rule?.timeline ?? (failing ? QUICK_FAILURE : QUICK_SUCCESS);
    task.timeline = shift(timeline, start);
    const last = task.timeline[task.timeline.length - 1]?.status ?? "SUCCESS";
    task.exitCode = rule?.exitCode ?? (last === "SUCCESS" ? 0 : last === "FAILED" ? 1 : -1);
    task.output = rule?.output ?? "";
    task.outputRepeat = rule?.outputRepeat ?? 1;
    task.errorInfo = rule?.errorInfo ?? "";
    return { task, local: false };
  }

  private instance(id: string): ResolvedInstance {
    if (!this.instances) return { id, agent: "online", platform: "Linux" };
    const inst = this.instances.get(id);
    if (!inst) throw apiError("ResourceNotFound.InstanceNotFound", `Instance \`${id}\` not found.`);
    if ((inst.state ?? "RUNNING") !== "RUNNING") {
      throw apiError(
        "ResourceUnavailable.InstanceStateNotRunning",
        `Instance \`${id}\` is not running.`,
      );
    }
    if (inst.agent === "not-installed") {
      throw apiError(
        "ResourceUnavailable.AgentNotInstalled",
        `The TAT agent is not installed on \`${id}\`.`,
      );
    }
    return { id, agent: inst.agent ?? "online", platform: inst.platform ?? "Linux" };
  }

  private newCommandId(): string {
    return this.newId("cmd-", (id) => this.commands.has(id));
  }

  private newId(prefix: string, taken: (id: string) => boolean): string {
    for (;;) {
      const id = `${prefix}${randomBytes(8).readBigUInt64BE(0).toString(36).padStart(8, "0").slice(-8)}`;
      if (!taken(id)) return id;
    }
  }
}

const WINDOWS_DIR = "C:\\Program Files\\qcloud\\tat_agent\\workdir";

interface ResolvedInstance {
  id: string;
  agent: "online" | "offline";
  platform: "Linux" | "Windows";
}

function saved(c: RawSavedCommand): SavedCommand {
  const out: SavedCommand = {
    id: c.id,
    name: c.name ?? "",
    content: c.content,
    commandType: c.commandType ?? "SHELL",
    enableParameter: c.enableParameter ?? c.defaultParameters !== undefined,
    defaultParameters: c.defaultParameters ?? {},
    timeout: c.timeout ?? DEFAULT_TIMEOUT_SECONDS,
    description: c.description ?? "",
  };
  if (c.workingDirectory !== undefined) out.workingDirectory = c.workingDirectory;
  if (c.username !== undefined) out.username = c.username;
  return out;
}

/** Whether a rule applies to one task of a call. */
function matches(rule: RawRunRule, commandId: string, instanceId: string, script: string): boolean {
  const m = rule.match;
  if (m.commandId !== undefined && m.commandId !== commandId) return false;
  if (m.instance !== undefined && m.instance !== instanceId) return false;
  if (m.content === undefined) return true;
  const re = /^\/(.*)\/([ims]*)$/s.exec(m.content);
  return re ? new RegExp(re[1] as string, re[2]).test(script) : script.includes(m.content);
}

function shift(timeline: Parameters<typeof parseTimeline>[0], startMs: number): TimelineEntry[] {
  const parsed = parseTimeline(timeline);
  if ("problem" in parsed) throw new Error(`emulator: onRun timeline: ${parsed.problem}`);
  return parsed.entries.map((e) => ({ atMs: startMs + e.offsetMs, status: e.status }));
}
