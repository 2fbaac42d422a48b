// The command line never goes green without checking, and reports reach where they are asked to:
// through the built binary, as users and CI run it.
import { type ChildProcess, execFileSync } from "node:child_process";
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { VERSION } from "../../src/version.js";
import { CLI, cleanEnv, ROOT, runCli } from "../helpers/cli.js";

/** Credentials that resolve without any network: enough for runs that poll nothing. */
const env = () =>
  cleanEnv({
    TENCENTCLOUD_SECRET_ID: "AKIDcliTest000000000000000000000000",
    TENCENTCLOUD_SECRET_KEY: "cli-test-secret-key-0000",
    TENCENTCLOUD_REGION: "ap-guangzhou",
  });

const SKIPPED =
  "version: 1\nname: later\ntarget: { invocationId: inv-aaaaaaaa }\nskip: not today\n";

function workDir(): string {
  return mkdtempSync(join(tmpdir(), "tat-assert-cli-"));
}

describe("run never takes a recording for the cloud", () => {
  test("run --replay is a usage error before anything is started or any credential read", async () => {
    for (const args of [
      ["run", "--replay", "specs/scenarios/demo.yml", "specs/deploy.yml"],
      ["run", "--replay", "specs/scenarios/demo.yml", "--replay-speed", "2", "specs/deploy.yml"],
    ]) {
      const r = await runCli(args, { cwd: ROOT, env: env() });
      expect({ code: r.code, out: r.stdout }).toEqual({ code: 2, out: "" });
      expect(r.stderr).toContain("tat-assert run starts commands and cannot take --replay");
    }
  });
});

describe("help and version never stand in for a run", () => {
  test.each([
    [["--help", "specs/*.yml"], /--help cannot be given with spec files/],
    [["-h", "specs/*.yml"], /--help cannot be given with spec files/],
    [["--version", "specs/*.yml"], /--version cannot be given with spec files/],
    [["specs/*.yml", "--version"], /--version cannot be given with spec files/],
    [["validate", "--help", "specs/*.yml"], /--help cannot be given with spec files/],
    [["run", "specs/*.yml", "--help"], /--help cannot be given with spec files/],
    [["run", "-h", "--dry-run", "specs/*.yml"], /--help cannot be given with spec files/],
  ])("%j is a usage error (exit 2)", async (args, message) => {
    const r = await runCli(args, { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
  });

  test.each([[["-v"]], [["-v", "specs/*.yml"]]])(
    "%j is not --version: a usage error that suggests --verbose",
    async (args) => {
      const r = await runCli(args, { env: env() });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/-v is not an option: use --verbose/);
      expect(r.stdout).not.toContain(VERSION);
    },
  );

  test.each([
    ["--verbsoe", "--verbose"],
    ["--fail_fast", "--fail-fast"],
    ["--reporters", "--reporter"],
    ["--colour", "--color"],
  ])("unknown option %s gets a did-you-mean (%s)", async (flag, guess) => {
    const r = await runCli([flag, "specs/*.yml"], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`unknown option ${flag} (did you mean ${guess}?)`);
  });

  test("help and version work as subcommands", async () => {
    const help = await runCli(["help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("tat-assert validate");
    expect(await runCli(["version"])).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });

  test.each([
    [["validate", "--help"], /^Usage: tat-assert validate/],
    [["help", "validate"], /^Usage: tat-assert validate/],
    [["demo", "--help"], /^Usage: tat-assert demo/],
    [["help", "demo"], /^Usage: tat-assert demo/],
    [["emulator", "--help"], /^Usage: tat-assert emulator/],
    [["run", "--help"], /^Usage: tat-assert run/],
    [["run", "--dry-run", "-h"], /^Usage: tat-assert run/],
    [["help", "emulator"], /^Usage: tat-assert emulator/],
  ])("%j prints that command's own usage", async (args, usage) => {
    const r = await runCli(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(usage);
  });

  test("--help lists the new options", async () => {
    const r = await runCli(["--help"]);
    for (const flag of ["--color", "--no-color", "--reporter-timeout"])
      expect(r.stdout).toContain(flag);
    expect(r.stdout).toContain("A spec file named - is read from standard input");
  });
});

describe("spec files are only what was named", () => {
  // \`tat-assert "$SPECS"\` with SPECS unset passes an empty argument: read as a path it is the
  // working folder, whose spec files (a skipped one is enough) would then pass the gate.
  test.each([[[""]], [["validate", ""]], [["explain", ""]], [["s.yml", ""]]])(
    "%j: an empty spec file name is a usage error, never the working folder",
    async (args) => {
      const dir = workDir();
      writeFileSync(join(dir, "s.yml"), SKIPPED);
      const r = await runCli(args, { cwd: dir, env: env() });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("an empty spec file name");
      expect(r.stdout).not.toContain("nothing was checked");
    },
  );
});

describe("an option that takes one value is given once", () => {
  // Last-one-wins would let a script's --shard 1/2 and a matrix variable's --shard 2/2 make two
  // jobs check one share and no job the other, each exiting 0.
  test.each([
    [["--shard", "1/2", "--shard", "2/2"], "--shard is given 2 times"],
    [["--shard=1/2", "--shard", "2/2"], "--shard is given 2 times"],
    [["--timeout", "10m", "--timeout=1s", "--timeout", "5m"], "--timeout is given 3 times"],
    [["--region", "ap-shanghai", "--region", "ap-guangzhou"], "--region is given 2 times"],
  ])("%j is a usage error naming it", async (flags, message) => {
    const dir = workDir();
    writeFileSync(join(dir, "a.yml"), SKIPPED);
    writeFileSync(join(dir, "b.yml"), SKIPPED.replace("name: later", "name: other"));
    const r = await runCli([...flags, "a.yml", "b.yml"], { cwd: dir, env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe("");
  });

  test("a repeated token is named without its values", async () => {
    const dir = workDir();
    writeFileSync(join(dir, "a.yml"), SKIPPED);
    const tokens = [
      "ghp_firstTokenValue000000000000000000",
      "ghp_secondTokenValue00000000000000000",
    ];
    const r = await runCli(
      ["--github-token", tokens[0] as string, "--github-token", tokens[1] as string, "a.yml"],
      { cwd: dir, env: env() },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--github-token is given 2 times");
    for (const t of tokens) expect(r.stdout + r.stderr).not.toContain(t);
  });

  test("repeatable --reporter and repeated switches stay allowed", async () => {
    const dir = workDir();
    writeFileSync(join(dir, "a.yml"), SKIPPED);
    const r = await runCli(
      ["-q", "--quiet", "--reporter", "json:r.json", "--reporter", "junit:r.xml", "a.yml"],
      { cwd: dir, env: env() },
    );
    expect(r.code).toBe(0);
  });
});

describe("validate refuses the options it would ignore", () => {
  test.each([
    [["--reporter", "junit:out.xml"], "not --reporter"],
    [["--shard", "1/2"], "not --shard"],
    [["--fail-fast", "--region", "ap-guangzhou"], "not --fail-fast --region"],
  ])("validate %j is refused (exit 2), not ignored", async (flags, message) => {
    const dir = workDir();
    writeFileSync(join(dir, "a.yml"), SKIPPED);
    writeFileSync(join(dir, "b.yml"), SKIPPED.replace("name: later", "name: other"));
    const r = await runCli(["validate", ...flags, "a.yml", "b.yml"], { cwd: dir, env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe("");
  });

  test("validate --strict still works", async () => {
    const dir = workDir();
    writeFileSync(join(dir, "a.yml"), SKIPPED);
    const r = await runCli(["validate", "--strict", "a.yml"], { cwd: dir, env: env() });
    expect(r).toMatchObject({ code: 0, stdout: "1 spec valid\n" });
  });
});

test("an endpoint that is not one stops the run before its first poll, and its report says why", async () => {
  const dir = workDir();
  writeFileSync(join(dir, "s.yml"), SKIPPED);
  const r = await runCli(
    ["s.yml", "--endpoint", "ftp://tat.example", "--reporter", "json:r.json"],
    {
      cwd: dir,
      env: env(),
    },
  );
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("must use http or https");
  const report = JSON.parse(readFileSync(join(dir, "r.json"), "utf8"));
  expect(report.exitCode).toBe(2);
  expect(JSON.stringify(report.errors)).toContain("must use http or https");
});

test.each([
  ["missing.rec.yml", "cannot read --replay file missing.rec.yml (not found)"],
  [".", "cannot read --replay file . (a folder)"],
])(
  "--replay %s that cannot be read: a usage error naming it, not an internal error",
  async (file, message) => {
    const dir = workDir();
    writeFileSync(join(dir, "s.yml"), SKIPPED);
    const r = await runCli(["--replay", file, "s.yml"], { cwd: dir, env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toContain("internal error");
  },
);

test("a report path that is the --replay file is refused, and the recording is left as it was", async () => {
  const dir = workDir();
  writeFileSync(join(dir, "s.yml"), SKIPPED);
  // A recording that replays: one that could not be read would never reach a report anyway.
  const recording = readFileSync(join(ROOT, "specs", "scenarios", "demo.yml"), "utf8");
  writeFileSync(join(dir, "run.rec.yml"), recording);
  const r = await runCli(["--replay", "run.rec.yml", "s.yml", "--reporter", "json:./run.rec.yml"], {
    cwd: dir,
    env: env(),
  });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("would be written over the --replay file run.rec.yml");
  expect(readFileSync(join(dir, "run.rec.yml"), "utf8")).toBe(recording);
});

test.each([
  [["s.yml", "--reporter", "json:s.yml"], "s.yml"],
  [["specs", "--reporter", "junit:specs/b.yml"], "specs/b.yml"],
])(
  "%j: a report path that is a spec file is refused, and the spec is left as it was",
  async (args, spec) => {
    const dir = workDir();
    mkdirSync(join(dir, "specs"));
    writeFileSync(join(dir, "s.yml"), SKIPPED);
    writeFileSync(join(dir, "specs/b.yml"), SKIPPED);
    // No credentials: a run stopped before its first poll writes its reports too.
    const r = await runCli(args, { cwd: dir, env: cleanEnv() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`would be written over the spec file ${spec}`);
    expect(readFileSync(join(dir, spec), "utf8")).toBe(SKIPPED);
  },
);

describe("run --dry-run previews what the same command line would start", () => {
  const RUN_SPEC = (name: string, extra = "") =>
    `version: 1\nname: ${name}\nrun:\n  command: echo ${name}\n  instances: [ins-a1]\n${extra}`;

  test("--strict: a warning is an error in the preview too (exit 2)", async () => {
    const dir = workDir();
    const warned = "expect:\n  output:\n    failEarly: true\n    matches: hi\n";
    writeFileSync(join(dir, "a.yml"), RUN_SPEC("first", warned));
    const r = await runCli(["run", "--dry-run", "--strict", "a.yml"], { cwd: dir, env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("made an error by --strict");
    expect(r.stdout).not.toContain("will start");
  });

  test("--shard: only this job's share is listed", async () => {
    const dir = workDir();
    writeFileSync(join(dir, "a.yml"), RUN_SPEC("first"));
    writeFileSync(join(dir, "b.yml"), RUN_SPEC("second"));
    const r = await runCli(["run", "--dry-run", "--shard", "2/2", "a.yml", "b.yml"], {
      cwd: dir,
      env: env(),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("second: will start");
    expect(r.stdout).not.toContain("first: will start");
  });
});

describe("standard input and standard output", () => {
  test("validate - reads the spec from standard input", async () => {
    const r = await runCli(["validate", "-"], { input: SKIPPED });
    expect(r).toMatchObject({ code: 0, stdout: "1 spec valid\n" });
  });

  test("standard input that never ends is refused past a spec file's limit, not read forever", async () => {
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, [CLI, "validate", "-"], { env: env() });
    // A slow, endless writer (`yes | tat-assert validate -`), so that a reader without a limit
    // neither ends nor eats the machine's memory before the test gives up on it.
    const chunk = Buffer.alloc(64 * 1024, "# more\n");
    const feed = setInterval(() => child.stdin.write(chunk), 5);
    child.stdin.on("error", () => {});
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((done) => {
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      child.on("close", (c) => {
        clearTimeout(timer);
        done(c);
      });
    });
    clearInterval(feed);
    expect(code).toBe(2);
    expect(stderr).toContain("<stdin>:1:1: standard input holds more than 1 MiB");
  });

  test("a bad spec on standard input is located as <stdin>", async () => {
    const r = await runCli(["validate", "-"], {
      input: "version: 1\ntarget: { invocationId: inv-aaaaaaaa }\nexpect:\n  exit_code: 0\n",
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^<stdin>:4:\d+: /m);
  });

  test("--reporter json:- writes the report alone on stdout; the console moves to stderr", async () => {
    const r = await runCli(["-", "--reporter", "json:-"], { input: SKIPPED, env: env() });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { verdict: string; exitCode: number };
    expect(doc).toMatchObject({
      exitCode: 0,
      verdict: "nothing was checked: every spec was skipped",
    });
    expect(r.stderr).toContain("exit 0: nothing was checked: every spec was skipped");
    expect(r.stderr).not.toContain("every expectation held");
  });

  test("json:/dev/stdout is read as json:- (a redirected log keeps the console, on stderr)", async () => {
    const r = await runCli(["-", "--reporter", "json:/dev/stdout"], { input: SKIPPED, env: env() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ exitCode: 0 });
    expect(r.stderr).toContain("exit 0: nothing was checked: every spec was skipped");
  });

  test("--reporter junit:- writes JUnit on stdout", async () => {
    const r = await runCli(["-", "--reporter", "junit:-"], { input: SKIPPED, env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^<\?xml version="1\.0"/);
    expect(r.stdout).toContain("nothing was checked");
    expect(r.stdout.trimEnd().endsWith("</testsuites>")).toBe(true);
  });

  test("json:- and junit:- together would interleave: a usage error", async () => {
    const r = await runCli(["-", "--reporter", "json:-", "--reporter", "junit:-"], {
      input: SKIPPED,
      env: env(),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/would both write to standard output/);
  });
});

describe("a reader that goes away (`| head`)", () => {
  // Standard output closed by its reader: the console is lost, the run is not. Unhandled, the
  // first write threw: exit 1 ("an expectation did not hold") with a stack trace and no report.
  const closedStdout = { onStart: (child: ChildProcess) => child.stdout?.destroy() };

  test("costs the console only: the verdict's exit code, the file report written", async () => {
    const dir = workDir();
    writeFileSync(join(dir, "s.yml"), SKIPPED);
    const r = await runCli(["s.yml", "--reporter", "junit:out.xml"], {
      cwd: dir,
      env: env(),
      ...closedStdout,
    });
    expect(r.stderr).not.toContain("EPIPE");
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, "out.xml"), "utf8")).toContain("nothing was checked");
  });

  test("a report asked on standard output that could not be written there: exit 5", async () => {
    const dir = workDir();
    writeFileSync(join(dir, "s.yml"), SKIPPED);
    const r = await runCli(["s.yml", "--reporter", "json:-"], {
      cwd: dir,
      env: env(),
      ...closedStdout,
    });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain("reporter json failed: could not write standard output");
  });
});

describe("special files are written through, never replaced", () => {
  test("a symlink to /dev/full: exit 5, the path and the reason said once, the link kept", async () => {
    const dir = workDir();
    writeFileSync(join(dir, "s.yml"), SKIPPED);
    symlinkSync("/dev/full", join(dir, "full.json"));
    const r = await runCli(["s.yml", "--reporter", "json:full.json"], { cwd: dir, env: env() });
    expect(r.code).toBe(5);
    const all = r.stdout + r.stderr;
    const said = `could not write ${join(dir, "full.json")}: no space left on the device (ENOSPC)`;
    expect(all.split(said)).toHaveLength(2); // exactly once
    expect(lstatSync(join(dir, "full.json")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, "full.json"))).toBe("/dev/full");
    expect(lstatSync("/dev/full").isCharacterDevice()).toBe(true);
  });

  test("a file in the way of the report's folder: the report is named, once", async () => {
    const dir = workDir();
    writeFileSync(join(dir, "s.yml"), SKIPPED);
    writeFileSync(join(dir, "out"), "a file, not a folder");
    const r = await runCli(["s.yml", "--reporter", "json:out/report.json"], {
      cwd: dir,
      env: env(),
    });
    expect(r.code).toBe(5);
    const all = r.stdout + r.stderr;
    const said = `reporter json failed: could not write ${join(dir, "out/report.json")}: a file is in the way of one of its folders`;
    expect(all.split(said)).toHaveLength(2);
  });

  test("a symlink to a regular file: the file it points to is replaced, the link stays", async () => {
    const dir = workDir();
    writeFileSync(join(dir, "s.yml"), SKIPPED);
    writeFileSync(join(dir, "real.json"), "old");
    symlinkSync(join(dir, "real.json"), join(dir, "link.json"));
    const r = await runCli(["s.yml", "--reporter", "json:link.json"], { cwd: dir, env: env() });
    expect(r.code).toBe(0);
    expect(lstatSync(join(dir, "link.json")).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, "real.json"), "utf8")).exitCode).toBe(0);
  });

  test("a FIFO nobody reads: the reporter is abandoned after --reporter-timeout, exit 5, and the process ends", async () => {
    const dir = workDir();
    writeFileSync(join(dir, "s.yml"), SKIPPED);
    execFileSync("mkfifo", [join(dir, "pipe.json")]);
    const started = Date.now();
    const r = await runCli(["s.yml", "--reporter", "json:pipe.json", "--reporter-timeout", "1s"], {
      cwd: dir,
      env: env(),
      timeoutMs: 20_000,
    });
    expect(r.code).toBe(5);
    expect(r.stdout + r.stderr).toContain(
      "reporter json failed: did not finish within 1s after the verdict and was abandoned",
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(lstatSync(join(dir, "pipe.json")).isFIFO()).toBe(true);
  });

  test("a --reporter-timeout longer than a timer can wait is a usage error, not every report abandoned at once", async () => {
    // setTimeout fires at once past 2^31 - 1 ms: 600h made every reporter "late", exit 5.
    const dir = workDir();
    writeFileSync(join(dir, "s.yml"), SKIPPED);
    const r = await runCli(["s.yml", "--reporter", "json:r.json", "--reporter-timeout", "600h"], {
      cwd: dir,
      env: env(),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--reporter-timeout "600h" is longer than a timer can wait');
    const ok = await runCli(["s.yml", "--reporter", "json:r.json", "--reporter-timeout", "500h"], {
      cwd: dir,
      env: env(),
    });
    expect(ok.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "r.json"), "utf8")).exitCode).toBe(0);
  });

  test("SIGINT then SIGTERM while a report is still being written: exit 3 at once, not the pass", async () => {
    const dir = workDir();
    writeFileSync(join(dir, "s.yml"), SKIPPED);
    execFileSync("mkfifo", [join(dir, "pipe.json")]);
    const started = Date.now();
    const r = await runCli(["s.yml", "--reporter", "json:pipe.json", "--reporter-timeout", "30s"], {
      cwd: dir,
      env: env(),
      onStart: (child, out) => {
        const timer = setInterval(() => {
          if (!out.stdout().includes("waiting on")) return;
          clearInterval(timer);
          // The skipped spec is judged at once; the report then waits on the FIFO.
          setTimeout(() => {
            child.kill("SIGINT");
            child.kill("SIGTERM");
          }, 500);
        }, 20);
        child.on("close", () => clearInterval(timer));
      },
    });
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 3, signal: null });
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  test("a FIFO with a reader gets the report through it", async () => {
    const dir = workDir();
    writeFileSync(join(dir, "s.yml"), SKIPPED);
    const fifo = join(dir, "pipe.json");
    execFileSync("mkfifo", [fifo]);
    const { spawn } = await import("node:child_process");
    const reader = spawn("cat", [fifo]);
    let read = "";
    reader.stdout.setEncoding("utf8").on("data", (d: string) => {
      read += d;
    });
    const done = new Promise((resolve) => reader.on("close", resolve));
    const r = await runCli(["s.yml", "--reporter", "json:pipe.json"], { cwd: dir, env: env() });
    await done;
    expect(r.code).toBe(0);
    expect(JSON.parse(read).exitCode).toBe(0);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });
});

describe("colour in CI logs", () => {
  const actionsEnv = (extra: Record<string, string>) => {
    const { NO_COLOR: _n, ...rest } = env();
    return { ...rest, GITHUB_ACTIONS: "true", ...extra };
  };
  const input = SKIPPED;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for colour codes
  const COLOUR = /\u001b\[\d+m/;

  test("none by default in an Actions log (a pipe)", async () => {
    const r = await runCli(["-"], { input, env: actionsEnv({}) });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(COLOUR);
  });

  test("FORCE_COLOR=1 colours an Actions log; --no-color wins over it", async () => {
    const forced = await runCli(["-"], { input, env: actionsEnv({ FORCE_COLOR: "1" }) });
    expect(forced.stdout).toMatch(COLOUR);
    const off = await runCli(["-", "--no-color"], { input, env: actionsEnv({ FORCE_COLOR: "1" }) });
    expect(off.stdout).not.toMatch(COLOUR);
  });

  test("--color colours even with NO_COLOR set; both flags together are a usage error", async () => {
    const on = await runCli(["-", "--color"], { input, env: env() });
    expect(on.stdout).toMatch(COLOUR);
    const both = await runCli(["-", "--color", "--no-color"], { input, env: env() });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--color and --no-color cannot be used together");
  });
});

describe("signals through the binary", () => {
  test.each([
    ["SIGINT", "SIGTERM"],
    ["SIGTERM", "SIGTERM"],
  ] as const)(
    "%s then %s while waiting: exit 3, never killed by the signal",
    async (first, second) => {
      const { loadScenario, startEmulator } = await import("../../src/emulator/index.js");
      const { fileURLToPath } = await import("node:url");
      const dir = fileURLToPath(new URL("../e2e/cases/sigint/", import.meta.url));
      const emulator = await startEmulator({
        scenario: await loadScenario(join(dir, "scenario.yml")),
      });
      try {
        const cred = emulator.credentials[0];
        const r = await runCli(["spec.yml", "--endpoint", emulator.url], {
          cwd: dir,
          env: cleanEnv({
            TENCENTCLOUD_SECRET_ID: cred?.secretId,
            TENCENTCLOUD_SECRET_KEY: cred?.secretKey,
            TENCENTCLOUD_REGION: "ap-guangzhou",
          }),
          onStart: (child, out) => {
            const timer = setInterval(() => {
              if (!out.stdout().includes("waiting on")) return;
              clearInterval(timer);
              child.kill(first);
              child.kill(second);
            }, 20);
            child.on("close", () => clearInterval(timer));
          },
        });
        expect({ code: r.code, signal: r.signal }).toEqual({ code: 3, signal: null });
      } finally {
        await emulator.close();
      }
    },
  );
});

test("a spec file that is not UTF-8: exit 2 at its line and column, not a pattern that never matches", async () => {
  const dir = workDir();
  const head = "version: 1\nname: x\ntarget: { invocationId: inv-aaaaaaaa }\nexpect:\n  output:\n";
  writeFileSync(
    join(dir, "s.yml"),
    Buffer.concat([
      Buffer.from(`${head}    notMatches: ["Fehler: ung`),
      Buffer.from([0xfc, 0x22, 0x5d, 0x0a]),
    ]),
  );
  for (const args of [["validate", "s.yml"], ["s.yml"]]) {
    const r = await runCli(args, { cwd: dir, env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("s.yml:6:30");
    expect(r.stderr).toContain("not UTF-8");
  }
});
