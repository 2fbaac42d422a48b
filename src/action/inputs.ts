// Action inputs (INPUT_* variables) → the same options the CLI takes. No logic of its own beyond
// reading and checking the inputs.
import { UsageError } from "../errors.js";
import type { GateOptions } from "../gate.js";
import { parseDuration } from "../spec/duration.js";

export type FailOn = "any" | "never";

export interface ActionInputs {
  gate: GateOptions;
  failOn: FailOn;
  /** Values to mask in the log before anything is printed. */
  secrets: string[];
}

/** The runner upper-cases input names and replaces spaces with underscores; hyphens stay. */
export function input(env: Record<string, string | undefined>, name: string): string | undefined {
  const value = env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`]?.trim();
  return value === "" ? undefined : value;
}

function lines(value: string | undefined): string[] {
  return (value ?? "")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

function bool(env: Record<string, string | undefined>, name: string, fallback: boolean): boolean {
  const v = input(env, name);
  if (v === undefined) return fallback;
  if (/^(true|yes|1)$/i.test(v)) return true;
  if (/^(false|no|0)$/i.test(v)) return false;
  throw new UsageError(`input ${name}: expected true or false, got ${JSON.stringify(v)}`);
}

export function readInputs(env: Record<string, string | undefined>): ActionInputs {
  const patterns = lines(input(env, "specs"));
  if (patterns.length === 0) {
    throw new UsageError("input specs: give at least one spec file or glob, one per line");
  }
  const reporters = lines(input(env, "reporters"));
  const junitPath = input(env, "junit-path");
  const jsonPath = input(env, "json-path");
  if (junitPath) reporters.push(`junit:${junitPath}`);
  if (jsonPath) reporters.push(`json:${jsonPath}`);
  if (bool(env, "check-run", true) && !reporters.includes("github-check"))
    reporters.push("github-check");

  const failOn = input(env, "fail-on") ?? "any";
  if (failOn !== "any" && failOn !== "never") {
    throw new UsageError(`input fail-on: expected "any" or "never", got ${JSON.stringify(failOn)}`);
  }
  const timeout = input(env, "timeout");
  let timeoutMs: number | undefined;
  if (timeout !== undefined) {
    timeoutMs = parseDuration(timeout);
    if (timeoutMs === undefined || timeoutMs <= 0) {
      throw new UsageError(
        `input timeout: ${JSON.stringify(timeout)} is not a duration; use e.g. 90s, 10m or 1h30m`,
      );
    }
  }

  const secretId = input(env, "secret-id");
  const secretKey = input(env, "secret-key");
  const sessionToken = input(env, "session-token");
  const githubToken = input(env, "github-token");
  if ((secretId === undefined) !== (secretKey === undefined)) {
    throw new UsageError("inputs secret-id and secret-key go together: give both or neither");
  }
  const optional = <K extends string>(key: K, value: string | undefined) =>
    (value === undefined ? {} : { [key]: value }) as Partial<Record<K, string>>;

  const gate: GateOptions = {
    patterns,
    reporters,
    failFast: bool(env, "fail-fast", false),
    quiet: false,
    verbose: bool(env, "verbose", false),
    ...optional("region", input(env, "region")),
    ...optional("endpoint", input(env, "endpoint")),
    ...(timeoutMs !== undefined && { timeoutMs }),
    credentials: {
      ...optional("secretId", secretId),
      ...optional("secretKey", secretKey),
      ...optional("sessionToken", sessionToken),
      ...optional("roleArn", input(env, "role-arn")),
      ...optional("providerId", input(env, "provider-id")),
      ...optional("roleSessionName", input(env, "role-session-name")),
      ...optional("oidcAudience", input(env, "oidc-audience")),
    },
    github: {
      ...optional("token", githubToken),
      ...optional("checkName", input(env, "check-name")),
    },
  };
  return {
    gate,
    failOn,
    secrets: [secretKey, sessionToken, githubToken].filter((s): s is string => Boolean(s)),
  };
}
