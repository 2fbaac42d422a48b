// The adapter's inputs: in step with action.yml, the same options the CLI gives for the same
// settings, and the few rules of their own (multi-line lists, booleans, masks).
import { describe, expect, test } from "@jest/globals";
import { readInputs, SECRET_INPUTS, secretInputs } from "../../src/action/inputs.js";
import { maskCommand, resultName } from "../../src/action/outputs.js";
import { type GateArgs, parseCommandLine } from "../../src/cli/args.js";
import { UsageError } from "../../src/errors.js";
import { actionYml, inputEnv, TOKEN_EXPRESSION } from "./harness.js";

const withSpecs = (inputs: Record<string, string | undefined>) =>
  inputEnv({ specs: "specs/*.yml", ...inputs }, true);

describe("action.yml and the code agree", () => {
  test("every declared input is read, and nothing else is", () => {
    const read = new Set<string>();
    const env = new Proxy(withSpecs({}), {
      get(target, key: string) {
        if (key.startsWith("INPUT_")) read.add(key);
        return target[key];
      },
    });
    readInputs(env);
    secretInputs(env);
    const declared = Object.keys(actionYml().inputs).map((n) => `INPUT_${n.toUpperCase()}`);
    expect([...read].sort()).toEqual(declared.sort());
  });

  test("the required input is the one the code refuses to do without", () => {
    const required = Object.entries(actionYml().inputs)
      .filter(([, spec]) => spec.required)
      .map(([name]) => name);
    expect(required).toEqual(["specs"]);
    expect(() => readInputs(inputEnv({}, true))).toThrow(
      new UsageError("input specs: give at least one spec file or glob, one per line"),
    );
  });

  test("secret inputs are declared, and their defaults are no secrets of ours", () => {
    const inputs = actionYml().inputs;
    for (const name of SECRET_INPUTS) expect(inputs[name]).toBeDefined();
    expect(inputs["github-token"]?.default).toBe(TOKEN_EXPRESSION);
  });

  test("runs on node24 from the committed bundle", () => {
    expect(actionYml().runs).toEqual({ using: "node24", main: "action-dist/index.mjs" });
  });
});

describe("the same options as the CLI", () => {
  test("equivalent inputs and flags give the same gate options", () => {
    const cli = parseCommandLine([
      "--region",
      "ap-singapore",
      "--endpoint",
      "tat.intl.tencentcloudapi.com",
      "--timeout",
      "1h30m",
      "--reporter",
      "junit:out/junit.xml",
      "--reporter",
      "json:out/report.json",
      "--fail-fast",
      "--verbose",
      "--role-arn",
      "qcs::cam::uin/1:roleName/gate",
      "--provider-id",
      "github",
      "--oidc-audience",
      "tat-gate",
      "--sts-endpoint",
      "https://sts.intl.tencentcloudapi.com",
      "--check-name",
      "deploy gate",
      "--github-token",
      "ghs_x",
      "--strict",
      "--shard",
      "2/4",
      "--reporter-timeout",
      "2m",
      "specs/a.yml",
      "specs/b/*.yml",
    ]) as GateArgs;
    const action = readInputs(
      withSpecs({
        specs: "specs/a.yml\nspecs/b/*.yml",
        region: "ap-singapore",
        endpoint: "tat.intl.tencentcloudapi.com",
        timeout: "1h30m",
        "junit-path": "out/junit.xml",
        "json-path": "out/report.json",
        "fail-fast": "true",
        verbose: "true",
        "role-arn": "qcs::cam::uin/1:roleName/gate",
        "provider-id": "github",
        "oidc-audience": "tat-gate",
        "sts-endpoint": "https://sts.intl.tencentcloudapi.com",
        "check-name": "deploy gate",
        "github-token": "ghs_x",
        strict: "true",
        shard: "2/4",
        "reporter-timeout": "2m",
      }),
    ).gate;
    expect({
      patterns: action.patterns,
      region: action.region,
      endpoint: action.endpoint,
      timeoutMs: action.timeoutMs,
      reporters: action.reporters,
      failFast: action.failFast,
      verbose: action.verbose,
      quiet: action.quiet,
      credentials: action.credentials,
      github: action.github,
      strict: action.strict,
      shard: action.shard,
      reporterTimeoutMs: action.reporterTimeoutMs,
    }).toEqual({
      patterns: cli.patterns,
      region: cli.region,
      endpoint: cli.endpoint,
      timeoutMs: cli.timeoutMs,
      // The check run is on by default in the action; the CLI asks for it by name.
      reporters: [...cli.reporters, "github-check"],
      failFast: cli.failFast,
      verbose: cli.verbose,
      quiet: cli.quiet,
      credentials: {
        roleArn: cli.roleArn,
        providerId: cli.providerId,
        oidcAudience: cli.oidcAudience,
        stsEndpoint: cli.stsEndpoint,
      },
      github: { token: cli.githubToken, checkName: cli.checkName },
      strict: true,
      shard: { index: 2, count: 4 },
      reporterTimeoutMs: 120_000,
    });
    expect({ ...cli.shard, strict: cli.strict, ms: cli.reporterTimeoutMs }).toEqual({
      index: 2,
      count: 4,
      strict: true,
      ms: 120_000,
    });
  });

  test("unset inputs leave the options out, so the chain's own defaults and variables apply", () => {
    const { gate } = readInputs(inputEnv({ specs: "a.yml" }, false));
    expect(gate.credentials).toEqual({});
    expect(gate.github).toEqual({});
    expect(gate).not.toHaveProperty("region");
    expect(gate).not.toHaveProperty("timeoutMs");
    expect(gate).not.toHaveProperty("reporterTimeoutMs");
    expect(gate).not.toHaveProperty("shard");
    expect(gate).not.toHaveProperty("strict");
  });
});

describe("inputs", () => {
  test("specs: one per line, blank lines and comments skipped, CRLF tolerated", () => {
    const { gate } = readInputs(withSpecs({ specs: "# gate\r\n specs/*.yml \r\n\r\nmore.yml\n" }));
    expect(gate.patterns).toEqual(["specs/*.yml", "more.yml"]);
  });

  test("reporters: listed ones first, the path inputs after, the check run once", () => {
    const inputs = readInputs(
      withSpecs({ reporters: "junit\ngithub-check:nightly", "json-path": "r.json" }),
    );
    expect(inputs.gate.reporters).toEqual(["junit", "github-check:nightly", "json:r.json"]);
    expect(inputs.reportPaths).toEqual({ junit: "tat-assert-junit.xml", json: "r.json" });
    expect(readInputs(withSpecs({ "check-run": "false" })).gate.reporters).toEqual([]);
    // The junit-path output is the junit-path input's file, not the first JUnit reporter listed.
    const both = readInputs(
      withSpecs({ reporters: "junit-strict:strict.xml", "junit-path": "junit.xml" }),
    );
    expect(both.gate.reporters).toEqual([
      "junit-strict:strict.xml",
      "junit:junit.xml",
      "github-check",
    ]);
    expect(both.reportPaths.junit).toBe("junit.xml");
  });

  test("booleans and durations are checked and named when wrong", () => {
    expect(() => readInputs(withSpecs({ "fail-fast": "maybe" }))).toThrow(
      'input fail-fast: expected true or false, got "maybe"',
    );
    expect(() => readInputs(withSpecs({ timeout: "15" }))).toThrow(
      'input timeout: "15" is not a duration',
    );
    expect(readInputs(withSpecs({ "fail-fast": "True" })).gate.failFast).toBe(true);
    expect(() => readInputs(withSpecs({ strict: "on" }))).toThrow(
      'input strict: expected true or false, got "on"',
    );
    expect(() => readInputs(withSpecs({ "reporter-timeout": "forever" }))).toThrow(
      'input reporter-timeout: "forever" is not a duration; use e.g. 30s or 2m',
    );
    // One timer holds it: a longer delay would fire at once and abandon every reporter.
    expect(() => readInputs(withSpecs({ "reporter-timeout": "25d" }))).toThrow(
      'input reporter-timeout: "25d" is not a duration',
    );
    expect(() => readInputs(withSpecs({ "reporter-timeout": "600h" }))).toThrow(
      'input reporter-timeout: "600h" is longer than a timer can wait (at most 596h31m23s)',
    );
  });

  test("shard: i/n as a matrix writes it, refused and named when it is not one", () => {
    expect(readInputs(withSpecs({ shard: " 3/4 " })).gate.shard).toEqual({ index: 3, count: 4 });
    for (const bad of ["5/4", "0/4", "3", "two/4"]) {
      expect(() => readInputs(withSpecs({ shard: bad }))).toThrow(
        `input shard: ${JSON.stringify(bad)} is not a shard; use i/n with 1 ≤ i ≤ n, e.g. 2/4`,
      );
    }
  });

  test("half a key pair names the missing half", () => {
    expect(() => readInputs(withSpecs({ "secret-id": "AKIDx" }))).toThrow(
      /secret-id is set but secret-key is empty/,
    );
  });

  test("secrets to mask: key, session token and GitHub token, as given", () => {
    const env = withSpecs({ "secret-key": " k%1 ", "session-token": "t", "secret-id": "AKIDx" });
    expect(secretInputs(env)).toEqual(["k%1", "t", expect.stringMatching(/^ghs_/)]);
  });
});

describe("outputs", () => {
  test("masks are escaped as the runner unescapes them, a multi-line secret line by line", () => {
    expect(maskCommand("a%b")).toBe("::add-mask::a%25b\n");
    expect(maskCommand("-----BEGIN-----\r\nabc\n\n-----END-----")).toBe(
      "::add-mask::-----BEGIN-----\n::add-mask::abc\n::add-mask::-----END-----\n",
    );
  });

  test("result names follow the exit codes", () => {
    expect([0, 1, 2, 3, 4, 70].map((code) => resultName(code))).toEqual([
      "passed",
      "failed",
      "error",
      "error",
      "error",
      "error",
    ]);
  });
});
