// One look at a spec's target, by kind: what the poller calls each round. Progress for invocation
// targets comes from DescribeInvocations (every task's status, 100 invocations a call); task records
// are fetched once per task when it is terminal, by id in batches of 100, with output only if needed.
// A `latest` target first finds its invocation (the newest of the command created since `since`),
// then is read like an invocation target; `since` also drops older tasks from a filters target.
import { type CompleteTruncatedDeps, completeEach } from "../cos/complete-truncated.js";
import { IncompleteResultError } from "../errors.js";
import { byCodeUnits, groupDigits } from "../locale-free.js";
import type { Observation, RunningOutput, Since, Target, TaskObservation } from "../model.js";
import type { CallOptions } from "../tat/client.js";
import type { OutputEncodings } from "../tat/decode.js";
import { MAX_SET_RECORDS } from "../tat/paginate.js";
import { decodePartialOutput } from "../tat/partial-output.js";
import { isInvocationFinal, isTerminal } from "../tat/task-status.js";
import {
  type Invocation,
  type InvocationTask,
  MAX_FILTER_VALUES,
  MAX_IDS_PER_REQUEST,
} from "../tat/types.js";
import type { TatReader } from "./tat-reader.js";
import { type Sighting, TaskTracker } from "./tracker.js";

type InvocationSeen = Observation["invocations"][number];

/** What readRunning needs from the judge (expect.output.failEarly). */
export interface EarlyReads {
  /** Whether this instance's task has checks that judge output while it runs. */
  wants(instanceId: string): boolean;
  encodings: OutputEncodings;
  /** Judges one task's output so far; true once it found something (the task is not read again). */
  judge(output: RunningOutput): boolean;
}

export class TargetReader {
  readonly tracker: TaskTracker;
  readonly invocations = new Map<string, InvocationSeen>();
  /** Ids of the target not seen yet (eventual consistency, or a wrong id); for a `latest` target
   * not found yet, what was looked for. */
  missing: string[] = [];
  /** Invocations seen with no task yet: the task list can trail the invocation. */
  empty: string[] = [];
  /** Invocations whose task list cannot be all there is yet, each with why: every listed task
   * has ended but the invocation still runs, or it says some failed and every listed one
   * succeeded. Judging the listed tasks alone would pass over the missing ones. */
  unfinished: string[] = [];
  /** The whole target has been seen at least once, with its tasks. */
  found = false;
  /** The not-found grace is over: invocations still without tasks are taken as having none. */
  private graceOver = false;
  /** The invocation a `latest` target settled on. */
  private chosen: string | undefined;
  /** `since` as epoch ms, fixed at the first look (a duration counts back from then). */
  private sinceMs: number | undefined;

  constructor(
    private readonly target: Target,
    private readonly api: TatReader,
    private readonly needsOutput: boolean,
    private readonly at: () => string,
    encodings?: OutputEncodings,
    /** Each task's final record, output included, once (see TaskTracker). */
    onSettled?: (task: TaskObservation) => unknown,
    /** Full output from COS for the tasks whose checks read it (expect.output.source); without
     * it, only TAT's copy is read. */
    private readonly cos?: CompleteTruncatedDeps,
  ) {
    this.tracker = new TaskTracker(needsOutput, encodings, onSettled);
  }

  /** Running tasks' last readRunning round, for the rotation; tasks done with are removed. */
  private readonly runningReadAt = new Map<string, number>();
  /** Running tasks the judge found something in: never read again while they run. */
  private readonly decidedEarly = new Set<string>();
  private runningRounds = 0;

  /**
   * The output so far of running tasks (expect.output.failEarly), for the judge: one
   * DescribeInvocationTasks call a round, of at most 100 tasks with output. With more running,
   * the least recently read go first, so each is read at least every ⌈running / 100⌉ rounds.
   * A record that is no longer RUNNING is left to read(): its final record is fetched and judged
   * there, as any other.
   */
  async readRunning(o: CallOptions, early: EarlyReads): Promise<void> {
    const round = ++this.runningRounds;
    const candidates = this.tracker
      .running()
      .filter((t) => !this.decidedEarly.has(t.taskId) && early.wants(t.instanceId));
    if (candidates.length === 0) {
      this.runningReadAt.clear();
      return;
    }
    const live = new Set(candidates.map((t) => t.taskId));
    for (const id of this.runningReadAt.keys()) if (!live.has(id)) this.runningReadAt.delete(id);
    // Stable: among tasks read equally long ago (or never), the first seen go first.
    const batch = candidates
      .map((t) => ({ t, last: this.runningReadAt.get(t.taskId) ?? 0 }))
      .sort((a, b) => a.last - b.last)
      .slice(0, MAX_IDS_PER_REQUEST)
      .map((c) => c.t);
    for (const t of batch) this.runningReadAt.set(t.taskId, round);
    const records = await this.api.tasksById(
      batch.map((t) => t.taskId),
      false,
      o,
    );
    const at = this.at();
    for (const r of records) {
      const status = r.TaskStatus ?? "";
      const output = r.TaskResult?.Output;
      if ((status !== "RUNNING" && status !== "CANCELLING") || typeof output !== "string") continue;
      const instanceId = r.InstanceId ?? "";
      const text = decodePartialOutput(output, {
        encoding:
          (Object.hasOwn(early.encodings.instances, instanceId)
            ? early.encodings.instances[instanceId]
            : undefined) ?? early.encodings.spec,
        commandType: r.CommandDocument?.CommandType,
        dropped: r.TaskResult?.Dropped ?? 0,
      });
      if ("undecided" in text) continue;
      const taskId = r.InvocationTaskId ?? "";
      if (early.judge({ taskId, instanceId, status, at, texts: text.texts })) {
        this.decidedEarly.add(taskId);
        this.runningReadAt.delete(taskId);
      }
    }
  }

  /** `details` carries the options for fetching records of finished tasks (default: `o`).
   * `eager`: fetch every finished task's record now, even a partial batch (see below). */
  async read(o: CallOptions, details: CallOptions = o, eager = true): Promise<void> {
    const { target, api, tracker } = this;
    const at = this.at();
    if ("since" in target && target.since && this.sinceMs === undefined) {
      this.sinceMs = sinceMs(target.since, Date.parse(at));
    }
    if (target.kind === "invocations") {
      this.noteInvocations(
        await api.invocations(target.invocationIds, o),
        at,
        target.invocationIds,
      );
    } else if (target.kind === "latest") {
      await this.readLatest(target, o, at);
    } else if (target.kind === "tasks") {
      // After the first look, ask only about tasks still moving or not found yet.
      const wanted = tracker.size === 0 ? target.taskIds : [...tracker.moving(), ...this.missing];
      if (wanted.length > 0) {
        const tasks = await api.tasksById(wanted, true, o);
        for (const t of tasks) tracker.detail(t, at, false);
        this.noteTaskInvocations(tasks);
      }
      this.missing = target.taskIds.filter((id) => !tracker.has(id));
      this.found = this.missing.length === 0;
    } else {
      const filters = target.filters.map((f) => ({ Name: f.name, Values: f.values }));
      const all = await api.tasksByFilter(filters, true, o);
      // A task of an invocation created before `since` belongs to an older run: never judged.
      const tasks = all.filter((t) => this.isRecent(t.CreatedTime));
      for (const t of tasks) tracker.detail(t, at, false);
      this.noteTaskInvocations(tasks);
      // Ids a filter names are each expected, as an invocationIds or taskIds target expects
      // them: one never seen (a typo, or a run not visible yet) must not leave the others to
      // pass alone.
      this.missing = target.filters.flatMap((f) =>
        f.name === "invocation-id"
          ? f.values.filter((id) => !this.invocations.has(id)).map((id) => `${f.name}=${id}`)
          : f.name === "invocation-task-id"
            ? f.values.filter((id) => !tracker.has(id)).map((id) => `${f.name}=${id}`)
            : [],
      );
      this.found = tracker.size > 0 && this.missing.length === 0;
    }
    // Each poll may name tasks not seen before, and the tracker keeps every one to the end: a
    // server adding tasks on new instances at every poll would grow it until the heap ran out.
    if (tracker.size > MAX_SET_RECORDS) {
      throw new IncompleteResultError(
        target.kind === "tasks" || target.kind === "filters"
          ? "DescribeInvocationTasks"
          : "DescribeInvocations",
        `the target names over ${groupDigits(MAX_SET_RECORDS)} tasks; narrow the target`,
        "the result set is too large to read whole",
      );
    }
    let unsettled = tracker.unsettledTerminal();
    // While other tasks still run, only full calls' worth of finished tasks are fetched; the rest
    // wait for the next round, when the call is fuller. The verdict is not later for it: the round
    // that sees nothing moving any more fetches whatever waited.
    if (!eager && tracker.moving().length > 0) {
      unsettled = unsettled.slice(0, unsettled.length - (unsettled.length % MAX_IDS_PER_REQUEST));
    }
    // One call's worth at a time, each judged before the next is asked for: at most 100 records
    // with their outputs are held at once, however many tasks finished together. Full logs from
    // COS add at most `concurrency` objects (4 × 64 MiB by default) being read, each judged and
    // let go as soon as it is in (cos/complete-truncated.ts).
    for (let i = 0; i < unsettled.length; i += MAX_IDS_PER_REQUEST) {
      const batch = unsettled.slice(i, i + MAX_IDS_PER_REQUEST);
      const records = await api.tasksById(batch, !this.needsOutput, details);
      if (this.cos && this.needsOutput) {
        const signal = details.signal ?? this.cos.signal;
        await completeEach(records, { ...this.cos, ...(signal && { signal }) }, (t, cos) =>
          tracker.detail(t, this.at(), true, cos),
        );
      } else {
        // One answer, one instant: a time string per record was 10,000 strings kept at 10k tasks.
        const seenAt = this.at();
        for (const t of records) tracker.detail(t, seenAt, this.needsOutput);
      }
    }
  }

  /**
   * The grace for the target to appear is over: "not-found" when part of it was never seen,
   * "terminal" when what was seen is all there is and settled, "wait" while seen tasks still run.
   * Invocations seen without tasks are from now on taken as having none.
   */
  afterGrace(): "not-found" | "terminal" | "wait" {
    if (this.missing.length > 0) return "not-found";
    this.graceOver = true;
    return this.done() ? "terminal" : "wait";
  }

  /** Every task of the target seen and final, and no task list known to be short. */
  done(): boolean {
    const seen = this.found || (this.graceOver && this.missing.length === 0);
    return seen && this.unfinished.length === 0 && this.tracker.allSettled();
  }

  private async readLatest(
    target: Extract<Target, { kind: "latest" }>,
    o: CallOptions,
    at: string,
  ): Promise<void> {
    if (this.chosen) {
      this.noteInvocations(await this.api.invocations([this.chosen], o), at, [this.chosen]);
      return;
    }
    const commandIds = target.commandId
      ? [target.commandId]
      : await this.api.commandIdsByName(target.commandName ?? "", o);
    const found: Invocation[] = [];
    // At most 5 values per filter (one name could be several commands over time).
    for (let i = 0; i < commandIds.length; i += MAX_FILTER_VALUES) {
      const filters = [{ Name: "command-id", Values: commandIds.slice(i, i + MAX_FILTER_VALUES) }];
      for (const inv of await this.api.invocationsByFilter(filters, o)) found.push(inv);
    }
    const candidates = found
      .filter((inv) => inv.InvocationId && this.isRecent(inv.CreatedTime))
      .sort(newestFirst);
    const instances = target.instanceIds ? new Set(target.instanceIds) : undefined;
    for (const inv of candidates) {
      const tasks = inv.InvocationTaskBasicInfoSet ?? [];
      // Its tasks not listed yet: whether it ran on these instances is unknown, so an older one
      // must not be taken in its place. Look again.
      if (instances && tasks.length === 0) break;
      if (instances && !tasks.some((t) => instances.has(t.InstanceId ?? ""))) {
        // Passed over for an older run only when its list is all there is: a list still short
        // (tasks missing from it) may yet name these instances.
        if (!listingComplete(inv)) break;
        continue;
      }
      this.chosen = inv.InvocationId as string;
      this.noteInvocations([inv], at, [this.chosen]);
      return;
    }
    this.missing = [describeLatest(target, this.sinceMs)];
    this.found = false;
  }

  /** Invocation records → tracked tasks; `wanted` are the ids the target names. */
  private noteInvocations(invs: Invocation[], at: string, wanted: string[]): void {
    const target = this.target;
    const instances =
      target.kind === "latest" && target.instanceIds ? new Set(target.instanceIds) : undefined;
    const seenIds = new Set<string>();
    const empty: string[] = [];
    const unfinished: string[] = [];
    for (const inv of invs) {
      const id = inv.InvocationId ?? "";
      seenIds.add(id);
      const rec: InvocationSeen = { invocationId: id };
      if (inv.InvocationStatus) rec.status = inv.InvocationStatus;
      if (inv.CommandId) rec.commandId = inv.CommandId;
      if (inv.Timeout !== undefined) rec.timeoutSeconds = inv.Timeout;
      this.invocations.set(id, rec);
      let tasks = 0;
      for (const t of inv.InvocationTaskBasicInfoSet ?? []) {
        if (!t.InvocationTaskId) continue;
        if (instances && !instances.has(t.InstanceId ?? "")) continue;
        tasks++;
        const s: Sighting = {
          taskId: t.InvocationTaskId,
          instanceId: t.InstanceId ?? "",
          invocationId: id,
          status: t.TaskStatus ?? "",
        };
        if (inv.CommandId) s.commandId = inv.CommandId;
        this.tracker.see(s, at);
      }
      if (tasks === 0) empty.push(id);
      const short = listingShort(inv);
      if (short !== undefined) unfinished.push(short);
    }
    this.missing = wanted.filter((id) => !seenIds.has(id));
    this.empty = empty;
    this.unfinished = unfinished;
    this.found = this.missing.length === 0 && this.empty.length === 0;
  }

  /** Task targets learn their invocations (and the command timeout) from the task records. */
  private noteTaskInvocations(tasks: InvocationTask[]): void {
    for (const t of tasks) {
      const id = t.InvocationId;
      if (!id || this.invocations.has(id)) continue;
      const rec: InvocationSeen = { invocationId: id };
      if (t.CommandId) rec.commandId = t.CommandId;
      if (t.CommandDocument?.Timeout !== undefined) rec.timeoutSeconds = t.CommandDocument.Timeout;
      this.invocations.set(id, rec);
    }
  }

  /** Created at or after `since` (always, without one). A time that cannot be read is not. */
  private isRecent(created: string | undefined): boolean {
    if (this.sinceMs === undefined) return true;
    const ms = createdMs(created);
    return ms !== undefined && ms >= this.sinceMs;
  }
}

/** `since` as epoch ms. TAT's CreatedTime has whole seconds, so the bound is rounded down to one:
 * a run created 300 ms after `since` shows the same second and must still count. */
export function sinceMs(since: Since, startMs: number): number {
  const ms = "at" in since ? Date.parse(since.at) : startMs - since.agoMs;
  return Math.floor(ms / 1000) * 1000;
}

/**
 * TAT's CreatedTime: documented as `YYYY-MM-DDThh:mm:ssZ`, sent as `…+00:00`; some answers carry
 * no zone at all (`2026-11-30 06:00:00`), which is UTC too, never the machine's local time.
 */
export function createdMs(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const iso = text.trim().replace(" ", "T");
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(iso) ? iso : `${iso}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Why the invocation's task list cannot be all its tasks yet, or undefined. Only said once every
 * listed task has ended (while one runs, the wait goes on anyway): then an invocation that still
 * runs has tasks the list does not show, or has not caught up; and one that says a task failed,
 * timed out or was cancelled while every listed task succeeded lists only some of its tasks.
 */
function listingShort(inv: Invocation): string | undefined {
  const listed = inv.InvocationTaskBasicInfoSet ?? [];
  if (listed.length === 0 || listed.some((t) => !isTerminal(t.TaskStatus ?? ""))) return undefined;
  const id = inv.InvocationId ?? "";
  const status = inv.InvocationStatus ?? "";
  if (!isInvocationFinal(status)) {
    return `invocation ${id} still says ${status} though ${listedTasks(listed.length)} ${listed.length === 1 ? "has" : "have"} ended`;
  }
  // Every final status but SUCCESS says some task did not succeed.
  if (status !== "SUCCESS" && listed.every((t) => t.TaskStatus === "SUCCESS")) {
    return `invocation ${id} says ${status}, but ${listedTasks(listed.length)} succeeded: its task list is short`;
  }
  return undefined;
}

const listedTasks = (n: number) =>
  n === 1 ? "its one listed task" : `all ${n} of its listed tasks`;

/** The invocation has ended, every listed task too, and its status agrees with the list: the
 * list is all its tasks. */
function listingComplete(inv: Invocation): boolean {
  const listed = inv.InvocationTaskBasicInfoSet ?? [];
  return (
    isInvocationFinal(inv.InvocationStatus ?? "") &&
    listed.every((t) => isTerminal(t.TaskStatus ?? "")) &&
    listingShort(inv) === undefined
  );
}

function newestFirst(a: Invocation, b: Invocation): number {
  const diff = (createdMs(b.CreatedTime) ?? 0) - (createdMs(a.CreatedTime) ?? 0);
  // Same second: the id decides, so every poll picks the same one.
  return diff !== 0 ? diff : byCodeUnits(b.InvocationId ?? "", a.InvocationId ?? "");
}

function describeLatest(
  target: Extract<Target, { kind: "latest" }>,
  since: number | undefined,
): string {
  const command = target.commandId ?? `the command named ${JSON.stringify(target.commandName)}`;
  const on = target.instanceIds ? ` on ${target.instanceIds.join(", ")}` : "";
  const after = since === undefined ? "" : ` created at or after ${new Date(since).toISOString()}`;
  return `an invocation of ${command}${on}${after}`;
}
