// The command line's own answers, through the built binary: validate, help, version, usage errors.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { VERSION } from "../../src/version.js";
import { ROOT, runCli } from "../helpers/cli.js";

describe("tat-assert validate", () => {
  test("valid specs: exit 0 and a count, no API call and no credentials needed", async () => {
    const r = await runCli(["validate", "specs/*.yml"]);
    expect(r).toMatchObject({ code: 0, stdout: "2 specs valid\n" });
  });

  test("invalid specs: exit 2 with every problem at its position", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tat-assert-validate-"));
    writeFileSync(
      join(dir, "a.yml"),
      "version: 1\ntarget: { invocationId: inv-aaaaaaaa }\nexpect:\n  exitCode: 300\n  stdout: x\n",
    );
    writeFileSync(join(dir, "b.yml"), "version: 2\ntarget: { taskIds: [inv-bbbbbbbb] }\n");
    const r = await runCli(["validate", "a.yml", "b.yml"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^a\.yml:4:13: expect\.exitCode: /m);
    expect(r.stderr).toMatch(/^a\.yml:5:3: expect\.stdout: /m);
    expect(r.stderr).toMatch(/^b\.yml:1:10: version: /m);
    expect(r.stderr).toMatch(/^b\.yml:2:\d+: target\.taskIds/m);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
  });
});

describe("help, version and usage", () => {
  test("--version prints the package version", async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(VERSION).toBe(pkg.version);
    expect((await runCli(["--version"])).stdout).toBe(`${VERSION}\n`);
  });

  test("--help lists the commands and the exit codes", async () => {
    const r = await runCli(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("tat-assert validate");
    expect(r.stdout).toMatch(
      /Exit codes: 0 passed, 1 .*\s2 .*\s3 .*\s4 .*\s5 .*\s70 internal error/s,
    );
  });

  test.each([
    [["--bogus", "specs/*.yml"], /unknown option --bogus/],
    [[], /no spec files given/],
    [["--timeout", "soon", "specs/*.yml"], /--timeout "soon" is not a duration/],
    [["nope/*.yml"], /no spec files match "nope\/\*\.yml"/],
    [["--reporter", "junt", "specs/*.yml"], /unknown reporter "junt" \(did you mean "junit"\?\)/],
    // `junit:$OUT` with OUT empty: never the default path, where the pipeline does not look.
    [["--reporter", "junit:", "specs/*.yml"], /reporter "junit:" names an empty path/],
    [["--reporter", "github-check: ", "specs/*.yml"], /names an empty argument/],
  ])("%j is a usage error (exit 2)", async (args, message) => {
    const r = await runCli(args, {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: tmpdir(),
        TENCENTCLOUD_REGION: "ap-guangzhou",
        TENCENTCLOUD_SECRET_ID: "AKIDX",
        TENCENTCLOUD_SECRET_KEY: "commands-test-secret-key-0001",
      },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  test("secrets in the environment are masked where a spec quotes them, the runner's OIDC request token too", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tat-assert-env-secrets-"));
    writeFileSync(
      join(dir, "spec.yml"),
      [
        "version: 1",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the spec's ${VAR} syntax
        "name: ${TENCENTCLOUD_SECRET_KEY}",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the spec's ${VAR} syntax
        "region: ${ACTIONS_ID_TOKEN_REQUEST_TOKEN}",
        "target: { invocationId: inv-abcd1234 }",
        "",
      ].join("\n"),
    );
    const key = "commands-test-secret-key-0002\n";
    const token = "Runner_OIDC.request/token+0003";
    const r = await runCli(["validate", "spec.yml"], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: tmpdir(),
        TENCENTCLOUD_SECRET_KEY: key,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: token,
      },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("region: expected a region");
    expect(r.stdout + r.stderr).not.toContain(token);
    expect(r.stdout + r.stderr).not.toContain(key.trim());
  });
});
