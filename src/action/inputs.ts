// Action inputs (INPUT_* variables) → the same options the CLI takes. No logic of its own beyond
// reading and checking the inputs; every input is declared in action.yml (a test keeps the two
// in step).
import { cosEndpointUrl } from "../cos/cos-url.js";
import type { CredentialOptions } from "../credentials/chain.js";
import {
  durationSetting,
  REPORTER_TIMEOUT_EXAMPLES,
  TIMEOUT_EXAMPLES,
} from "../duration-setting.js";
import { UsageError } from "../errors.js";
import type { GateOptions } from "../gate.js";
import { hideUserinfo } from "../net/hide-userinfo.js";
import { DEFAULT_HTML_PATH } from "../report/html.js";
import { DEFAULT_JSON_PATH } from "../report/json.js";
import { DEFAULT_JUNIT_PATH } from "../report/junit.js";
import { parseReporterSpec } from "../report/registry.js";
import { parseShard } from "../shard.js";

type Env = Record<string, string | undefined>;

/** `any`: a failed or unverified gate fails the step. `never`: it only reports. */
export type FailOn = "any" | "never";

export interface ActionInputs {
  gate: GateOptions;
  failOn: FailOn;
  /** Report files the run writes, as given (relative to the workspace), for the step outputs. */
  reportPaths: { junit?: string; json?: string; html?: string };
  /** `gate` judges what already ran; `run` starts the specs' `run:` commands first (src/launch). */
  mode: "gate" | "run";
  /** `run` mode: cancel unfinished tasks when the wait ends early (input `cancel`). */
  cancel: boolean;
}

/** Inputs whose values are secrets: masked in the log before anything else is printed. */
export const SECRET_INPUTS = ["secret-key", "session-token", "github-token"] as const;

/** The runner upper-cases input names and replaces spaces with underscores; hyphens stay. */
export function input(env: Env, name: string): string | undefined {
  const value = env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`]?.trim();
  return value === "" ? undefined : value;
}

/** The secret inputs' values, read without any checking so they can be masked first. */
export function secretInputs(env: Env): string[] {
  return SECRET_INPUTS.map((name) => input(env, name)).filter((v): v is string => v !== undefined);
}

/** A multi-line input: one item a line; blank lines and `#` comments are skipped. */
function lines(value: string | undefined): string[] {
  return (value ?? "")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const v = input(env, name);
  if (v === undefined) return fallback;
  if (/^(true|yes|1)$/i.test(v)) return true;
  if (/^(false|no|0)$/i.test(v)) return false;
  throw new UsageError(`input ${name}: expected true or false, got ${JSON.stringify(v)}`);
}

function failOnInput(env: Env): FailOn {
  const v = input(env, "fail-on") ?? "any";
  if (v !== "any" && v !== "never") {
    throw new UsageError(`input fail-on: expected "any" or "never", got ${JSON.stringify(v)}`);
  }
  return v;
}

function timeoutInput(env: Env): number | undefined {
  const v = input(env, "timeout");
  if (v === undefined) return undefined;
  return durationSetting(v, { label: "input timeout:", examples: TIMEOUT_EXAMPLES });
}

function reporterTimeoutInput(env: Env): number | undefined {
  const v = input(env, "reporter-timeout");
  if (v === undefined) return undefined;
  return durationSetting(v, {
    label: "input reporter-timeout:",
    examples: REPORTER_TIMEOUT_EXAMPLES,
    timer: true,
  });
}

/** `reporters`, then `junit-path`, `json-path` and `html-path` as junit:/json:/html: reporters, then the check run. */
function reportersInput(env: Env): string[] {
  const reporters = lines(input(env, "reporters"));
  const junitPath = input(env, "junit-path");
  const jsonPath = input(env, "json-path");
  const htmlPath = input(env, "html-path");
  if (junitPath) reporters.push(`junit:${junitPath}`);
  if (jsonPath) reporters.push(`json:${jsonPath}`);
  if (htmlPath) reporters.push(`html:${htmlPath}`);
  const named = (name: string) => reporters.some((r) => parseReporterSpec(r).name === name);
  if (bool(env, "check-run", true) && !named("github-check")) reporters.push("github-check");
  return reporters;
}

/** Where the file reporters write: their path argument, or their default. */
function reportPaths(reporters: string[]): ActionInputs["reportPaths"] {
  const paths: ActionInputs["reportPaths"] = {};
  for (const spec of reporters) {
    const { name, arg } = parseReporterSpec(spec);
    if ((name === "junit" || name === "junit-strict") && paths.junit === undefined)
      paths.junit = arg ?? DEFAULT_JUNIT_PATH;
    if (name === "json" && paths.json === undefined) paths.json = arg ?? DEFAULT_JSON_PATH;
    if (name === "html" && paths.html === undefined) paths.html = arg ?? DEFAULT_HTML_PATH;
  }
  return paths;
}

function credentialInputs(env: Env): CredentialOptions {
  const secretId = input(env, "secret-id");
  const secretKey = input(env, "secret-key");
  if ((secretId === undefined) !== (secretKey === undefined)) {
    throw new UsageError(
      `inputs secret-id and secret-key go together: ${secretId === undefined ? "secret-key" : "secret-id"} is set but ${secretId === undefined ? "secret-id" : "secret-key"} is empty (an unset repository secret reads as empty)`,
    );
  }
  return defined({
    secretId,
    secretKey,
    sessionToken: input(env, "session-token"),
    roleArn: input(env, "role-arn"),
    providerId: input(env, "provider-id"),
    roleSessionName: input(env, "role-session-name"),
    oidcAudience: input(env, "oidc-audience"),
    stsEndpoint: input(env, "sts-endpoint"),
  });
}

export function readInputs(env: Env): ActionInputs {
  const patterns = lines(input(env, "specs"));
  if (patterns.length === 0) {
    throw new UsageError("input specs: give at least one spec file or glob, one per line");
  }
  const reporters = reportersInput(env);
  const timeoutMs = timeoutInput(env);
  const reporterTimeoutMs = reporterTimeoutInput(env);
  const shard = input(env, "shard");
  const gate: GateOptions = {
    patterns,
    reporters,
    failFast: bool(env, "fail-fast", false),
    quiet: false,
    verbose: bool(env, "verbose", false),
    ...defined({ region: input(env, "region"), endpoint: input(env, "endpoint") }),
    ...(timeoutMs !== undefined && { timeoutMs }),
    ...(reporterTimeoutMs !== undefined && { reporterTimeoutMs }),
    ...(bool(env, "strict", false) && { strict: true }),
    ...(shard !== undefined && { shard: parseShard(shard, "input shard:") }),
    ...defined({ cosEndpoint: cosEndpointInput(env) }),
    credentials: credentialInputs(env),
    github: defined({ token: input(env, "github-token"), checkName: input(env, "check-name") }),
  };
  return {
    gate,
    failOn: failOnInput(env),
    // The path inputs name the files their outputs report, whatever `reporters` lists besides.
    reportPaths: {
      ...reportPaths(reporters),
      ...defined({
        junit: input(env, "junit-path"),
        json: input(env, "json-path"),
        html: input(env, "html-path"),
      }),
    },
    mode: modeInput(env),
    cancel: bool(env, "cancel", true),
  };
}

function cosEndpointInput(env: Env): string | undefined {
  const v = input(env, "cos-endpoint");
  if (v === undefined) return undefined;
  const url = cosEndpointUrl(v);
  if (url === undefined) {
    throw new UsageError(
      `input cos-endpoint: ${JSON.stringify(hideUserinfo(v))} is not an http(s) URL without user, query or fragment`,
    );
  }
  return url;
}

function modeInput(env: Env): ActionInputs["mode"] {
  const v = input(env, "mode") ?? "gate";
  if (v !== "gate" && v !== "run") {
    throw new UsageError(`input mode: expected "gate" or "run", got ${JSON.stringify(v)}`);
  }
  return v;
}

/** Leaves unset inputs out, so the options' own defaults (and the environment) apply. */
function defined<T extends Record<string, string | undefined>>(
  values: T,
): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: string;
  };
}
