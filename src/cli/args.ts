// argv → typed options. Every mistake is a UsageError that names the option and says what is wanted.
import { parseArgs } from "node:util";
import { cosEndpointUrl } from "../cos/cos-url.js";
import {
  durationSetting,
  REPORTER_TIMEOUT_EXAMPLES,
  TIMEOUT_EXAMPLES,
} from "../duration-setting.js";
import { UsageError } from "../errors.js";
import type { GateRunOptions } from "../gate.js";
import { hideUserinfo } from "../net/hide-userinfo.js";
import { parseShard } from "../shard.js";
import { closestMatch } from "../spec/suggest.js";

/** The gate's own options plus the flags that become its credentials and GitHub settings. */
export interface GateArgs extends GateRunOptions {
  command: "run" | "validate" | "explain";
  profile?: string;
  roleArn?: string;
  providerId?: string;
  oidcAudience?: string;
  stsEndpoint?: string;
  githubToken?: string;
  checkName?: string;
  /** Run against an in-process emulator serving this scenario (see src/cli/replay.ts). */
  replay?: string;
  replaySpeed?: number;
  /** `explain --demo [--failing]`: the demo's specs against its embedded emulator. */
  demo?: "passing" | "failing";
}

/** Commands with a usage of their own (`tat-assert help validate`, `validate --help`). */
export type HelpTopic = "validate" | "demo" | "emulator" | "explain";
const TOPICS: readonly HelpTopic[] = ["validate", "demo", "emulator", "explain"];

export type ParsedArgs =
  | { command: "help"; topic?: HelpTopic }
  | { command: "version" }
  | { command: "emulator"; argv: string[] }
  | { command: "record"; argv: string[] }
  | { command: "launch"; argv: string[] }
  | { command: "demo"; failing: boolean; argv: string[] }
  | GateArgs;

export const USAGE = `Usage:
  tat-assert [options] <spec files or globs...>   wait for the tasks, check the specs, report
  tat-assert validate [--strict] <spec files...>  check specs without calling the API
  tat-assert explain [options] <spec files...>    the gate, telling every check: what it read,
                                                  why it held or not (also --replay, --demo)
  tat-assert run [--dry-run] [--no-cancel] [options] <spec files...>
                                                  start the \`run:\` specs' commands, then judge them
  tat-assert emulator --scenario FILE [--port N] [--host H] [--speed X]
                                                  serve a local TAT emulator
  tat-assert demo [--failing]                     run the demo specs against the embedded emulator
  tat-assert record --invocation inv-… > rec.yml  write what the API answered as a scenario
  tat-assert demo --run [--failing]               start a runbook from examples/ on the emulator's
                                                  local agent (it runs here) and judge it
  tat-assert help [validate|demo|emulator|explain]
                                                  show this help, or a command's
  tat-assert version                              print the version

A spec file named - is read from standard input.

Options:
  --region REGION        TAT region of specs that name none (else TENCENTCLOUD_REGION)
  --endpoint URL|HOST    TAT endpoint (default tat.tencentcloudapi.com; any URL, e.g. an emulator)
  --cos-endpoint URL     read full logs from this COS endpoint (path-style, e.g. an emulator or
                         a private gateway) instead of each OutputUrl's bucket host; it receives
                         the credentials. Without it, only https://<bucket>.cos.<region>.myqcloud.com
  --timeout DURATION     replaces every spec's wait.timeout (e.g. 90s, 10m, 1h30m)
  --reporter NAME[:ARG]  repeatable: junit[:path], junit-strict[:path], json[:path],
                         html[:path], github-check[:check name] (the console is always on);
                         a path of - is standard output (the console then goes to standard error)
  --fail-fast            stop waiting as soon as a spec can no longer pass
  --strict               spec warnings (e.g. a filters target without since) are errors, exit 2
  --shard I/N            check only share I of N of the spec files (one CI job of N)
  --quiet                print only failures and the totals
  --verbose              also print passing checks and where credentials came from
  --color, --no-color    colour on or off (default: on a terminal that has colours, honouring
                         NO_COLOR, FORCE_COLOR and TERM=dumb; in CI logs only with FORCE_COLOR)
  --reporter-timeout DURATION
                         time reporters get to finish after the verdict (default 30s); one
                         still busy then is abandoned and the run exits 5
  --profile NAME         credentials profile (~/.tencentcloud/credentials, ~/.tccli)
  --role-arn ARN         assume this role with OIDC web identity (GitHub Actions, TKE)
  --provider-id ID       OIDC identity provider name (default OIDC)
  --oidc-audience AUD    audience of the GitHub Actions ID token
  --sts-endpoint URL     STS for OIDC (default sts.tencentcloudapi.com; international site:
                         sts.intl.tencentcloudapi.com)
  --github-token TOKEN   token for the github-check reporter (default GITHUB_TOKEN)
  --check-name NAME      name of the GitHub check run (default tat-assert)
  --replay FILE          run against an in-process emulator serving this scenario (e.g. one
                         \`tat-assert record\` wrote): no network, no credentials
  --replay-speed N       play the recorded timelines at N× (default: start at their end)
  -h, --help             show this help (alone: with spec files it is a usage error)
  --version              print the version (alone, likewise)

Credentials: TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY (+ TENCENTCLOUD_SESSION_TOKEN),
credential files, OIDC or the CVM role; see the README.

Exit codes: 0 passed, 1 an expectation failed, 2 invalid spec or usage, 3 could not verify,
4 the TAT API refused or failed, 5 passed but a requested report could not be written,
70 internal error. Every spec skipped: exit 0, "nothing was checked". SIGINT/SIGTERM: the
first stops the wait and reports (3), a second exits 3 at once.
`;

const OPTIONS = {
  region: { type: "string" },
  endpoint: { type: "string" },
  "cos-endpoint": { type: "string" },
  timeout: { type: "string" },
  reporter: { type: "string", multiple: true },
  "fail-fast": { type: "boolean" },
  strict: { type: "boolean" },
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
  replay: { type: "string" },
  "replay-speed": { type: "string" },
  color: { type: "boolean" },
  "no-color": { type: "boolean" },
  "reporter-timeout": { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
  demo: { type: "boolean" },
  failing: { type: "boolean" },
} as const;

/** What `validate` takes; the gate's other options would be ignored there. */
const VALIDATE_OPTIONS: readonly string[] = ["strict", "help", "version"];

/** Options only `explain` takes: the others neither accept nor suggest them. */
const EXPLAIN_ONLY: readonly string[] = ["demo", "failing"];

export const VALIDATE_USAGE = `Usage: tat-assert validate [--strict] <spec files or globs...>

Checks the specs (schema, patterns, ids, durations) without calling the TAT API and without
credentials. A spec file named - is read from standard input.

  --strict    spec warnings (e.g. a filters target without since) are errors, exit 2

The gate's other options (--reporter, --shard, …) are refused: validate writes no report.

Exit codes: 0 every spec is valid, 2 a spec or the command line is invalid.
`;

export const DEMO_USAGE = `Usage: tat-assert demo [--failing]
       tat-assert demo --run [--failing]

Starts the TAT emulator on loopback with a demo scenario and runs the real gate against it, with
no cloud account. --failing runs specs that fail, to show what a failure looks like.
--run starts a runbook from examples/ on the emulator's local agent (it runs here, sh -c in a
temporary directory) and judges it as \`tat-assert run\` does; with --failing, the same runbook
with a bug.
`;

/** Unknown options get a did-you-mean, as spec keys do; \`-v\` is read as hurl users mean it. */
function unknownOptions(args: string[], explain = false): void {
  const { tokens } = parseArgs({
    args,
    options: OPTIONS,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const known = Object.keys(OPTIONS).filter((k) => explain || !EXPLAIN_ONLY.includes(k));
  for (const t of tokens) {
    if (t.kind !== "option" || known.includes(t.name)) continue;
    if (t.rawName === "-v") {
      throw new UsageError(
        "-v is not an option: use --verbose to print passing checks too (--version prints the version)",
      );
    }
    const guess = closestMatch(t.name, known);
    const help = explain ? "tat-assert explain --help" : "tat-assert --help";
    throw new UsageError(
      `unknown option ${t.rawName}${guess ? ` (did you mean --${guess}?)` : ""}\nRun ${help} for the options.`,
    );
  }
}

export function parseCommandLine(argv: string[]): ParsedArgs {
  const [first, ...rest] = argv;
  if (first === "help") {
    const [topic, ...extra] = rest;
    if (topic === undefined) return { command: "help" };
    if (extra.length > 0 || !(TOPICS as readonly string[]).includes(topic)) {
      const guess = closestMatch(topic, TOPICS);
      throw new UsageError(
        `no help on ${JSON.stringify(rest.join(" "))}${guess ? ` (did you mean \`help ${guess}\`?)` : ""}; topics: ${TOPICS.join(", ")}`,
      );
    }
    return { command: "help", topic: topic as HelpTopic };
  }
  if (first === "version") {
    if (rest.length > 0) throw new UsageError(`version takes no arguments, not ${rest.join(" ")}`);
    return { command: "version" };
  }
  if (first === "emulator") return { command: "emulator", argv: rest };
  if (first === "record") return { command: "record", argv: rest };
  if (first === "run") return { command: "launch", argv: rest };
  if (first === "demo") {
    if (rest.length === 1 && (rest[0] === "--help" || rest[0] === "-h"))
      return { command: "help", topic: "demo" };
    const failing = rest.includes("--failing");
    return { command: "demo", failing, argv: rest.filter((a) => a !== "--failing") };
  }
  const command = first === "validate" ? "validate" : first === "explain" ? "explain" : "run";
  const args = command === "run" ? argv : rest;
  unknownOptions(args, command === "explain");
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nRun tat-assert --help for the options.`);
  }
  onceEach(args);
  const v = parsed.values;
  // Help or the version with spec files would exit 0 having checked nothing.
  for (const flag of ["help", "version"] as const) {
    if (!v[flag]) continue;
    if (parsed.positionals.length > 0) {
      throw new UsageError(
        `--${flag} cannot be given with spec files (${parsed.positionals.join(" ")}): nothing would be checked; run \`tat-assert --${flag}\` alone`,
      );
    }
  }
  if (v.help) return command === "run" ? { command: "help" } : { command: "help", topic: command };
  if (command === "validate") {
    // validate polls nothing and writes no report: `validate --reporter junit:out.xml` exited 0
    // with no file, and `--shard` checked every file rather than the share.
    const ignored = Object.keys(v).filter((k) => !VALIDATE_OPTIONS.includes(k));
    if (ignored.length > 0)
      throw new UsageError(
        `validate checks specs without calling the API and takes only --strict, not ${ignored.map((k) => `--${k}`).join(" ")}`,
      );
  }
  if (v.version) return { command: "version" };
  if (command === "explain" && v.demo) {
    if (parsed.positionals.length > 0)
      throw new UsageError(
        `explain --demo checks the demo's own specs: drop ${parsed.positionals.join(" ")}`,
      );
    // The demo runs its own fixed gate: any other option would be silently ignored.
    const others = Object.keys(v).filter((k) => !EXPLAIN_ONLY.includes(k));
    if (others.length > 0)
      throw new UsageError(
        `explain --demo takes only --failing, not ${others.map((k) => `--${k}`).join(" ")}`,
      );
  } else if (v.failing) {
    throw new UsageError("--failing goes with --demo: tat-assert explain --demo --failing");
  } else if (parsed.positionals.length === 0) {
    const how = command === "explain" ? "tat-assert explain [options]" : "tat-assert [options]";
    throw new UsageError(`no spec files given: ${how} <spec files or globs...>`);
  }
  if (v.quiet && v.verbose) throw new UsageError("--quiet and --verbose cannot be used together");
  if (v.color && v["no-color"])
    throw new UsageError("--color and --no-color cannot be used together");
  const out: GateArgs = {
    command,
    patterns: parsed.positionals,
    reporters: v.reporter ?? [],
    failFast: v["fail-fast"] ?? false,
    quiet: v.quiet ?? false,
    verbose: v.verbose ?? false,
  };
  if (v.demo) out.demo = v.failing ? "failing" : "passing";
  if (v.strict) out.strict = true;
  if (v.color) out.color = true;
  if (v["no-color"]) out.color = false;
  if (v["reporter-timeout"] !== undefined) {
    out.reporterTimeoutMs = durationSetting(v["reporter-timeout"], {
      label: "--reporter-timeout",
      examples: REPORTER_TIMEOUT_EXAMPLES,
      timer: true,
    });
  }
  if (v.timeout !== undefined) {
    out.timeoutMs = durationSetting(v.timeout, { label: "--timeout", examples: TIMEOUT_EXAMPLES });
  }
  if (v.shard !== undefined) out.shard = parseShard(v.shard);
  if (v.region !== undefined) out.region = nonEmpty("--region", v.region);
  if (v.endpoint !== undefined) out.endpoint = nonEmpty("--endpoint", v.endpoint);
  if (v["cos-endpoint"] !== undefined) out.cosEndpoint = cosEndpoint(v["cos-endpoint"]);
  if (v.profile !== undefined) out.profile = nonEmpty("--profile", v.profile);
  if (v["role-arn"] !== undefined) out.roleArn = nonEmpty("--role-arn", v["role-arn"]);
  if (v["provider-id"] !== undefined) out.providerId = nonEmpty("--provider-id", v["provider-id"]);
  if (v["oidc-audience"] !== undefined)
    out.oidcAudience = nonEmpty("--oidc-audience", v["oidc-audience"]);
  if (v["sts-endpoint"] !== undefined)
    out.stsEndpoint = nonEmpty("--sts-endpoint", v["sts-endpoint"]);
  if (v["github-token"] !== undefined) out.githubToken = v["github-token"];
  if (v["check-name"] !== undefined) out.checkName = nonEmpty("--check-name", v["check-name"]);
  if (v.replay !== undefined) out.replay = nonEmpty("--replay", v.replay);
  if (v["replay-speed"] !== undefined) {
    const speed = Number(v["replay-speed"]);
    if (!(speed > 0) || !Number.isFinite(speed))
      throw new UsageError(
        `--replay-speed ${JSON.stringify(v["replay-speed"])} is not a positive number`,
      );
    if (out.replay === undefined) throw new UsageError("--replay-speed needs --replay FILE");
    out.replaySpeed = speed;
  }
  if (out.replay !== undefined && out.endpoint !== undefined)
    throw new UsageError("--replay serves its own endpoint: drop --endpoint");
  if (out.replay !== undefined && out.cosEndpoint !== undefined)
    throw new UsageError("--replay serves its own COS endpoint: drop --cos-endpoint");
  return out;
}

/** An option that takes one value, given twice, would silently lose the first: `--shard 1/4`
 * in a job's script and another `--shard 2/4` from a matrix variable make two jobs check the same
 * share and none the other, every job green. The values are not quoted: one may be a token. */
function onceEach(args: string[]): void {
  const { tokens } = parseArgs({ args, options: OPTIONS, allowPositionals: true, tokens: true });
  const seen = new Map<string, number>();
  for (const t of tokens) {
    if (t.kind !== "option" || t.value === undefined) continue;
    const option = OPTIONS[t.name as keyof typeof OPTIONS];
    if ("multiple" in option && option.multiple) continue;
    seen.set(t.name, (seen.get(t.name) ?? 0) + 1);
  }
  for (const [name, times] of seen) {
    if (times > 1)
      throw new UsageError(
        `--${name} is given ${times} times; give it once (a later one would replace the first)`,
      );
  }
}

function cosEndpoint(value: string): string {
  const url = cosEndpointUrl(nonEmpty("--cos-endpoint", value));
  if (url === undefined) {
    throw new UsageError(
      `--cos-endpoint ${JSON.stringify(hideUserinfo(value))} is not an http(s) URL without user, query or fragment; use e.g. https://cos-gateway.example.com`,
    );
  }
  return url;
}

function nonEmpty(flag: string, value: string): string {
  if (value.trim() === "") throw new UsageError(`${flag} needs a value`);
  return value;
}
