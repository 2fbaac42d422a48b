// The gate as a library call: options → specs → credentials → run → RunReport. The CLI and the
// GitHub Action are thin adapters over this; neither holds logic of its own.
// The specs half (load-specs.ts) is a module of its own, so `validate` loads only what it needs.

import { resolve } from "node:path";
import { expandSpecPatterns } from "./cli/expand.js";
import { type CredentialOptions, resolveCredentials } from "./credentials/chain.js";
import { DEFAULT_METADATA_ENDPOINT } from "./credentials/cvm-role.js";
import type { CredentialProvider, Credentials } from "./credentials/types.js";
import { formatIssue, SpecError, TatAssertError, UsageError } from "./errors.js";
import { exitCodeForError } from "./exit-code.js";
import { type LaunchHook, refuseRunSpecs } from "./launch/gate-hook.js";
import { envSecrets, loadGateSpecs } from "./load-specs.js";
import type { RunReport, Spec } from "./model.js";
import { networkFetch, proxySecrets } from "./net/proxy-fetch.js";
import { consoleReporter } from "./report/console.js";
import { renderExplain } from "./report/explain.js";
import { liveRedactor, redactReport, redactText } from "./report/redact.js";
import {
  automaticReporters,
  createReporters,
  type ReporterContext,
  reportsToStdout,
} from "./report/registry.js";
import type { Reporter } from "./report/reporter.js";
import { safeStream } from "./report/sanitize.js";
import { canRedraw, type TerminalStream, useColor } from "./report/terminal.js";
import { abortableSleep, endReporters, run } from "./run.js";
import type { Shard } from "./shard.js";
import { runReport } from "./summarize.js";
import { TatClient } from "./tat/client.js";
import { resolveEndpoint } from "./tat/endpoint.js";
import type { Sleep } from "./tat/sleep.js";
import { VERSION } from "./version.js";
import { batchingReader } from "./wait/batching-reader.js";
import { tatReader } from "./wait/tat-reader.js";

/** What to check and how to report it; the CLI's GateArgs extends this too, so an option shared
 * by the flags and the library is declared once. */
export interface GateRunOptions {
  patterns: string[];
  region?: string;
  endpoint?: string;
  timeoutMs?: number;
  reporters: string[];
  failFast: boolean;
  quiet: boolean;
  verbose: boolean;
  /** --strict: spec warnings are errors (exit 2) instead of printed notes. */
  strict?: boolean;
  /** --color (true) / --no-color (false); absent: as the terminal and the environment say. */
  color?: boolean;
  /** Time reporters get to finish after the verdict. @default 30000 */
  reporterTimeoutMs?: number;
  /** --shard i/n: this CI job checks only its share of the spec files (src/shard.ts). */
  shard?: Shard;
  /** --cos-endpoint: where full logs are read from instead of the OutputUrl's COS host (the
   * emulator, a private COS gateway); it receives the gate's credentials. */
  cosEndpoint?: string;
  /** `tat-assert explain`: the console tells every check with what it read (src/report/explain.ts),
   * and passing output patterns are located for it. */
  explain?: boolean;
}

export interface GateOptions extends GateRunOptions {
  credentials: CredentialOptions;
  /** Credentials provider given directly (library use, the demo); skips the chain. */
  credentialProvider?: CredentialProvider;
  github?: ReporterContext["github"];
  /** `tat-assert run` (src/launch): start the `run:` specs. Without it they are a usage error. */
  launch?: LaunchHook;
  /** More values masked everywhere, besides the credentials and tokens the run finds itself
   * (`--replay` hides the environment's keys from the run, yet a runbook may have printed them). */
  mask?: string[];
  /** Files the run reads besides its specs (the `--replay` recording), each with what it is: no
   * report may be written over them, as over a spec. */
  inputs?: { path: string; what: string }[];
}

export interface GateIo {
  stdout: NodeJS.WritableStream & TerminalStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
  cwd: string;
  homeDir: string;
  /** Where a spec named `-` is read from. @default process.stdin */
  stdin?: NodeJS.ReadableStream;
  signal?: AbortSignal;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
  /** Every wait of the run: between polls and before the client's retries. @default real timers */
  sleep?: Sleep;
}

export { envSecrets, loadGateSpecs, STDIN_NAME } from "./load-specs.js";

export async function runGate(options: GateOptions, io: GateIo): Promise<RunReport> {
  const now = io.now ?? Date.now;
  const startedAt = now();
  const secrets = new Set<string>();
  for (const s of [
    options.credentials.secretKey,
    options.credentials.sessionToken,
    options.github?.token,
    ...envSecrets(io.env),
    ...proxySecrets(io.env),
    ...(options.mask ?? []),
  ]) {
    if (s) secrets.add(s);
  }
  // Everything said on stderr (warnings, GitHub's error messages) is masked and defused.
  const stderr = safeStream(io.stderr, liveRedactor(secrets));
  // A report on standard output (`json:-`) owns it: what we say ourselves moves to stderr.
  const reportOnStdout = reportsToStdout(options.reporters);
  const talk: NodeJS.WritableStream & TerminalStream = reportOnStdout ? io.stderr : io.stdout;
  // Through the environment's proxy, if any; the metadata service always direct.
  const fetch =
    io.fetch ??
    networkFetch(io.env, {
      direct: [options.credentials.metadataEndpoint || DEFAULT_METADATA_ENDPOINT],
    });
  const ctx: ReporterContext = {
    env: io.env,
    cwd: io.cwd,
    stderr,
    stdout: talk,
    reportStdout: io.stdout,
    redact: liveRedactor(secrets),
    ...(io.now && { now: io.now }),
    fetch,
    ...(options.github && { github: options.github }),
  };
  // Reporters come first, so that a run stopped before any poll still leaves its reports: a CI
  // JUnit step or a required check then shows why instead of "no tests".
  const reporters = [
    ...createReporters(
      options.reporters.filter((r) => r !== "console"),
      ctx,
    ),
    ...automaticReporters(ctx),
  ];
  const warn = (m: string) => stderr.write(`warning: ${m}\n`);
  await refuseReportsOverInputs(reporters, options.patterns, options.inputs ?? [], io.cwd);

  let specs: Spec[] = [];
  /** A run that stops before its wait still leaves its reports; the error comes back masked: a spec
   * that interpolates a secret quotes it in its messages. */
  const stopped = async (error: TatAssertError): Promise<TatAssertError> => {
    const masked = maskError(error, [...secrets]);
    await reportStoppedRun(masked, reporters, {
      startedAt,
      endedAt: now(),
      secrets,
      warn,
      reporterTimeoutMs: options.reporterTimeoutMs,
      specs,
    });
    return masked;
  };
  let provider: CredentialProvider;
  try {
    specs = await loadGateSpecs(options.patterns, io, options.strict, options.shard);
    if (!options.launch) refuseRunSpecs(specs);
    requireRegions(
      specs,
      options.region ?? io.env.TENCENTCLOUD_REGION,
      options.region !== undefined ? "--region" : "TENCENTCLOUD_REGION",
    );
    // Checked here rather than by the client below, so a mistyped endpoint still leaves reports.
    resolveEndpoint(options.endpoint);
    const base =
      options.credentialProvider ??
      (await resolveCredentials(options.credentials, {
        env: io.env,
        homeDir: io.homeDir,
        fetch,
        ...(io.now && { now: io.now }),
      }));
    if (options.verbose) stderr.write(`credentials: ${base.source}\n`);
    provider = rememberingSecrets(base, secrets);
  } catch (error) {
    if (!(error instanceof TatAssertError)) throw error;
    throw await stopped(error);
  }

  const region = options.region ?? io.env.TENCENTCLOUD_REGION;
  const client = new TatClient({
    credentials: provider,
    ...(options.endpoint && { endpoint: options.endpoint }),
    ...(region && { region }),
    fetch,
    ...(io.sleep && { sleep: io.sleep }),
  });
  const human = consoleReporter({
    out: talk,
    live: canRedraw(talk, io.env),
    columns: () => talk.columns,
    color: useColor(talk, io.env, options.color),
    quiet: options.quiet,
    verbose: options.verbose,
    ...(io.now && { now: io.now }),
    ...(options.explain && { summary: renderExplain }),
  });
  let launched: Awaited<ReturnType<LaunchHook["start"]>> | undefined;
  if (options.launch) {
    try {
      launched = await options.launch.start(specs, client, {
        region,
        now,
        ...(io.signal && { signal: io.signal }),
        mask: liveRedactor(secrets),
      });
    } catch (error) {
      if (!(error instanceof TatAssertError)) throw error;
      throw await stopped(error);
    }
  }
  return run({
    specs: launched?.specs ?? specs,
    ...(launched && { finish: launched.finish }),
    // One reader for every spec: calls of the same round share requests (batching-reader.ts).
    api: batchingReader(tatReader(client)),
    reporters: [human, ...reporters],
    version: VERSION,
    now,
    sleep: io.sleep ?? abortableSleep,
    ...(io.signal && { signal: io.signal }),
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    ...(options.region !== undefined && { regionFlag: options.region }),
    ...(io.env.TENCENTCLOUD_REGION && { regionEnv: io.env.TENCENTCLOUD_REGION }),
    failFast: options.failFast,
    // COS is read with the gate's own credentials, through the same network path as TAT.
    cos: {
      credentials: provider,
      fetch,
      ...(options.cosEndpoint && { cosEndpoint: options.cosEndpoint }),
    },
    ...(options.explain && { explain: true }),
    secrets,
    warn,
    ...(options.reporterTimeoutMs !== undefined && {
      reporterTimeoutMs: options.reporterTimeoutMs,
    }),
  });
}

/** A report path that names a spec file (`--reporter junit:specs/deploy.yml`, a typo in an
 * Action's junit-path) or another input of the run (the `--replay` recording) would replace it
 * with the report, even in a run stopped before its first poll: refused before any report is
 * written. A pattern that cannot be expanded is left to the spec loader, which says why. */
async function refuseReportsOverInputs(
  reporters: Reporter[],
  patterns: string[],
  inputs: { path: string; what: string }[],
  cwd: string,
): Promise<void> {
  const reportFiles = new Map<string, string>();
  for (const r of reporters)
    if (r.file && r.file !== "-") reportFiles.set(resolve(cwd, r.file), r.name);
  if (reportFiles.size === 0) return;
  const specFiles = await expandSpecPatterns(
    patterns.filter((p) => p !== "-"),
    cwd,
  ).catch(() => []);
  for (const { path, what } of [
    ...inputs,
    ...specFiles.map((path) => ({ path, what: "spec file" })),
  ]) {
    const reporter = reportFiles.get(resolve(cwd, path));
    if (reporter !== undefined)
      throw new UsageError(
        `the ${reporter} report would be written over the ${what} ${path}; give the report another path`,
      );
  }
}

/** A spec's `region:` must match this (src/spec/schema.ts); --region and TENCENTCLOUD_REGION too. */
const REGION = /^[a-z]{2,}-[a-z0-9-]+$/;

function requireRegions(
  specs: Spec[],
  fallback: string | undefined,
  from: "--region" | "TENCENTCLOUD_REGION",
): void {
  // A region goes into a request header: one with a line break (a multi-line Action input) made
  // every request fail before it was sent, retried as a network error until the deadline (exit 4
  // after the whole timeout) instead of a usage error before the first poll.
  if (fallback && specs.some((s) => !s.skip && !s.region) && !REGION.test(fallback)) {
    throw new UsageError(
      `${from} ${JSON.stringify(fallback)} is not a region such as ap-guangzhou`,
    );
  }
  const regionless = specs.filter((s) => !s.skip && !(s.region ?? fallback));
  if (regionless.length === 0) return;
  const where = regionless.map((s) => `${s.name} (${s.file}:${s.where.line})`).join(", ");
  throw new UsageError(
    `no TAT region for ${where}: give \`region:\` in the spec, --region, or TENCENTCLOUD_REGION`,
  );
}

function maskError(error: TatAssertError, secrets: string[]): TatAssertError {
  if (error instanceof SpecError) {
    return new SpecError(
      error.issues.map((i) => ({
        ...i,
        message: redactText(i.message, secrets),
        ...(i.fix !== undefined && { fix: redactText(i.fix, secrets) }),
      })),
    );
  }
  error.message = redactText(error.message, secrets);
  return error;
}

/** The reports of a run that stopped before its first poll (invalid spec, no credentials). The
 * console is left out: the caller prints the error itself. */
async function reportStoppedRun(
  error: TatAssertError,
  reporters: Reporter[],
  o: {
    startedAt: number;
    endedAt: number;
    secrets: Set<string>;
    warn: (m: string) => void;
    reporterTimeoutMs?: number | undefined;
    specs: Spec[];
  },
): Promise<void> {
  const report = redactReport(
    runReport({
      version: VERSION,
      startedAt: o.startedAt,
      endedAt: o.endedAt,
      specs: [],
      errors: stoppedRunErrors(error, o.specs),
      extraExitCodes: [exitCodeForError(error.kind)],
    }),
    [...o.secrets],
  );
  await endReporters(reporters, report, o.warn, [...o.secrets], {
    ...(o.reporterTimeoutMs !== undefined && { timeoutMs: o.reporterTimeoutMs }),
  });
}

/** Each invalid field is its own error at its own line; an error about the whole run (no
 * credentials, say) is placed at the first spec it stopped, so CI annotates a spec file rather than
 * a made-up path. */
function stoppedRunErrors(error: TatAssertError, specs: Spec[]): RunReport["errors"] {
  if (error instanceof SpecError && error.issues.length > 0) {
    return error.issues.map((issue) => ({
      kind: error.kind,
      message: formatIssue(issue),
      where: issue.where,
    }));
  }
  const first = specs[0];
  return [{ kind: error.kind, message: error.message, ...(first && { where: first.where }) }];
}

/** Every secret the provider ever hands out (temporary ones are refreshed mid-wait) goes into
 * `secrets`, which the run reads when it masks the report. */
function rememberingSecrets(base: CredentialProvider, secrets: Set<string>): CredentialProvider {
  return {
    source: base.source,
    get: async (signal?: AbortSignal): Promise<Credentials> => {
      const c = await base.get(signal);
      secrets.add(c.secretKey);
      if (c.token) secrets.add(c.token);
      return c;
    },
  };
}
