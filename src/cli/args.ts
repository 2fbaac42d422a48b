// argv → typed options. Every mistake is a UsageError that names the option and says what is wanted.
import { parseArgs } from "node:util";
import { UsageError } from "../errors.js";
import type { GateRunOptions } from "../gate.js";
import { parseShard } from "../shard.js";
import { parseDuration } from "../spec/duration.js";

/** The gate's own options plus the flags that become its credentials and GitHub settings. */
export interface GateArgs extends GateRunOptions {
  command: "run" | "validate";
  profile?: string;
  roleArn?: string;
  providerId?: string;
  oidcAudience?: string;
  stsEndpoint?: string;
  githubToken?: string;
  checkName?: string;
}

export type ParsedArgs =
  | { command: "help" }
  | { command: "version" }
  | { command: "emulator"; argv: string[] }
  | { command: "demo"; failing: boolean; argv: string[] }
  | GateArgs;

export const USAGE = `Usage:
  tat-assert [options] <spec files or globs...>   wait for the tasks, check the specs, report
  tat-assert validate <spec files or globs...>    check specs without calling the API
  tat-assert emulator --scenario FILE [--port N] [--host H] [--speed X]
                                                  serve a local TAT emulator
  tat-assert demo [--failing]                     run the demo specs against the embedded emulator

Options:
  --region REGION        TAT region of specs that name none (else TENCENTCLOUD_REGION)
  --endpoint URL|HOST    TAT endpoint (default tat.tencentcloudapi.com; any URL, e.g. an emulator)
  --timeout DURATION     replaces every spec's wait.timeout (e.g. 90s, 10m, 1h30m)
  --reporter NAME[:ARG]  repeatable: junit[:path], junit-strict[:path], json[:path],
                         github-check[:check name] (the console is always on)
  --fail-fast            stop waiting as soon as a spec can no longer pass
  --shard I/N            check only share I of N of the spec files (one CI job of N)
  --quiet                print only failures and the totals
  --verbose              also print passing checks and where credentials came from
  --profile NAME         credentials profile (~/.tencentcloud/credentials, ~/.tccli)
  --role-arn ARN         assume this role with OIDC web identity (GitHub Actions, TKE)
  --provider-id ID       OIDC identity provider name (default OIDC)
  --oidc-audience AUD    audience of the GitHub Actions ID token
  --sts-endpoint URL     STS for OIDC (default sts.tencentcloudapi.com; international site:
                         sts.intl.tencentcloudapi.com)
  --github-token TOKEN   token for the github-check reporter (default GITHUB_TOKEN)
  --check-name NAME      name of the GitHub check run (default tat-assert)
  -h, --help             show this help
  -v, --version          print the version

Credentials: TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY (+ TENCENTCLOUD_SESSION_TOKEN),
credential files, OIDC or the CVM role; see the README.

Exit codes: 0 passed, 1 an expectation failed, 2 invalid spec or usage, 3 could not verify,
4 the TAT API refused or failed, 5 passed but a requested report could not be written,
70 internal error.
`;

const OPTIONS = {
  region: { type: "string" },
  endpoint: { type: "string" },
  timeout: { type: "string" },
  reporter: { type: "string", multiple: true },
  "fail-fast": { type: "boolean" },
  shard: { type: "string" },
  quiet: { type: "boolean", short: "q" },
  verbose: { type: "boolean" },
  profile: { type: "string" },
  "role-arn": { type: "string" },
  "provider-id": { type: "string" },
  "oidc-audience": { type: "string" },
  "sts-endpoint": { type: "string" },
  "github-token": { type: "string" },
  "check-name": { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

export function parseCommandLine(argv: string[]): ParsedArgs {
  const [first, ...rest] = argv;
  if (first === "emulator") return { command: "emulator", argv: rest };
  if (first === "demo") {
    const failing = rest.includes("--failing");
    return { command: "demo", failing, argv: rest.filter((a) => a !== "--failing") };
  }
  const command = first === "validate" ? "validate" : "run";
  const args = command === "validate" ? rest : argv;
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nRun tat-assert --help for the options.`);
  }
  const v = parsed.values;
  if (v.help) return { command: "help" };
  if (v.version) return { command: "version" };
  if (parsed.positionals.length === 0) {
    throw new UsageError("no spec files given: tat-assert [options] <spec files or globs...>");
  }
  if (v.quiet && v.verbose) throw new UsageError("--quiet and --verbose cannot be used together");
  const out: GateArgs = {
    command,
    patterns: parsed.positionals,
    reporters: v.reporter ?? [],
    failFast: v["fail-fast"] ?? false,
    quiet: v.quiet ?? false,
    verbose: v.verbose ?? false,
  };
  if (v.timeout !== undefined) {
    const ms = parseDuration(v.timeout);
    if (ms === undefined || ms <= 0) {
      throw new UsageError(
        `--timeout ${JSON.stringify(v.timeout)} is not a duration; use e.g. 90s, 10m or 1h30m`,
      );
    }
    out.timeoutMs = ms;
  }
  if (v.shard !== undefined) out.shard = parseShard(v.shard);
  if (v.region !== undefined) out.region = nonEmpty("--region", v.region);
  if (v.endpoint !== undefined) out.endpoint = nonEmpty("--endpoint", v.endpoint);
  if (v.profile !== undefined) out.profile = nonEmpty("--profile", v.profile);
  if (v["role-arn"] !== undefined) out.roleArn = nonEmpty("--role-arn", v["role-arn"]);
  if (v["provider-id"] !== undefined) out.providerId = nonEmpty("--provider-id", v["provider-id"]);
  if (v["oidc-audience"] !== undefined)
    out.oidcAudience = nonEmpty("--oidc-audience", v["oidc-audience"]);
  if (v["sts-endpoint"] !== undefined)
    out.stsEndpoint = nonEmpty("--sts-endpoint", v["sts-endpoint"]);
  if (v["github-token"] !== undefined) out.githubToken = v["github-token"];
  if (v["check-name"] !== undefined) out.checkName = nonEmpty("--check-name", v["check-name"]);
  return out;
}

function nonEmpty(flag: string, value: string): string {
  if (value.trim() === "") throw new UsageError(`${flag} needs a value`);
  return value;
}
