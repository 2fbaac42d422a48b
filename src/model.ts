// The plain data that flows between the stages of a run:
//   spec → plan → observations → verdicts → report → reporters
// Everything here is JSON-serialisable and carries no behaviour, so each stage can be tested alone.

/** A position in a user's spec file (1-based line and column). */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

export interface Located<T> {
  value: T;
  where: SourceLocation;
}

// ───────────────────────────── spec (declared) ─────────────────────────────

/** Exit code rule: one value, or an inclusive range. */
export type ExitCodeRule = number | { min: number; max: number };

/** A user pattern over task output: a plain substring or a `/regex/flags` (RE2 syntax). */
export interface OutputPattern {
  kind: "substring" | "regex";
  /** As written by the user, for messages (e.g. `/version=\d+/i`). */
  text: string;
  /** The substring, or the regex source without slashes. */
  source: string;
  flags: string;
  where: SourceLocation;
}

/** What every task (or one instance's task) must show. Absent fields are not checked. */
export interface TaskExpectations {
  /** `implied`: not written; SUCCESS is expected because neither status nor exitCode was given,
   * or (with `impliedBy: "exitCode"`) SUCCESS, plus FAILED when a non-zero code is allowed. */
  status?: Located<string[]> & { implied?: boolean; impliedBy?: "exitCode" };
  exitCode?: Located<ExitCodeRule[]>;
  output?: {
    matches: OutputPattern[];
    notMatches: OutputPattern[];
    /** When true, `notMatches` on truncated output is judged on what was kept instead of being an error. */
    allowTruncated?: Located<boolean>;
    /** How output bytes that are not valid UTF-8 are decoded: `auto` (the default) or a label. */
    encoding?: Located<string>;
    /** Where output is read from: `tat`, `cos`, or `auto` (the default; COS when TAT's copy was
     * cut). See src/cos/complete-truncated.ts. */
    source?: Located<"tat" | "cos" | "auto">;
    /** When true, `notMatches` is also judged on the output of a task still RUNNING: a hit fails
     * the task at once (docs/spec.md, "Failing early"). */
    failEarly?: Located<boolean>;
    /** `output.json`: JSON read from the output, and what must hold at paths in it. */
    json?: JsonOutputRule;
  };
  /** ExecStartTime..ExecEndTime bounds in milliseconds. */
  duration?: Located<{ minMs?: number; maxMs?: number }>;
  /** `false`: the output must not have been truncated (Dropped == 0). */
  truncated?: Located<boolean>;
  /** `capture:` values read from each task's output, in the order written. */
  capture?: CaptureRule[];
}

/** A value as JSON has them (what `equals` and `oneOf` compare with, key order aside). */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

export type JsonType = "string" | "number" | "integer" | "boolean" | "null" | "array" | "object";

/** What one JSON value must be; every field given must hold. */
export interface JsonCondition {
  equals?: JsonValue;
  oneOf?: JsonValue[];
  /** Strings only: a substring or an RE2 `/regex/`, as in output.matches. */
  matches?: OutputPattern;
  /** Numbers only: inclusive `min`/`max`, exclusive `above`/`below`. */
  min?: number;
  max?: number;
  above?: number;
  below?: number;
  type?: JsonType;
}

/** One `output.json.assert` entry: a JSONPath (RFC 9535) and what the values it selects must be. */
export interface JsonAssertion {
  path: string;
  /** `one`: the path selects exactly one value, which must meet `condition`; `all` / `any`: every
   * / at least one selected value must (selecting nothing fails both). */
  over: "one" | "all" | "any";
  /** `true`: the path must select something; `false` (`absent: true`): it must select nothing. */
  exists?: boolean;
  /** Empty when the entry only says exists / absent. */
  condition: JsonCondition;
  where: SourceLocation;
}

/** `expect.output.json`. */
export interface JsonOutputRule {
  /** The whole output is one JSON value; the last value printed; every non-empty line is one. */
  from: "whole" | "last" | "lines";
  /** With `from: lines`: each assertion must hold on every JSON line (`all`), or on at least one. */
  lines: "all" | "any";
  assert: JsonAssertion[];
  where: SourceLocation;
}
/** Where a captured value comes from. One kind per way of reading output; each is judged by its
 * own module under src/match (capture.ts reads `regex`). */
export type CaptureSource =
  | {
      kind: "regex";
      /** A `/regex/`: the value is its group named `value`, else its first group. */
      pattern: OutputPattern;
    }
  /** `{ json: $.version, from: last }`: the one value a JSONPath selects in the JSON read from the
   * output (as `output.json` reads it); a string as it is, anything else as compact JSON. */
  | { kind: "json"; path: string; from: "whole" | "last" | "lines" };

/** `capture: { <name>: … }`: a value named for later expectations (`${capture.<name>}`), specs
 * that `needs:` this one, and the fleet consistency rules. */
export interface CaptureRule {
  name: string;
  source: CaptureSource;
  where: SourceLocation;
}

/** `fleet:` — rules over the values every task captured (drift detection). */
export type ConsistencyRule =
  /** Every captured value of `capture` is the same. */
  | { kind: "same"; capture: string; where: SourceLocation }
  /** At most `max` distinct values (a canary rollout). */
  | { kind: "distinct"; capture: string; max: number; where: SourceLocation }
  /** Every captured value equals `value`. */
  | { kind: "equals"; capture: string; value: string; where: SourceLocation };

/** Only invocations (or tasks) created at or after this count: an ISO time, or a span back from
 * the start of the wait. */
export type Since = { at: string } | { agoMs: number };

export type Target =
  | { kind: "invocations"; invocationIds: string[]; where: SourceLocation }
  | { kind: "tasks"; taskIds: string[]; where: SourceLocation }
  | {
      kind: "filters";
      filters: { name: string; values: string[] }[];
      since?: Since;
      where: SourceLocation;
    }
  | {
      /** The newest invocation of a command created at or after `since`; with `instanceIds`, the
       * newest with a task on one of them, and only those tasks. */
      kind: "latest";
      /** Exactly one of commandId and commandName (a saved command, found by DescribeCommands). */
      commandId?: string;
      commandName?: string;
      instanceIds?: string[];
      since?: Since;
      where: SourceLocation;
    };

export interface WaitPolicy {
  /** Every task terminal within this budget, or the spec cannot be verified. */
  timeoutMs: number;
  /** No timeout was written (nor given with --timeout): the wait may grow to the invocation's own
   * command timeout plus slack, so a runbook allowed to run an hour is not cut off at the default. */
  timeoutDefaulted?: boolean;
  minIntervalMs: number;
  maxIntervalMs: number;
  /** How long "invocation not found" is treated as eventual consistency rather than an error. */
  notFoundGraceMs: number;
  where: SourceLocation;
}

/** Which instances must have tasks. */
export interface Coverage {
  /** Exactly these instances, no more, no fewer. */
  exact?: string[];
  /** At least these instances (others allowed). */
  include?: string[];
  count?: number;
  min?: number;
  where: SourceLocation;
}

export interface Quorum {
  /** The spec passes if at least this ratio (0..1) of tasks pass. */
  minPassRatio?: number;
  maxFailures?: number;
  where: SourceLocation;
}

export interface InstanceOverride {
  instanceId: string;
  /** The spec-wide expectations with this instance's fields replacing them. */
  expect: TaskExpectations;
  where: SourceLocation;
}

/** A validated, normalised spec: defaults applied, every expectation located. */
export interface Spec {
  name: string;
  file: string;
  /** Where the spec document starts. */
  where: SourceLocation;
  description?: string;
  region?: string;
  target: Target;
  wait: WaitPolicy;
  expect: TaskExpectations;
  overrides: InstanceOverride[];
  coverage?: Coverage;
  quorum?: Quorum;
  /** Zero matched tasks passes only when the spec says so. */
  allowNoTasks: boolean;
  /** A spec marked skipped is reported as skipped and never polled. */
  skip?: Located<string>;
  /** `run:` — `tat-assert run` starts this command; its invocations then become `target`. */
  run?: RunBlock;
  /** `fleet:` — consistency of captured values across the tasks. */
  consistency?: ConsistencyRule[];
  /** `needs:` — specs judged before this one, whose captures it may read; it is judged only when
   * they passed. */
  needs?: Located<string[]>;
}

/** A `run:` block, normalised: what RunCommand / InvokeCommand are sent (src/launch). */
export interface RunBlock {
  /** Script text (RunCommand); exactly one of command / commandId. */
  command?: string;
  /** A saved command (InvokeCommand). */
  commandId?: string;
  commandType?: "SHELL" | "POWERSHELL" | "BAT";
  commandName?: string;
  description?: string;
  parameters?: Record<string, string>;
  instances: string[];
  timeoutSeconds?: number;
  workingDirectory?: string;
  username?: string;
  outputCOSBucketUrl?: string;
  outputCOSKeyPrefix?: string;
  saveCommand?: boolean;
  tags?: Record<string, string>;
  where: SourceLocation;
}

// ───────────────────────────── observations (no judgement) ─────────────────────────────

export interface StatusSighting {
  status: string;
  /** ISO time of the poll that first saw it. */
  at: string;
}

/** One task as TAT reported it. */
export interface TaskObservation {
  invocationId: string;
  taskId: string;
  instanceId: string;
  commandId?: string;
  /** Raw TaskStatus, possibly a value this version does not know. */
  status: string;
  terminal: boolean;
  exitCode?: number;
  /** Decoded output; undefined when it was not fetched (not needed, hidden, or the task never finished)
   * or could not be decoded (then `outputUndecodable` says why). */
  output?: string;
  /** The encoding `output` was decoded from (`utf-8`, `gb18030`, …). */
  outputEncoding?: string;
  /** Why the output bytes could not be decoded; output checks are then "could not verify". */
  outputUndecodable?: string;
  /** True when output was requested with HideOutput=false for this task. */
  outputFetched: boolean;
  /** Bytes TAT dropped from its own copy (what `expect.truncated` judges), also when the output
   * judged is the full log from COS. */
  droppedBytes: number;
  outputUrl?: string;
  outputUploadError?: string;
  /** `cos`: `output` is the whole log, read from the COS object TAT uploaded (expect.output.source). */
  outputSource?: "cos";
  /** The full log was needed from COS but could not be read: why (the output checks are then
   * "could not verify", except a `notMatches` found in TAT's kept part). */
  outputCosError?: string;
  errorInfo?: string;
  execStartTime?: string;
  execEndTime?: string;
  createdTime?: string;
  /** Statuses seen over the wait, in order, each with the poll time that first saw it. */
  history: StatusSighting[];
  /** ISO time of the poll that first saw a terminal status. */
  terminalAt?: string;
}

/** The output so far of a task still running (expect.output.failEarly): handed to the judge the
 * moment it is read, never kept. */
export interface RunningOutput {
  taskId: string;
  instanceId: string;
  status: string;
  /** ISO time of the poll that read it. */
  at: string;
  /** The complete lines so far, in each way they may read once final (tat/partial-output.ts). */
  texts: string[];
}

/** What is kept of a task's output once the task has been judged: its size and its last lines. */
export interface OutputSummary {
  /** Characters of decoded output. */
  chars: number;
  lines: number;
  /** The last lines (at most 20 lines and 2,000 characters), what reports show. Absent when it was
   * not kept: a task that passed, once a spec has kept the tails of 1,000 passing tasks. */
  tail?: string;
}

/** A task as the wait keeps it once judged: the observation without its output, so memory per task
 * does not grow with output size (the output went to the judge as the record arrived). */
export type ObservedTask = Omit<TaskObservation, "output"> & { outputSummary?: OutputSummary };

export interface ApiErrorRecord {
  action: string;
  code: string;
  message: string;
  requestId?: string;
  at: string;
  /** Whether the call was retried and later succeeded. */
  recovered: boolean;
}

/** How the wait ended. */
export type WaitState =
  | "terminal" // every task terminal
  | "timeout" // deadline passed first
  | "aborted" // SIGINT/SIGTERM
  | "stopped" // --fail-fast: the spec could no longer pass, the rest was not waited for
  | "not-found" // target never appeared within the grace window
  | "api-error" // the API refused or kept failing
  | "inconsistent" // the API's pages did not add up even when read again: the set is unknown
  | "skipped"; // never polled: the spec is skipped

export interface Observation {
  state: WaitState;
  /** Every task seen; outputs are not kept (see ObservedTask). */
  tasks: ObservedTask[];
  invocations: {
    invocationId: string;
    status?: string;
    commandId?: string;
    timeoutSeconds?: number;
  }[];
  startedAt: string;
  endedAt: string;
  lastPollAt?: string;
  polls: number;
  deadlineMs: number;
  /** Count of tasks per status at the last poll. */
  statusCounts: Record<string, number>;
  apiErrors: ApiErrorRecord[];
  /** Why the wait ended early (not found, API error, abort reason). */
  reason?: string;
}

/** An observation whose tasks still carry their outputs: what `evaluate()` judges in one go (a
 * recording, a test). A run never builds one; it judges each task as its record arrives. */
export interface Recording extends Omit<Observation, "tasks"> {
  tasks: TaskObservation[];
}

// ───────────────────────────── verdicts ─────────────────────────────

/** pass: held · fail: did not hold · error: could not be checked · skip: not checked on purpose. */
export type Outcome = "pass" | "fail" | "error" | "skip";

export type CheckName =
  | "status"
  | "exitCode"
  | "output.matches"
  | "output.notMatches"
  | "output.json"
  | "duration"
  | "truncated"
  | "coverage"
  | "quorum"
  | "tasks"
  | "wait"
  | "capture"
  | "fleet.same"
  | "fleet.distinct"
  | "fleet.equals"
  | "needs";

export interface AssertionResult {
  check: CheckName;
  outcome: Outcome;
  expected: string;
  actual: string;
  /** One line, without the instance id or location: "exit code 2, expected 0". */
  message: string;
  where: SourceLocation;
  /** Lines of output around a mismatch, when the check is about output. */
  excerpt?: string;
  /** ISO time of the poll that found this (a `notMatches` hit, expect.output.failEarly) in the
   * output of the task while it was still running. */
  seenWhileRunningAt?: string;
  /** Output checks: the first line the pattern was found on, 1-based, and its text (cut to 200
   * characters). Set for a failing `notMatches`; for a passing `matches` only when the run was
   * asked to explain (locating costs a second search). */
  found?: { line: number; text: string };
}

export interface TaskVerdict {
  taskId: string;
  instanceId: string;
  outcome: Outcome;
  results: AssertionResult[];
  /** Where the `instances:` override that judged this task is declared; absent when the
   * spec-wide expectations did. */
  override?: SourceLocation;
  /** Values captured from this task's output (`capture:`), by name: sanitised, at most
   * CAPTURE_VALUE_CHARS characters each. A capture that found nothing is absent here and has a
   * failed `capture` result. */
  captures?: Record<string, string>;
}

export interface SpecVerdict {
  outcome: Outcome;
  tasks: TaskVerdict[];
  /** Spec-level results: coverage, quorum, zero tasks, wait not finished. */
  fleet: AssertionResult[];
}

// ───────────────────────────── report (the only input of reporters) ─────────────────────────────

export interface Counts {
  pass: number;
  fail: number;
  error: number;
  skip: number;
}

export interface TaskReport extends TaskVerdict {
  observed: ObservedTask;
}

export interface SpecReport {
  name: string;
  file: string;
  where: SourceLocation;
  region?: string;
  target: Target;
  outcome: Outcome;
  observation: Omit<Observation, "tasks">;
  tasks: TaskReport[];
  fleet: AssertionResult[];
  /** Per task outcome counts. */
  counts: Counts;
  durationMs: number;
}

export interface RunReport {
  reportVersion: 1;
  tool: { name: "tat-assert"; version: string };
  startedAt: string;
  endedAt: string;
  durationMs: number;
  outcome: Outcome;
  exitCode: number;
  specs: SpecReport[];
  /** Per spec outcome counts. */
  counts: Counts;
  /** Errors that belong to no single spec (e.g. credentials could not be loaded). */
  errors: {
    kind: string;
    message: string;
    code?: string;
    requestId?: string;
    /** The spec line the error is about (an invalid field, the spec whose watch broke), when known. */
    where?: SourceLocation;
  }[];
  /** What `tat-assert run` started, one entry per `run:` spec (absent for the plain gate). */
  launches?: LaunchRecord[];
}

/** The commands one `run:` spec started, and what became of its unfinished tasks. */
export interface LaunchRecord {
  spec: string;
  action: "RunCommand" | "InvokeCommand";
  commandId?: string;
  region: string;
  /** Every invocation it started (one per 200 instances). */
  invocationIds: string[];
  /** Of those, the ones found again with DescribeInvocations after their answer was lost. */
  adopted: string[];
  instances: number;
  /** Unfinished tasks stopped with CancelInvocation when the wait ended early. */
  cancelled: { invocationId: string; instanceIds: string[] }[];
  /** Unfinished tasks left running: --no-cancel, or a CancelInvocation that failed (`reason`). */
  leftRunning: { invocationId: string; instanceIds: string[]; reason: string }[];
}
