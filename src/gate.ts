// The gate as a library call: options → specs → credentials → run → RunReport. The CLI and the
// GitHub Action are thin adapters over this; neither holds logic of its own.

import { expandSpecPatterns } from "./cli/expand.js";
import { type CredentialOptions, resolveCredentials } from "./credentials/chain.js";
import type { CredentialProvider, Credentials } from "./credentials/types.js";
import { SpecError, TatAssertError, UsageError } from "./errors.js";
import { exitCodeForError } from "./exit-code.js";
import type { RunReport, Spec } from "./model.js";
import { consoleReporter } from "./report/console.js";
import { redactReport, redactText } from "./report/redact.js";
import { automaticReporters, createReporters, type ReporterContext } from "./report/registry.js";
import type { Reporter } from "./report/reporter.js";
import { abortableSleep, endReporters, run } from "./run.js";
import { type Shard, shardFiles } from "./shard.js";
import { loadSpecFiles } from "./spec/load.js";
import { runReport } from "./summarize.js";
import { TatClient } from "./tat/client.js";
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
  /** --shard i/n: this CI job checks only its share of the spec files (src/shard.ts). */
  shard?: Shard;
}

export interface GateOptions extends GateRunOptions {
  credentials: CredentialOptions;
  /** Credentials provider given directly (library use, the demo); skips the chain. */
  credentialProvider?: CredentialProvider;
  github?: ReporterContext["github"];
}

export interface GateIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
  cwd: string;
  homeDir: string;
  signal?: AbortSignal;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}

export async function loadGateSpecs(
  patterns: string[],
  io: Pick<GateIo, "cwd" | "env">,
  shard?: Shard,
) {
  const expanded = await expandSpecPatterns(patterns, io.cwd);
  const files = shard ? shardFiles(expanded, shard) : expanded;
  const { specs, issues } = await loadSpecFiles(files, { env: io.env, cwd: io.cwd });
  if (issues.length > 0) throw new SpecError(issues);
  return specs;
}

export async function runGate(options: GateOptions, io: GateIo): Promise<RunReport> {
  const now = io.now ?? Date.now;
  const startedAt = now();
  const secrets = new Set<string>();
  for (const s of [
    options.credentials.secretKey,
    options.credentials.sessionToken,
    options.github?.token,
    io.env.GITHUB_TOKEN,
    // Known before any provider runs, so even a run stopped by an invalid spec masks them.
    io.env.TENCENTCLOUD_SECRET_KEY,
    io.env.TENCENTCLOUD_SESSION_TOKEN,
    io.env.TENCENTCLOUD_TOKEN,
    io.env.TENCENTCLOUD_SECURITY_TOKEN,
  ]) {
    if (s) secrets.add(s);
  }
  const ctx: ReporterContext = {
    env: io.env,
    cwd: io.cwd,
    stderr: io.stderr,
    stdout: io.stdout,
    ...(io.now && { now: io.now }),
    ...(io.fetch && { fetch: io.fetch }),
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
  const warn = (m: string) => io.stderr.write(`warning: ${m}\n`);

  let specs: Spec[];
  let provider: CredentialProvider;
  try {
    specs = await loadGateSpecs(options.patterns, io, options.shard);
    requireRegions(specs, options.region ?? io.env.TENCENTCLOUD_REGION);
    const base =
      options.credentialProvider ??
      (await resolveCredentials(options.credentials, {
        env: io.env,
        homeDir: io.homeDir,
        ...(io.fetch && { fetch: io.fetch }),
        ...(io.now && { now: io.now }),
      }));
    if (options.verbose) io.stderr.write(`credentials: ${base.source}\n`);
    provider = rememberingSecrets(base, secrets);
  } catch (error) {
    if (!(error instanceof TatAssertError)) throw error;
    // A spec that interpolates a secret quotes it in its messages: mask them before anyone prints.
    const masked = maskError(error, [...secrets]);
    await reportStoppedRun(masked, reporters, { startedAt, endedAt: now(), secrets, warn });
    throw masked;
  }

  const region = options.region ?? io.env.TENCENTCLOUD_REGION;
  const client = new TatClient({
    credentials: provider,
    ...(options.endpoint && { endpoint: options.endpoint }),
    ...(region && { region }),
    ...(io.fetch && { fetch: io.fetch }),
  });
  const color = Boolean(io.stdout.isTTY) && io.env.NO_COLOR === undefined && io.env.TERM !== "dumb";
  const human = consoleReporter({
    out: io.stdout,
    live: Boolean(io.stdout.isTTY) && io.env.CI === undefined,
    color,
    quiet: options.quiet,
    verbose: options.verbose,
    ...(io.now && { now: io.now }),
  });
  return run({
    specs,
    // One reader for every spec: calls of the same round share requests (batching-reader.ts).
    api: batchingReader(tatReader(client)),
    reporters: [human, ...reporters],
    version: VERSION,
    now,
    sleep: abortableSleep,
    ...(io.signal && { signal: io.signal }),
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    ...(options.region !== undefined && { regionFlag: options.region }),
    ...(io.env.TENCENTCLOUD_REGION && { regionEnv: io.env.TENCENTCLOUD_REGION }),
    failFast: options.failFast,
    secrets,
    warn,
  });
}

function requireRegions(specs: Spec[], fallback: string | undefined): void {
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
  o: { startedAt: number; endedAt: number; secrets: Set<string>; warn: (m: string) => void },
): Promise<void> {
  const report = redactReport(
    runReport({
      version: VERSION,
      startedAt: o.startedAt,
      endedAt: o.endedAt,
      specs: [],
      errors: [{ kind: error.kind, message: error.message }],
      extraExitCodes: [exitCodeForError(error.kind)],
    }),
    [...o.secrets],
  );
  await endReporters(reporters, report, o.warn, [...o.secrets]);
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
