// The examples cannot rot: every spec validates with the built CLI, every workflow uses only inputs,
// outputs and flags that exist and hands the specs the variables they read, each report path is
// the one the CI picks up, and the library example type-checks and runs against the emulator.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { globSync } from "tinyglobby";
import { parse } from "yaml";
import { type GateArgs, parseCommandLine } from "../../src/cli/args.js";
import { buildScenario, type Emulator, startEmulator } from "../../src/emulator/index.js";
import { CLI, cleanEnv, ROOT, runNode } from "../helpers/cli.js";
import { actionYml } from "./harness.js";

const EXAMPLES = join(ROOT, "examples");
/** Values for every variable the example specs read; a new variable must be added here. */
const SPEC_ENV = { DEPLOY_INVOCATION_ID: "inv-1a2b3c4d", DEPLOY_VERSION: "1.4.2" };

const folders = readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

/** An example's specs: under specs/, except the emulator demo's, which sit at its root. */
function specFiles(folder: string): string[] {
  const dir = join(EXAMPLES, folder);
  const pattern = existsSync(join(dir, "specs")) ? "specs/**/*.yml" : "*.yml";
  return globSync(pattern, { cwd: dir }).sort();
}

/** `${NAME}` without a default: variables that must be set for the spec to load. */
function requiredVariables(files: string[], folder: string): string[] {
  const names = new Set<string>();
  for (const f of files) {
    const text = readFileSync(join(EXAMPLES, folder, f), "utf8");
    for (const m of text.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) names.add(m[1] ?? "");
  }
  return [...names].sort();
}

const read = (folder: string, file: string) => readFileSync(join(EXAMPLES, folder, file), "utf8");

/** `npx … tat-assert@x <args>` command lines (joined across `\` continuations) → their arguments. */
function tatAssertCommands(text: string): string[][] {
  return text
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .filter((l) => /npx\b.*\btat-assert(@\S+)?\s/.test(l) && !l.trim().startsWith("#"))
    .map((l) => {
      const words = l.trim().replace(/^-\s+/, "").split(/\s+/);
      const at = words.findIndex((w) => /^tat-assert(@\S+)?$/.test(w));
      return words.slice(at + 1).map((w) => w.replace(/^["']|["']$/g, ""));
    });
}

function junitPath(args: GateArgs): string | undefined {
  return args.reporters.find((r) => r.startsWith("junit:"))?.slice("junit:".length);
}

test("every example is checked here", () => {
  expect(folders.sort()).toEqual([
    "emulator-demo",
    "github-oidc",
    "github-secrets",
    "gitlab",
    "jenkins",
    "library",
  ]);
});

describe.each(folders)("examples/%s", (folder) => {
  test("its specs validate with the built CLI", () => {
    const files = specFiles(folder);
    expect(files.length).toBeGreaterThan(0);
    for (const v of requiredVariables(files, folder)) expect(Object.keys(SPEC_ENV)).toContain(v);
    const r = spawnSync(process.execPath, [CLI, "validate", ...files], {
      cwd: join(EXAMPLES, folder),
      env: cleanEnv(SPEC_ENV),
      encoding: "utf8",
    });
    expect({ status: r.status, out: r.stdout, err: r.stderr }).toEqual({
      status: 0,
      out: `${files.length} spec${files.length === 1 ? "" : "s"} valid\n`,
      err: "",
    });
  });
});

describe.each(["github-oidc", "github-secrets"])("examples/%s/deploy-gate.yml", (folder) => {
  interface Step {
    id?: string;
    uses?: string;
    with?: Record<string, unknown>;
    env?: Record<string, unknown>;
  }
  interface Job {
    permissions?: Record<string, string>;
    steps: Step[];
  }
  const text = read(folder, "deploy-gate.yml");
  const workflow = parse(text) as { jobs: Record<string, Job> };
  const gates = Object.entries(workflow.jobs).flatMap(([job, j]) =>
    j.steps.filter((s) => /\/tat-assert@v\d+$/.test(s.uses ?? "")).map((step) => ({ job, step })),
  );
  const inputs = actionYml().inputs;

  test("uses the action once, with inputs it declares and every required one", () => {
    expect(gates).toHaveLength(1);
    const given = Object.keys(gates[0]?.step.with ?? {});
    for (const name of given) expect(Object.keys(inputs)).toContain(name);
    for (const [name, spec] of Object.entries(inputs))
      if (spec.required) expect(given).toContain(name);
  });

  test("the specs it names exist, and the step sets every variable they read", () => {
    const step = gates[0]?.step as Step;
    const patterns = String(step.with?.specs)
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    const files = globSync(patterns, { cwd: join(EXAMPLES, folder) });
    expect(files.sort()).toEqual(specFiles(folder));
    const env = Object.keys(step.env ?? {});
    for (const v of requiredVariables(files, folder)) expect(env).toContain(v);
  });

  test("reads only outputs the action declares", () => {
    const id = gates[0]?.step.id;
    const used = [...text.matchAll(new RegExp(`steps\\.${id}\\.outputs\\.([\\w-]+)`, "g"))].map(
      (m) => m[1],
    );
    expect(used.length).toBeGreaterThan(0);
    for (const o of used) expect(Object.keys(actionYml().outputs)).toContain(o);
  });

  test("the gate job may write checks, and authenticates as the example says", () => {
    const gate = gates[0] as { job: string; step: Step };
    const permissions = workflow.jobs[gate.job]?.permissions ?? {};
    expect(permissions.checks).toBe("write");
    if (folder === "github-oidc") {
      expect(permissions["id-token"]).toBe("write");
      expect(gate.step.with).toHaveProperty("role-arn");
      expect(text).not.toContain("secrets.");
    } else {
      const secret = (name: string) => `$\{{ secrets.${name} }}`;
      expect(gate.step.with).toMatchObject({
        "secret-id": secret("TENCENTCLOUD_SECRET_ID"),
        "secret-key": secret("TENCENTCLOUD_SECRET_KEY"),
      });
    }
  });

  test("ships the runbook the deploy job sends", () => {
    expect(text).toContain("runbooks/deploy-web.sh");
    expect(read(folder, "runbooks/deploy-web.sh")).toContain("deploy ok version=");
  });
});

describe("the CLI examples", () => {
  test("GitLab: the command parses, and its JUnit file is the job's junit report", () => {
    const text = read("gitlab", ".gitlab-ci.yml");
    const ci = parse(text) as Record<string, { artifacts?: { reports?: { junit?: string } } }>;
    const commands = tatAssertCommands(text);
    expect(commands).toHaveLength(1);
    const args = parseCommandLine(commands[0] ?? []) as GateArgs;
    expect(args.command).toBe("run");
    expect(globSync(args.patterns, { cwd: join(EXAMPLES, "gitlab") }).sort()).toEqual(
      specFiles("gitlab"),
    );
    expect(junitPath(args)).toBe(ci.gate?.artifacts?.reports?.junit);
    expect(text).toContain("dotenv: deploy.env");
    for (const v of requiredVariables(specFiles("gitlab"), "gitlab"))
      expect(text).toContain(`${v}=`);
  });

  test("Jenkins: gate.sh's command parses, and its JUnit file is the one the junit step reads", () => {
    const script = read("jenkins", "gate.sh");
    const commands = tatAssertCommands(script);
    expect(commands).toHaveLength(1);
    const args = parseCommandLine(commands[0] ?? []) as GateArgs;
    expect(globSync(args.patterns, { cwd: join(EXAMPLES, "jenkins") }).sort()).toEqual(
      specFiles("jenkins"),
    );
    const jenkinsfile = read("jenkins", "Jenkinsfile");
    expect(jenkinsfile).toContain("sh './gate.sh'");
    expect(jenkinsfile).toContain(`junit testResults: '${junitPath(args)}'`);
    for (const v of requiredVariables(specFiles("jenkins"), "jenkins")) {
      expect(script).toContain(`\${${v}:?`);
      expect(jenkinsfile).toContain(v);
    }
  });
});

describe("shell in the examples is valid bash", () => {
  /** `${{ … }}` expressions are replaced by the runner before bash sees the script. */
  const bashSyntax = (script: string) => {
    const r = spawnSync("bash", ["-n"], {
      input: script.replace(/\$\{\{[^}]*\}\}/g, "x"),
      encoding: "utf8",
    });
    return r.status === 0 ? "ok" : r.stderr;
  };

  test.each(globSync("*/**/*.sh", { cwd: EXAMPLES }))("%s", (file) => {
    expect(bashSyntax(readFileSync(join(EXAMPLES, file), "utf8"))).toBe("ok");
  });

  test.each(["github-oidc", "github-secrets"])("the run: steps of %s", (folder) => {
    const workflow = parse(read(folder, "deploy-gate.yml")) as {
      jobs: Record<string, { steps: { run?: string }[] }>;
    };
    const scripts = Object.values(workflow.jobs).flatMap((j) =>
      j.steps.flatMap((s) => s.run ?? []),
    );
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(bashSyntax(script)).toBe("ok");
  });

  test("the script lines of the GitLab jobs", () => {
    const ci = parse(read("gitlab", ".gitlab-ci.yml")) as Record<string, { script?: string[] }>;
    const lines = Object.values(ci).flatMap((job) => job.script ?? []);
    expect(lines.length).toBeGreaterThan(0);
    expect(bashSyntax(lines.join("\n"))).toBe("ok");
  });
});

describe("examples/library", () => {
  const dir = join(EXAMPLES, "library");
  let emulator: Emulator;
  const credential = { secretId: "AKIDlibraryExample000000000000000001", secretKey: "lib-key-9d2" };
  const ok = {
    timeline: "PENDING@0s RUNNING@0.05s SUCCESS@0.1s",
    output: "deploy ok version=1.4.2\n",
  };

  beforeAll(async () => {
    emulator = await startEmulator({
      scenario: buildScenario({
        credentials: [credential],
        invocations: [
          {
            id: "inv-lib00001",
            commandId: "cmd-deploy01",
            tasks: [
              { instance: "ins-web00001", ...ok },
              { instance: "ins-web00002", ...ok },
            ],
          },
          {
            id: "inv-lib00002",
            commandId: "cmd-deploy01",
            tasks: [
              { instance: "ins-web00001", ...ok },
              {
                instance: "ins-web00002",
                timeline: "PENDING@0s RUNNING@0.05s FAILED@0.1s",
                exitCode: 1,
                output: "ERROR: health check failed after 60 s\n",
              },
            ],
          },
        ],
      }),
    });
  });
  afterAll(async () => {
    await emulator.close();
  });

  function runExample(invocation: string, args: string[] = []) {
    return runNode(["--import", "tsx", "gate.ts", ...args], {
      cwd: dir,
      env: cleanEnv({
        TENCENTCLOUD_SECRET_ID: credential.secretId,
        TENCENTCLOUD_SECRET_KEY: credential.secretKey,
        TENCENTCLOUD_REGION: "ap-guangzhou",
        TAT_ENDPOINT: emulator.url,
        DEPLOY_INVOCATION_ID: invocation,
        DEPLOY_VERSION: "1.4.2",
      }),
    });
  }

  test("type-checks against the package's published types", () => {
    const r = spawnSync(
      process.execPath,
      [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(dir, "tsconfig.json")],
      { cwd: ROOT, encoding: "utf8" },
    );
    expect({ status: r.status, out: r.stdout }).toEqual({ status: 0, out: "" });
  });

  test("the one-call gate passes a good deploy, as the CLI would", async () => {
    const r = await runExample("inv-lib00001");
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(r.stdout).toContain("PASS  web tier deploy");
    expect(r.stdout).toContain("exit 0: every expectation held");
  });

  test("the stage-by-stage gate returns the failed checks as data", async () => {
    const r = await runExample("inv-lib00002", ["--data"]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: "" });
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.at(-1)).toBe("gate did not pass (exit 1)");
    expect(lines.slice(0, -1).length).toBeGreaterThan(0);
    for (const l of lines.slice(0, -1)) expect(l).toMatch(/^web tier deploy: ins-web00002: /);
    expect(r.stdout).toContain('output contains "ERROR"');
  });
});
