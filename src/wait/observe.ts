// Observe, never re-execute: watches the target of one probe until every task is terminal, the
// deadline passes, the run is aborted, or the API refuses. Cheap at fleet size: progress comes from
// DescribeInvocations (every task's status in one call per 100 invocations); full task records are
// fetched once, by id in batches of 100, when a task is terminal, with output only when needed.

import type { CompleteTruncatedDeps } from "../cos/complete-truncated.js";
import { outputSourceFor } from "../cos/output-source.js";
import { CredentialsError, IncompleteResultError } from "../errors.js";
import type { ApiErrorRecord, Observation, TaskObservation, WaitState } from "../model.js";
import type { Probe } from "../plan/plan.js";
import type { SpecProgress } from "../report/reporter.js";
import { formatDuration } from "../spec/duration.js";
import { waitingCannotFix } from "../tat/retry-policy.js";
import { MAX_TIMEOUT_SECONDS } from "../tat/run-command-types.js";
import { type EarlyReads, TargetReader } from "./read-target.js";
import { nextPoll } from "./schedule.js";
import type { TatReader } from "./tat-reader.js";
import { abortReason, describe, notFoundReason, toRecord } from "./wait-text.js";

export interface ObserveDeps {
  api: TatReader;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  signal?: AbortSignal;
  onProgress?: (progress: SpecProgress) => void;
  /** Fail-fast across specs: another spec can no longer pass, so this wait stops too ("stopped"). */
  stop?: AbortSignal;
  /** Fail-fast: asked after each poll with the number of tasks seen so far (the judge behind
   * `onTask` knows the rest), and whether they are all the target's tasks; a reason stops the
   * wait ("stopped"). */
  shouldStop?: (tasksSeen: number, allKnown: boolean) => string | undefined;
  /** Each task's full record, output included, once, as soon as it is final: the place to judge
   * it. The output is let go when this returns; the observation keeps only its summary, without
   * its last lines when this returns false. */
  onTask?: (task: TaskObservation) => unknown;
  /** Reads full logs from COS for output checks (expect.output.source); absent: TAT's copy only. */
  cos?: Omit<CompleteTruncatedDeps, "sourceFor">;
  /** expect.output.failEarly: after each look, one call's worth of running tasks' output so far
   * goes to `judge` (TargetReader.readRunning); a finding is then seen by `shouldStop`. */
  early?: Omit<EarlyReads, "encodings">;
}

export async function observe(probe: Probe, deps: ObserveDeps): Promise<Observation> {
  const { api, now, signal } = deps;
  const random = deps.random ?? Math.random;
  const iso = (ms: number) => new Date(ms).toISOString();
  const target = probe.spec.target;
  const apiErrors: ApiErrorRecord[] = [];
  // Every API error met while watching this spec, retried and recovered or not, for the report.
  const onApiError = (r: ApiErrorRecord) => apiErrors.push(r);
  const reader = new TargetReader(
    target,
    api,
    probe.needsOutput,
    () => iso(now()),
    probe.outputEncodings,
    deps.onTask,
    deps.cos && {
      ...deps.cos,
      sourceFor: outputSourceFor(probe.spec),
      remainingMs: () => deadline - now(),
    },
  );
  const { tracker } = reader;
  const early: EarlyReads | undefined = deps.early && {
    ...deps.early,
    encodings: probe.outputEncodings ?? { spec: "auto", instances: {} },
  };
  const startedMs = now();
  let budgetMs = probe.wait.timeoutMs;
  let deadline = startedMs + budgetMs;
  let polls = 0;
  let lastPollMs: number | undefined;
  let lastFailure: ApiErrorRecord | undefined;
  /** Some look got an answer: without one, nothing about the target is known. */
  let answered = false;

  const snapshot = (state: WaitState, reason?: string): Observation => {
    const obs: Observation = {
      state,
      tasks: tracker.snapshot(),
      invocations: [...reader.invocations.values()],
      startedAt: iso(startedMs),
      endedAt: iso(now()),
      polls,
      deadlineMs: budgetMs,
      statusCounts: tracker.statusCounts(),
      apiErrors: [...apiErrors],
    };
    if (lastPollMs !== undefined) obs.lastPollAt = iso(lastPollMs);
    if (reason) obs.reason = reason;
    return obs;
  };

  const aborted = () => snapshot("aborted", abortReason(signal?.reason));
  const stopped = () => snapshot("stopped", abortReason(deps.stop?.reason));
  const notFound = () =>
    snapshot("not-found", notFoundReason(target.kind, reader.missing, now() - startedMs));
  const graceOver = (after: "not-found" | "terminal") =>
    after === "terminal" ? snapshot("terminal") : notFound();

  /** One look at the target, bounded by the deadline: retries inside the client cannot overrun it. */
  const look = async (): Promise<Look> => {
    const budget = deadlineSignal(deadline - now());
    try {
      const all = (...s: (AbortSignal | undefined)[]) =>
        AbortSignal.any(s.filter((x): x is AbortSignal => !!x));
      const status = {
        region: probe.region,
        signal: all(signal, deps.stop, budget.signal),
        onApiError,
      };
      // Records of tasks already seen finished are fetched even when fail-fast stops the wait:
      // without them a finished task would read as "no exit code", not as what it did.
      // A partial batch of records may wait for a fuller call, except on the last look before
      // the deadline and under fail-fast (which needs each failure as soon as it is known).
      const eager = finalLook || deps.shouldStop !== undefined;
      await reader.read(status, { ...status, signal: all(signal, budget.signal) }, eager);
      if (early) await reader.readRunning(status, early);
      return { kind: "ok" };
    } catch (error) {
      if (signal?.aborted) return { kind: "aborted" };
      if (deps.stop?.aborted) return { kind: "stopped" };
      if (budget.signal.aborted) return { kind: "deadline" };
      // Pages that did not add up even when read again: waiting would judge a partial set.
      if (error instanceof IncompleteResultError)
        return { kind: "inconsistent", reason: error.message };
      const failure = toRecord(error, iso(now()));
      if (!failure) throw error;
      // The client already retried what is worth retrying; a refusal (auth, permissions, bad
      // parameters, credentials that could not be refreshed) will not change by waiting.
      return { kind: "failed", failure, refusal: isRefusal(error) };
    } finally {
      budget.dispose();
      polls++;
      lastPollMs = now();
    }
  };

  let finalLook = false;
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) return aborted();
    if (deps.stop?.aborted) return stopped();
    const lookStartedMs = now();
    const result = await look();
    if (result.kind === "aborted") return aborted();
    if (result.kind === "stopped") return stopped();
    if (result.kind === "deadline") return ended(lastFailure);
    if (result.kind === "inconsistent") return snapshot("inconsistent", result.reason);
    lastFailure = result.kind === "failed" ? result.failure : undefined;
    if (result.kind === "ok") answered = true;
    if (result.kind === "failed" && result.refusal) {
      return snapshot("api-error", describe(result.failure));
    }
    if (probe.wait.timeoutDefaulted) {
      // A default wait grows to what the runbook itself is allowed: its command timeout + slack.
      const allowed = commandBudgetMs(reader.invocations.values());
      if (allowed > budgetMs) {
        budgetMs = allowed;
        deadline = startedMs + budgetMs;
        finalLook = false;
      }
    }
    deps.onProgress?.(progress());
    if (!lastFailure) {
      if (reader.done()) return snapshot("terminal");
      const elapsed = now() - startedMs;
      if (!reader.found && elapsed >= probe.wait.notFoundGraceMs) {
        const after = reader.afterGrace();
        if (after !== "wait") return graceOver(after);
      }
      const stop = deps.shouldStop?.(tracker.size, reader.found && reader.unfinished.length === 0);
      if (stop) return snapshot("stopped", stop);
    }
    // The last look before the deadline: whatever it showed is what the report says.
    if (finalLook) return ended(lastFailure);
    const next = nextPoll({
      attempt,
      minIntervalMs: probe.wait.minIntervalMs,
      maxIntervalMs: probe.wait.maxIntervalMs,
      now: lookStartedMs,
      deadline,
      random,
    });
    if (next.kind === "deadline") return ended(lastFailure);
    // Intervals run from the start of one look to the start of the next: specs of one run that
    // share their jitter (sharedJitter) keep polling in the same moments however long each look
    // took, so their calls share requests (batching-reader.ts).
    const delayMs = Math.max(0, next.delayMs - (now() - lookStartedMs));
    try {
      const signals = [signal, deps.stop].filter((s): s is AbortSignal => !!s);
      await deps.sleep(delayMs, signals.length > 0 ? AbortSignal.any(signals) : undefined);
    } catch (error) {
      if (signal?.aborted) return aborted();
      if (deps.stop?.aborted) return stopped();
      throw error;
    }
    finalLook = next.last;
  }

  function progress(): SpecProgress {
    return {
      spec: probe.spec.name,
      file: probe.spec.file,
      terminal: tracker.terminalCount(),
      total: tracker.size,
      statusCounts: tracker.statusCounts(),
      elapsedMs: (lastPollMs ?? startedMs) - startedMs,
      deadlineMs: budgetMs,
      polls,
      at: iso(lastPollMs ?? startedMs),
    };
  }

  function ended(failure: ApiErrorRecord | undefined): Observation {
    if (!answered) {
      // Never "terminal with no tasks" or "not found": the API did not say anything at all.
      const met = failure ?? apiErrors.at(-1);
      return snapshot(
        "api-error",
        `no answer from the TAT API before the deadline${met ? ` (last: ${describe(met)})` : ""}`,
      );
    }
    if (failure) {
      return snapshot("api-error", `the API kept failing until the deadline: ${describe(failure)}`);
    }
    if (!reader.found) {
      const after = reader.afterGrace();
      if (after !== "wait") return graceOver(after);
    }
    const short = reader.unfinished.length > 0 ? `; ${reader.unfinished.join("; ")}` : "";
    return snapshot("timeout", `deadline of ${formatDuration(budgetMs)} reached${short}`);
  }
}

/** Delivery before the command starts and reporting after it ends take time the command's own
 * timeout does not count. */
export const COMMAND_TIMEOUT_SLACK_MS = 2 * 60_000;

function commandBudgetMs(invocations: Iterable<{ timeoutSeconds?: number }>): number {
  let longest = 0;
  for (const inv of invocations) longest = Math.max(longest, inv.timeoutSeconds ?? 0);
  // The Timeout comes from the answer: TAT allows at most 86400 s, and a larger one (up to 1e308,
  // Infinity in ms) would make a default wait endless. A longer runbook needs a wait.timeout.
  longest = Math.min(longest, MAX_TIMEOUT_SECONDS);
  return longest > 0 ? longest * 1000 + COMMAND_TIMEOUT_SLACK_MS : 0;
}

type Look =
  | { kind: "ok" }
  | { kind: "aborted" }
  | { kind: "stopped" }
  | { kind: "deadline" }
  | { kind: "inconsistent"; reason: string }
  | { kind: "failed"; failure: ApiErrorRecord; refusal: boolean };

/** Aborts when the wait's deadline passes; the timer never keeps the process alive. */
function deadlineSignal(remainingMs: number): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error("deadline reached")),
    // setTimeout takes at most 2^31-1 ms; a longer wait re-arms on the next look anyway.
    Math.min(2 ** 31 - 1, Math.max(0, remainingMs)),
  );
  timer.unref?.();
  return { signal: controller.signal, dispose: () => clearTimeout(timer) };
}

function isRefusal(error: unknown): boolean {
  // Credentials that could not be obtained or refreshed mid-wait: waiting longer will not help.
  return error instanceof CredentialsError || waitingCannotFix(error);
}
