// tat-assert as a library: gate a deployment from your own TypeScript (a release tool, a ChatOps
// bot, a deploy script) with the same pipeline the CLI and the GitHub Action run.
//
//   npm install tat-assert
//   DEPLOY_INVOCATION_ID=inv-abcd1234 DEPLOY_VERSION=1.4.2 npx tsx gate.ts          # like the CLI
//   DEPLOY_INVOCATION_ID=inv-abcd1234 DEPLOY_VERSION=1.4.2 npx tsx gate.ts --data   # verdicts as data
//
// Credentials come from the same chain as the CLI (TENCENTCLOUD_SECRET_ID/KEY, credentials files,
// OIDC, the CVM role). TAT_ENDPOINT points it elsewhere, e.g. at `npx tat-assert emulator`.
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  EXIT,
  loadSpecFiles,
  type Reporter,
  type RunReport,
  resolveCredentials,
  run,
  runGate,
  SpecError,
  TatClient,
  tatReader,
  VERSION,
} from "tat-assert";

type Env = Record<string, string | undefined>;
const here = fileURLToPath(new URL(".", import.meta.url));

/** 1. The whole gate in one call: what `tat-assert specs/*.yml` prints and returns. */
export function gate(env: Env = process.env): Promise<RunReport> {
  return runGate(
    {
      patterns: ["specs/*.yml"],
      // Files too, as on the command line: "junit:reports/tat-assert.xml", "json:report.json".
      reporters: [],
      failFast: false,
      quiet: false,
      verbose: false,
      // Empty: the credential chain decides. Or { secretId, secretKey }, or { roleArn } for OIDC.
      credentials: {},
      ...(env.TAT_ENDPOINT && { endpoint: env.TAT_ENDPOINT }),
    },
    { stdout: process.stdout, stderr: process.stderr, env, cwd: here, homeDir: homedir() },
  );
}

/** 2. Stage by stage, for a tool that wants the verdicts as data rather than console output. */
export async function failedChecks(
  env: Env = process.env,
): Promise<{ exitCode: number; failures: string[] }> {
  // Load, interpolate ${VARS} and validate: every problem at once, each with file:line:col.
  const { specs, issues } = await loadSpecFiles([join(here, "specs", "web-deploy.yml")], {
    env,
    cwd: here,
  });
  if (issues.length > 0) throw new SpecError(issues);

  // The credential chain of the CLI; `source` names where the credentials came from.
  const credentials = await resolveCredentials({}, { env, homeDir: homedir() });
  const client = new TatClient({
    credentials,
    region: env.TENCENTCLOUD_REGION ?? "ap-guangzhou",
    ...(env.TAT_ENDPOINT && { endpoint: env.TAT_ENDPOINT }),
  });

  // A reporter of our own instead of the console: one line per check that did not pass.
  const failures: string[] = [];
  const collect: Reporter = {
    name: "collect-failures",
    end(report) {
      for (const spec of report.specs) {
        for (const r of spec.fleet)
          if (r.outcome !== "pass") failures.push(`${spec.name}: ${r.message}`);
        for (const task of spec.tasks)
          for (const r of task.results)
            if (r.outcome !== "pass")
              failures.push(`${spec.name}: ${task.instanceId}: ${r.message}`);
      }
    },
  };

  // Wait for every task, evaluate, report: the same run the CLI does.
  const report = await run({
    specs,
    api: tatReader(client),
    reporters: [collect],
    version: VERSION,
  });
  return { exitCode: report.exitCode, failures };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--data")) {
    const { exitCode, failures } = await failedChecks();
    for (const line of failures) console.log(line);
    console.log(exitCode === EXIT.PASS ? "gate passed" : `gate did not pass (exit ${exitCode})`);
    process.exitCode = exitCode;
  } else {
    process.exitCode = (await gate()).exitCode;
  }
}
