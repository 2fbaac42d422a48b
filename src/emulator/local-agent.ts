// The local agent (`tat-assert emulator --local-exec`): a task on a Linux instance really runs, as
// `sh -c` in a fresh temporary directory, and what it does becomes its task record. It mirrors
// tat-agent: stderr merged into stdout, 24 KiB kept and the rest counted (output.ts does the
// cutting), the timeout and CancelInvocation kill the whole process group, exit code -1 when the
// process had none. Only ever enabled by an explicit flag: it executes whatever it is sent.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isTerminal } from "../tat/task-status.js";
import type { ScenarioTask } from "./types.js";

/** Output kept in memory per task; beyond it nothing more is counted (far above TAT's 24 KiB). */
const MAX_HELD_BYTES = 16 * 1024 * 1024;

export interface LocalJob {
  /** The script after parameter substitution. */
  script: string;
  timeoutSeconds: number;
}

interface Running {
  child: ChildProcess;
  cancelled: boolean;
  timedOut: boolean;
}

export class LocalAgent {
  private readonly running = new Map<string, Running>();
  private readonly settled = new Set<Promise<void>>();

  /** @param now scenario milliseconds now (the emulator's task clock). */
  constructor(private readonly now: () => number) {}

  /** Starts the job; `task` (already holding its PENDING entry) is updated as the process runs. */
  start(task: ScenarioTask, job: LocalJob): void {
    const done = this.execute(task, job).catch((error: unknown) => {
      finish(task, this.now(), "START_FAILED", -1, `TaskSpawnFailed: ${(error as Error).message}`);
    });
    this.settled.add(done);
    void done.finally(() => this.settled.delete(done));
  }

  /** Kills a running task's process group; its record ends TERMINATED. False if not running. */
  cancel(taskId: string): boolean {
    const r = this.running.get(taskId);
    if (!r) return false;
    r.cancelled = true;
    killGroup(r.child);
    return true;
  }

  isRunning(taskId: string): boolean {
    return this.running.has(taskId);
  }

  /** Kills every running job and waits until their records are final and their directories gone. */
  async close(): Promise<void> {
    for (const r of this.running.values()) {
      r.cancelled = true;
      killGroup(r.child);
    }
    await Promise.allSettled([...this.settled]);
  }

  private async execute(task: ScenarioTask, job: LocalJob): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), "tat-local-agent-"));
    try {
      const scriptPath = join(dir, `${task.taskId}.sh`);
      await writeFile(scriptPath, job.script, { mode: 0o700 });
      push(task, this.now(), "DELIVERING");
      await new Promise<void>((resolve) => {
        // Like the agent: stderr into stdout before the script runs, stdin empty.
        const child = spawn(
          "sh",
          ["-c", 'exec 2>&1; exec sh "$1"', "tat-local-agent", scriptPath],
          {
            cwd: dir,
            detached: true,
            stdio: ["ignore", "pipe", "ignore"],
          },
        );
        const state: Running = { child, cancelled: false, timedOut: false };
        const chunks: Buffer[] = [];
        let held = 0;
        child.once("spawn", () => {
          this.running.set(task.taskId, state);
          push(task, this.now(), "RUNNING");
        });
        child.stdout?.on("data", (chunk: Buffer) => {
          if (held >= MAX_HELD_BYTES) return;
          chunks.push(chunk);
          held += chunk.length;
          task.output = Buffer.concat(chunks).toString("utf8");
        });
        const timer = setTimeout(() => {
          state.timedOut = true;
          killGroup(child);
        }, job.timeoutSeconds * 1000);
        child.once("error", (error) => {
          clearTimeout(timer);
          this.running.delete(task.taskId);
          finish(task, this.now(), "START_FAILED", -1, `TaskSpawnFailed: ${error.message}`);
          resolve();
        });
        child.once("close", (code) => {
          clearTimeout(timer);
          this.running.delete(task.taskId);
          task.output = Buffer.concat(chunks).toString("utf8");
          const t = this.now();
          if (state.cancelled) finish(task, t, "TERMINATED", -1, "");
          else if (state.timedOut) finish(task, t, "TIMEOUT", -1, "");
          else if (code === 0) finish(task, t, "SUCCESS", 0, "");
          // Killed by a signal from elsewhere: no exit code, as the agent reports it.
          else finish(task, t, "FAILED", code ?? -1, "");
          resolve();
        });
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

function push(task: ScenarioTask, at: number, status: ScenarioTask["timeline"][number]["status"]) {
  const last = task.timeline[task.timeline.length - 1];
  task.timeline.push({ atMs: Math.max(at, last?.atMs ?? 0), status });
}

function finish(
  task: ScenarioTask,
  at: number,
  status: "SUCCESS" | "FAILED" | "TIMEOUT" | "TERMINATED" | "START_FAILED",
  exitCode: number,
  errorInfo: string,
): void {
  // A record already ended (cancelled before it ran) stays as it was.
  if (task.timeline.some((e) => isTerminal(e.status))) return;
  task.exitCode = exitCode;
  task.errorInfo = errorInfo;
  push(task, at, status);
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}
