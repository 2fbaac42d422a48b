// The gate as a library call: options → specs → credentials → run → RunReport. The CLI and the
// GitHub Action are thin adapters over this; neither holds logic of its own.

import { expandSpecPatterns } from "./cli/expand.js";
import { type CredentialOptions, resolveCredentials } from "./credentials/chain.js";
import type { CredentialProvider, Credentials } from "./credentials/types.js";
import { SpecError, UsageError } from "./errors.js";
import type { RunReport } from "./model.js";
import { consoleReporter } from "./report/console.js";
import { automaticReporters, createReporters, type ReporterContext } from "./report/registry.js";
import { abortableSleep, run } from "./run.js";
import { loadSpecFiles } from "./spec/load.js";
import { TatClient } from "./tat/client.js";
import { VERSION } from "./version.js";
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

export async function loadGateSpecs(patterns: string[], io: Pick<GateIo, "cwd" | "env">) {
  const files = await expandSpecPatterns(patterns, io.cwd);
  const { specs, issues } = await loadSpecFiles(files, { env: io.env, cwd: io.cwd });
  if (issues.length > 0) throw new SpecError(issues);
  return specs;
}

export async function runGate(options: GateOptions, io: GateIo): Promise<RunReport> {
  const specs = await loadGateSpecs(options.patterns, io);
  const regionless = specs.filter(
    (s) => !s.skip && !(options.region ?? s.region ?? io.env.TENCENTCLOUD_REGION),
  );
  if (regionless.length > 0) {
    const where = regionless.map((s) => `${s.name} (${s.file}:${s.where.line})`).join(", ");
    throw new UsageError(
      `no TAT region for ${where}: give --region, \`region:\` in the spec, or TENCENTCLOUD_REGION`,
    );
  }
  const secrets = new Set<string>();
  const base =
    options.credentialProvider ??
    (await resolveCredentials(options.credentials, {
      env: io.env,
      homeDir: io.homeDir,
      ...(io.fetch && { fetch: io.fetch }),
      ...(io.now && { now: io.now }),
    }));
  if (options.verbose) io.stderr.write(`credentials: ${base.source}\n`);
  const provider = rememberingSecrets(base, secrets);
  for (const s of [
    options.credentials.secretKey,
    options.credentials.sessionToken,
    options.github?.token,
    io.env.GITHUB_TOKEN,
  ]) {
    if (s) secrets.add(s);
  }
  const region = options.region ?? io.env.TENCENTCLOUD_REGION;
  const client = new TatClient({
    credentials: provider,
    ...(options.endpoint && { endpoint: options.endpoint }),
    ...(region && { region }),
    ...(io.fetch && { fetch: io.fetch }),
  });
  const color = Boolean(io.stdout.isTTY) && io.env.NO_COLOR === undefined && io.env.TERM !== "dumb";
  const ctx: ReporterContext = {
    env: io.env,
    cwd: io.cwd,
    stderr: io.stderr,
    stdout: io.stdout,
    ...(io.now && { now: io.now }),
    ...(io.fetch && { fetch: io.fetch }),
    ...(options.github && { github: options.github }),
  };
  const reporters = [
    consoleReporter({
      out: io.stdout,
      live: Boolean(io.stdout.isTTY) && io.env.CI === undefined,
      color,
      quiet: options.quiet,
      verbose: options.verbose,
      ...(io.now && { now: io.now }),
    }),
    ...createReporters(
      options.reporters.filter((r) => r !== "console"),
      ctx,
    ),
    ...automaticReporters(ctx),
  ];
  const report = await run({
    specs,
    api: tatReader(client),
    reporters,
    version: VERSION,
    ...(io.now && { now: io.now }),
    sleep: abortableSleep,
    ...(io.signal && { signal: io.signal }),
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    ...(options.region !== undefined && { regionFlag: options.region }),
    ...(io.env.TENCENTCLOUD_REGION && { regionEnv: io.env.TENCENTCLOUD_REGION }),
    failFast: options.failFast,
    secrets,
    warn: (m) => io.stderr.write(`warning: ${m}\n`),
  });
  const unwritten = report.errors.filter((e) => e.kind === "reporter").length;
  if (unwritten > 0) {
    io.stderr.write(
      `tat-assert: exit ${report.exitCode}: ${unwritten} requested report${unwritten === 1 ? "" : "s"} could not be written (see above)\n`,
    );
  }
  return report;
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
