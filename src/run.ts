// Orchestration, one way: specs → plan → observations → verdicts → report → reporters.
// Specs are observed concurrently through one shared reader (one client, one rate limiter).

import { EXIT, type ExitCode, worstExitCode } from "./exit-code.js";
import { captureScope } from "./match/capture-scope.js";
import { blockedVerdict } from "./match/needs-check.js";
import { SpecTally } from "./match/tally.js";
import type {
  Observation,
  RunningOutput,
  RunReport,
  Spec,
  SpecReport,
  SpecVerdict,
  TaskVerdict,
  WaitState,
} from "./model.js";
import { type Probe, plan } from "./plan/plan.js";
import { liveRedactor, redactReport, redactText, redactValue } from "./report/redact.js";
import type { Reporter } from "./report/reporter.js";
import { formatDuration } from "./spec/duration.js";
import { neededCaptures } from "./spec/spec-order.js";
import { runReport, specReport } from "./summarize.js";
import { cannotPass } from "./wait/fail-fast.js";
import { type ObserveDeps, observe } from "./wait/observe.js";
import { sharedJitter } from "./wait/schedule.js";
import type { TatReader } from "./wait/tat-reader.js";

export interface RunInput {
  specs: Spec[];
  api: TatReader;
  reporters: Reporter[];
  version: string;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Aborting (SIGINT/SIGTERM) stops polling; what was seen is still evaluated and reported. */
  signal?: AbortSignal;
  timeoutMs?: number;
  regionFlag?: string;
  regionEnv?: string;
  failFast?: boolean;
  /** Values masked in every report (secret key, tokens); read when the report is made. */
  secrets?: Iterable<string>;
  /** Where reporter failures are told. */
  warn?: (message: string) => void;
  /** Time reporters get, together, to finish after the verdict. @default 30000 */
  reporterTimeoutMs?: number;
  /** The report also says where each passing output pattern was found (`tat-assert explain`). */
  explain?: boolean;
  /** Last word before the reporters (`tat-assert run` cancels what is unfinished, src/launch). */
  finish?: (report: RunReport) => Promise<RunReport>;
  /** Full output from COS (expect.output.source): the gate's credentials, fetch, endpoint. */
  cos?: ObserveDeps["cos"];
}

/** What reporters get after the verdict unless --reporter-timeout says otherwise. */
export const DEFAULT_REPORTER_TIMEOUT_MS = 30_000;
/** Even when earlier reporters used up the time, a later stage (the console) gets this much. */
const STAGE_FLOOR_MS = 1000;

export async function run(input: RunInput): Promise<RunReport> {
  const now = input.now ?? Date.now;
  const sleep = input.sleep ?? abortableSleep;
  const startedAt = now();
  // Everything a reporter or a warning receives is masked here, once: spec names can interpolate
  // secrets, and warnings quote errors from reporters and the network.
  const mask = liveRedactor(input.secrets ?? []);
  const warn = (message: string) => input.warn?.(mask(message));
  const probes = plan(input.specs, {
    ...(input.timeoutMs !== undefined && { timeoutMs: input.timeoutMs }),
    ...(input.regionFlag !== undefined && { regionFlag: input.regionFlag }),
    ...(input.regionEnv !== undefined && { regionEnv: input.regionEnv }),
  });

  const start = redactValue(
    {
      startedAt: new Date(startedAt).toISOString(),
      specs: probes.map((p) => ({
        name: p.spec.name,
        file: p.spec.file,
        where: p.spec.where,
        target: p.spec.target,
        deadlineMs: p.wait.timeoutMs,
      })),
    },
    mask,
  );
  await each(input.reporters, warn, (r) => r.start?.(start));

  // --fail-fast: once one spec cannot pass, the run's verdict is known; stop every wait.
  const stopAll = new AbortController();
  const failFast = (
    spec: Spec,
    tally: SpecTally,
    tasksSeen: number,
    allKnown: boolean,
  ): string | undefined => {
    const reason = cannotPass(spec, tally, tasksSeen, allKnown);
    if (reason) stopAll.abort(new Error(`${reason} (in spec ${spec.name})`));
    return reason;
  };
  const errors: RunReport["errors"] = [];

  // Each spec's tasks are judged as their records arrive (the tally); only verdicts are kept.
  const tallies = probes.map(
    (probe) => new SpecTally(probe.spec, { explain: input.explain ?? false }),
  );
  const observeProbe = async (probe: Probe, tally: SpecTally): Promise<Observation> => {
    if (probe.spec.skip) return placeholder(probe, now(), "skipped", probe.spec.skip.value);
    try {
      const observation = await watch(probe, tally);
      // A spec whose last task failed ends "terminal" before its fail-fast check; stop the others.
      if (input.failFast) {
        failFast(probe.spec, tally, observation.tasks.length, observation.state === "terminal");
      }
      return observation;
    } catch (error) {
      // A bug while watching one spec must not lose the others' verdicts or any report.
      const message = error instanceof Error ? error.message : String(error);
      errors.push({
        kind: "internal",
        message: `${probe.spec.name}: internal error: ${message}`,
        where: probe.spec.where,
      });
      return placeholder(probe, now(), "api-error", `internal error in tat-assert: ${message}`);
    }
  };
  // Every spec polls on the same jittered schedule, so one round's calls share requests.
  const jitter = sharedJitter(input.random ?? Math.random);
  const watch = (probe: Probe, tally: SpecTally): Promise<Observation> =>
    observe(probe, {
      onTask: (task) => tally.keepsTail(tally.add(task)),
      ...(tally.failsEarlyAnywhere() && {
        early: {
          wants: (instanceId: string) => tally.failsEarly(instanceId),
          judge: (output: RunningOutput) => tally.addRunning(output) !== undefined,
        },
      }),
      api: input.api,
      ...(input.cos && { cos: input.cos }),
      now,
      sleep,
      random: jitter(),
      ...(input.signal && { signal: input.signal }),
      onProgress: (raw) => {
        const event = redactValue(raw, mask);
        for (const r of input.reporters) {
          try {
            void r.progress?.(event);
          } catch (error) {
            warn(`reporter ${r.name}: ${(error as Error).message}`);
          }
        }
      },
      ...(input.failFast && {
        stop: stopAll.signal,
        shouldStop: (tasksSeen: number, allKnown: boolean) =>
          failFast(probe.spec, tally, tasksSeen, allKnown),
      }),
    });

  // A spec with `needs:` is watched once the specs it needs are judged, with their captures in
  // scope; the others start at once, together, as before.
  const judged = new Map<number, Promise<{ observation: Observation; verdict: SpecVerdict }>>();
  const indexOf = new Map(probes.map((p, i) => [p.spec.name, i]));
  const judge = (i: number, path: number[] = []) => {
    let promise = judged.get(i);
    if (!promise) {
      promise = judgeProbe(i, path);
      judged.set(i, promise);
    }
    return promise;
  };
  const judgeProbe = async (i: number, path: number[]) => {
    const probe = probes[i] as Probe;
    const needs = probe.spec.skip ? [] : (probe.spec.needs?.value ?? []);
    let tally = tallies[i] as SpecTally;
    if (needs.length > 0) {
      // Loaded specs were checked for unknown names and cycles; a library caller may not have.
      const known = needs
        .map((n) => indexOf.get(n))
        .filter((j): j is number => j !== undefined && !path.includes(j));
      if (known.length < needs.length)
        throw new Error(`needs of ${probe.spec.name} are not specs of this run, or form a cycle`);
      const upstream = await Promise.all(known.map((j) => judge(j, [...path, i])));
      const blocked = blockedVerdict(
        probe.spec,
        upstream.map((u, k) => {
          const spec = (probes[known[k] as number] as Probe).spec;
          return {
            name: spec.name,
            outcome: u.verdict.outcome,
            skippedOnPurpose: spec.skip !== undefined,
          };
        }),
        stopAll.signal.aborted,
      );
      if (blocked) {
        const reason = blocked.fleet[0]?.message ?? "not checked";
        return { observation: placeholder(probe, now(), "skipped", reason), verdict: blocked };
      }
      const verdicts = new Map<string, TaskVerdict[]>(
        upstream.map((u, k) => [(probes[known[k] as number] as Probe).spec.name, u.verdict.tasks]),
      );
      tally = new SpecTally(probe.spec, {
        explain: input.explain ?? false,
        scope: captureScope(neededCaptures(probe.spec, input.specs), verdicts),
      });
      tallies[i] = tally;
    }
    const observation = await observeProbe(probe, tally);
    return { observation, verdict: tally.verdict(observation) };
  };
  const results = await Promise.all(
    probes.map((probe, i) =>
      judge(i).catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        errors.push({
          kind: "internal",
          message: `${probe.spec.name}: ${message}`,
          where: probe.spec.where,
        });
        const observation = placeholder(
          probe,
          now(),
          "api-error",
          `internal error in tat-assert: ${message}`,
        );
        return { observation, verdict: (tallies[i] as SpecTally).verdict(observation) };
      }),
    ),
  );
  // fail-fast stops every wait because some spec can no longer pass. If then none failed, the
  // tasks not waited for read as skipped and the run as exit 0 with them never checked: a bug in
  // the stop (it disagreed with the verdict), reported as one, never a pass.
  const stopped = stopAll.signal.aborted;
  if (stopped && !results.some((r) => ["fail", "error"].includes(r.verdict.outcome))) {
    const why = stopAll.signal.reason instanceof Error ? stopAll.signal.reason.message : "";
    errors.push({
      kind: "internal",
      message: `${why || "fail-fast stopped the run"}, but no spec failed: the tasks not waited for were not checked`,
    });
  }
  const specs: SpecReport[] = probes.map((probe, i) => {
    const { observation, verdict } = results[i] as {
      observation: Observation;
      verdict: SpecVerdict;
    };
    return specReport(probe.spec, observation, verdict);
  });
  const built = runReport({
    version: input.version,
    startedAt,
    endedAt: now(),
    specs,
    errors,
    extraExitCodes: errors.length > 0 ? [EXIT.INTERNAL] : [],
  });
  // Masked once, after `finish` has had its word: what it adds (the launches, with the API's
  // messages about cancelling them) is masked with the rest, and it matches launches to specs by
  // the names the specs were given, not by masked ones. Secrets are read after it too: cancelling
  // may have refreshed the credentials.
  const unmasked = input.finish ? await input.finish(built) : built;
  const secrets = [...(input.secrets ?? [])];
  const finished = redactReport(unmasked, secrets);
  return endReporters(input.reporters, finished, warn, secrets, {
    timeoutMs: input.reporterTimeoutMs ?? DEFAULT_REPORTER_TIMEOUT_MS,
    now,
  });
}

/**
 * Ends every reporter: files first, then the other outputs (GitHub), then the console, so that
 * what one could not write is part of what the later ones show, and of the exit code (5). It never
 * changes a verdict. Reporters get `timeoutMs` together; one still busy then is abandoned (its
 * work is left behind and the process ends anyway) and counts as not written. Returns the report
 * as the last stage saw it.
 */
export async function endReporters(
  reporters: Reporter[],
  report: RunReport,
  warn: ((message: string) => void) | undefined,
  secrets: string[],
  limit: { timeoutMs?: number; now?: () => number } = {},
): Promise<RunReport> {
  const now = limit.now ?? Date.now;
  const timeoutMs = limit.timeoutMs ?? DEFAULT_REPORTER_TIMEOUT_MS;
  const deadline = now() + timeoutMs;
  const floor = Math.min(STAGE_FLOOR_MS, timeoutMs);
  const stages = [
    reporters.filter((r) => r.file !== undefined),
    reporters.filter((r) => r.file === undefined && !r.last),
    reporters.filter((r) => r.file === undefined && r.last),
  ];
  let final = report;
  for (const [i, stage] of stages.entries()) {
    const budget = Math.max(floor, deadline - now());
    // Said once: by the console when it ends later, else as a warning.
    const shownLater = stages.slice(i + 1).some((later) => later.some((r) => r.last));
    const failed = (
      await each(stage, shownLater ? undefined : warn, (r) =>
        withinTime(budget, () => r.end(final)),
      )
    ).map((e) => ({
      ...e,
      message: redactText(e.message, secrets),
    }));
    if (failed.length === 0) continue;
    final = {
      ...final,
      errors: [...final.errors, ...failed],
      exitCode: worstExitCode([final.exitCode as ExitCode, EXIT.REPORT]),
    };
  }
  return final;
}

/** `work` or, when it is not done within `ms`, a rejection (named by the caller's "reporter X"). */
function withinTime(ms: number, work: () => unknown): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `did not finish within ${formatDuration(ms)} after the verdict and was abandoned`,
          ),
        ),
      ms,
    );
  });
  return Promise.race([Promise.resolve().then(work), late]).finally(() => clearTimeout(timer));
}

function placeholder(probe: Probe, at: number, state: WaitState, reason: string): Observation {
  const iso = new Date(at).toISOString();
  return {
    state,
    tasks: [],
    invocations: [],
    startedAt: iso,
    endedAt: iso,
    polls: 0,
    deadlineMs: probe.wait.timeoutMs,
    statusCounts: {},
    apiErrors: [],
    reason,
  };
}

type RunError = RunReport["errors"][number];

/** Calls every reporter; returns what failed. One failing must not hide the others' output. */
async function each(
  reporters: Reporter[],
  warn: ((message: string) => void) | undefined,
  call: (r: Reporter) => unknown,
): Promise<RunError[]> {
  const failed: RunError[] = [];
  await Promise.all(
    reporters.map(async (r) => {
      try {
        await call(r);
      } catch (error) {
        const message = `reporter ${r.name} failed: ${(error as Error).message}`;
        failed.push({ kind: "reporter", code: r.name, message });
        warn?.(message);
      }
    }),
  );
  return failed;
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
