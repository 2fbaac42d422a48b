// One look at a spec's target, by kind: what the poller calls each round. Progress for invocation
// targets comes from DescribeInvocations (every task's status, 100 invocations a call); task records
// are fetched once per task when it is terminal, by id in batches of 100, with output only if needed.
import type { Observation, Target, TaskObservation } from "../model.js";
import type { CallOptions } from "../tat/client.js";
import { type InvocationTask, MAX_IDS_PER_REQUEST } from "../tat/types.js";
import type { TatReader } from "./tat-reader.js";
import { type Sighting, TaskTracker } from "./tracker.js";

type InvocationSeen = Observation["invocations"][number];

export class TargetReader {
  readonly tracker: TaskTracker;
  readonly invocations = new Map<string, InvocationSeen>();
  /** Ids of the target not seen yet (eventual consistency, or a wrong id). */
  missing: string[] = [];
  /** The whole target has been seen at least once. */
  found = false;

  constructor(
    private readonly target: Target,
    private readonly api: TatReader,
    private readonly needsOutput: boolean,
    private readonly at: () => string,
    /** Each task's final record, output included, once (see TaskTracker). */
    onSettled?: (task: TaskObservation) => unknown,
  ) {
    this.tracker = new TaskTracker(needsOutput, onSettled);
  }

  /** `details` carries the options for fetching records of finished tasks (default: `o`).
   * `eager`: fetch every finished task's record now, even a partial batch (see below). */
  async read(o: CallOptions, details: CallOptions = o, eager = true): Promise<void> {
    const { target, api, tracker } = this;
    const at = this.at();
    if (target.kind === "invocations") {
      const invs = await api.invocations(target.invocationIds, o);
      const seenIds = new Set<string>();
      for (const inv of invs) {
        const id = inv.InvocationId ?? "";
        seenIds.add(id);
        const rec: InvocationSeen = { invocationId: id };
        if (inv.InvocationStatus) rec.status = inv.InvocationStatus;
        if (inv.CommandId) rec.commandId = inv.CommandId;
        if (inv.Timeout !== undefined) rec.timeoutSeconds = inv.Timeout;
        this.invocations.set(id, rec);
        for (const t of inv.InvocationTaskBasicInfoSet ?? []) {
          if (!t.InvocationTaskId) continue;
          const s: Sighting = {
            taskId: t.InvocationTaskId,
            instanceId: t.InstanceId ?? "",
            invocationId: id,
            status: t.TaskStatus ?? "",
          };
          if (inv.CommandId) s.commandId = inv.CommandId;
          tracker.see(s, at);
        }
      }
      this.missing = target.invocationIds.filter((id) => !seenIds.has(id));
      this.found = this.missing.length === 0;
    } else if (target.kind === "tasks") {
      // After the first look, ask only about tasks still moving or not found yet.
      const wanted = tracker.size === 0 ? target.taskIds : [...tracker.moving(), ...this.missing];
      if (wanted.length > 0) {
        const tasks = await api.tasksById(wanted, true, o);
        for (const t of tasks) tracker.detail(t, at, false);
        this.noteInvocations(tasks);
      }
      this.missing = target.taskIds.filter((id) => !tracker.has(id));
      this.found = this.missing.length === 0;
    } else {
      const filters = target.filters.map((f) => ({ Name: f.name, Values: f.values }));
      const tasks = await api.tasksByFilter(filters, true, o);
      for (const t of tasks) tracker.detail(t, at, false);
      this.noteInvocations(tasks);
      this.missing = [];
      this.found = tracker.size > 0;
    }
    let unsettled = tracker.unsettledTerminal();
    // While other tasks still run, only full calls' worth of finished tasks are fetched; the rest
    // wait for the next round, when the call is fuller. The verdict is not later for it: the round
    // that sees nothing moving any more fetches whatever waited.
    if (!eager && tracker.moving().length > 0) {
      unsettled = unsettled.slice(0, unsettled.length - (unsettled.length % MAX_IDS_PER_REQUEST));
    }
    // One call's worth at a time, each judged before the next is asked for: at most 100 records
    // with their outputs are held at once, however many tasks finished together.
    for (let i = 0; i < unsettled.length; i += MAX_IDS_PER_REQUEST) {
      const batch = unsettled.slice(i, i + MAX_IDS_PER_REQUEST);
      const records = await api.tasksById(batch, !this.needsOutput, details);
      for (const t of records) tracker.detail(t, this.at(), this.needsOutput);
    }
  }

  /** Task targets learn their invocations (and the command timeout) from the task records. */
  private noteInvocations(tasks: InvocationTask[]): void {
    for (const t of tasks) {
      const id = t.InvocationId;
      if (!id || this.invocations.has(id)) continue;
      const rec: InvocationSeen = { invocationId: id };
      if (t.CommandId) rec.commandId = t.CommandId;
      if (t.CommandDocument?.Timeout !== undefined) rec.timeoutSeconds = t.CommandDocument.Timeout;
      this.invocations.set(id, rec);
    }
  }

  /** Every task of the target seen and final. */
  done(): boolean {
    return this.found && this.tracker.allSettled();
  }
}
