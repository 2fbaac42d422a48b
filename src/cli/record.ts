// `tat-assert record`: what the real API answered, written as an emulator scenario, so a spec can
// be tuned against real data with `--replay` and a bug report can carry a reproducible case.
import { writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { parseArgs } from "node:util";
import { type CosOutcome, completeTruncatedOutputs } from "../cos/complete-truncated.js";
import { cosEndpointUrl } from "../cos/cos-url.js";
import { resolveCredentials } from "../credentials/chain.js";
import { DEFAULT_METADATA_ENDPOINT } from "../credentials/cvm-role.js";
import type { CredentialProvider } from "../credentials/types.js";
import type { RawScenario } from "../emulator/scenario-build.js";
import { UsageError } from "../errors.js";
import { EXIT } from "../exit-code.js";
import { envSecrets } from "../gate.js";
import { networkFetch, proxySecrets } from "../net/proxy-fetch.js";
import { fetchRecords, type RecordSelector, selectorFromReport } from "../record/fetch-records.js";
import { renderScenario } from "../record/render-scenario.js";
import { compileRedactions, toScenario } from "../record/to-scenario.js";
import { createRedactor, redactValue } from "../report/redact.js";
import { TatClient } from "../tat/client.js";
import { VERSION } from "../version.js";
import type { CliIo } from "./main.js";

export const RECORD_USAGE = `Usage:
  tat-assert record --invocation inv-… [--invocation inv-…] [options] > scenario.yml
  tat-assert record --task-id invt-… [--task-id …] [options]
  tat-assert record --from-report tat-assert-report.json [options]

Writes what the TAT API answers about those invocations (their tasks, status times, exit codes,
output, ErrorInfo) as an emulator scenario. Replay it with: tat-assert --replay scenario.yml SPEC.yml

Options:
  --invocation ID        an invocation to record (repeatable)
  --task-id ID           a task to record (repeatable)
  --from-report FILE     every invocation a JSON report (--reporter json) watched
  --region REGION        TAT region (else TENCENTCLOUD_REGION)
  --endpoint URL|HOST    TAT endpoint (default tat.tencentcloudapi.com)
  --redact REGEX         replace every match (RE2) in output, ErrorInfo and the command with ***
                         (repeatable)
  --no-output            do not record output at all
  --cos-endpoint URL     read the whole logs of cut outputs from this COS endpoint instead of
                         each OutputUrl's bucket host (as for the gate). Without --no-output, a
                         task TAT cut that has an OutputUrl is recorded with its whole log from
                         COS (at most 64 MiB each), read with the same credentials
  --out FILE             write here instead of standard output
  --profile NAME, --role-arn ARN, --provider-id ID, --sts-endpoint URL
                         credentials, as for the gate
  -h, --help             show this help
`;

const OPTIONS = {
  invocation: { type: "string", multiple: true },
  "task-id": { type: "string", multiple: true },
  "from-report": { type: "string" },
  region: { type: "string" },
  endpoint: { type: "string" },
  redact: { type: "string", multiple: true },
  "no-output": { type: "boolean" },
  "cos-endpoint": { type: "string" },
  out: { type: "string" },
  profile: { type: "string" },
  "role-arn": { type: "string" },
  "provider-id": { type: "string" },
  "sts-endpoint": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export async function runRecord(
  argv: string[],
  io: CliIo & { fetch?: typeof globalThis.fetch },
): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: false }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: false, strict: true });
  } catch (error) {
    throw new UsageError(
      `${(error as Error).message}\nRun tat-assert record --help for the options.`,
    );
  }
  const v = parsed.values;
  if (v.help) {
    io.stdout.write(RECORD_USAGE);
    return EXIT.PASS;
  }
  const selector: RecordSelector = {
    invocationIds: v.invocation ?? [],
    taskIds: v["task-id"] ?? [],
  };
  if (v["from-report"] !== undefined) {
    const fromReport = await selectorFromReport(v["from-report"]);
    for (const id of fromReport.invocationIds) selector.invocationIds.push(id);
  }
  if (selector.invocationIds.length === 0 && selector.taskIds.length === 0) {
    throw new UsageError(
      "nothing to record: give --invocation, --task-id or --from-report (tat-assert record --help)",
    );
  }
  // Bad patterns are found before anything is asked of the API.
  compileRedactions(v.redact);
  const cosEndpoint =
    v["cos-endpoint"] === undefined ? undefined : cosEndpointUrl(v["cos-endpoint"]);
  if (v["cos-endpoint"] !== undefined && cosEndpoint === undefined) {
    throw new UsageError(
      `--cos-endpoint ${JSON.stringify(v["cos-endpoint"])} is not an http(s) URL without user, query or fragment`,
    );
  }
  const region = v.region ?? io.env.TENCENTCLOUD_REGION;
  if (!region) throw new UsageError("no TAT region: give --region or TENCENTCLOUD_REGION");

  // Through the environment's proxy, as the gate goes; the metadata service always direct.
  const fetch = io.fetch ?? networkFetch(io.env, { direct: [DEFAULT_METADATA_ENDPOINT] });
  const provider = await resolveCredentials(
    {
      ...(v.profile && { profile: v.profile }),
      ...(v["role-arn"] && { roleArn: v["role-arn"] }),
      ...(v["provider-id"] && { providerId: v["provider-id"] }),
      ...(v["sts-endpoint"] && { stsEndpoint: v["sts-endpoint"] }),
    },
    { env: io.env, homeDir: homedir(), fetch },
  );
  const secrets = new Set<string>();
  for (const s of [...envSecrets(io.env), ...proxySecrets(io.env)]) if (s) secrets.add(s);
  // One provider for TAT and COS, remembering every secret it hands out so none is written.
  const credentials: CredentialProvider = {
    source: provider.source,
    get: async (signal) => {
      const c = await provider.get(signal);
      secrets.add(c.secretKey);
      if (c.token) secrets.add(c.token);
      return c;
    },
  };
  const client = new TatClient({
    credentials,
    region,
    ...(v.endpoint && { endpoint: v.endpoint }),
    fetch,
  });
  const noOutput = v["no-output"] ?? false;
  const records = await fetchRecords(client, selector, {
    withOutput: !noOutput,
    ...(io.signal && { signal: io.signal }),
  });
  // The whole log of each cut task, when COS has it: the replay then cuts and serves it as TAT did.
  const cos = noOutput
    ? undefined
    : await completeTruncatedOutputs(records.tasks, {
        credentials,
        fetch,
        ...(cosEndpoint && { cosEndpoint }),
        ...(io.signal && { signal: io.signal }),
        sourceFor: () => "auto",
      });
  const recordedAt = new Date().toISOString();
  const { scenario, notes } = toScenario(records.invocations, cos?.tasks ?? records.tasks, {
    redact: v.redact ?? [],
    noOutput,
    recorded: { at: recordedAt, region, by: VERSION },
  });
  const outcomes = [...(cos?.outcomes ?? [])];
  notes.fromCos = outcomes.flatMap(([id, o]) => ("source" in o ? [id] : []));
  notes.cosUnread = outcomes.flatMap(([id, o]) =>
    "unverifiable" in o ? [`${id}: only TAT's 24 KiB; ${o.unverifiable}`] : [],
  );
  replayCosRefusals(scenario, new Map(outcomes));
  // A runbook that printed the key it was given must not hand it on in the file. Each value is
  // masked before it is written: in the rendered YAML a line break gains an indent, and ESC and CR
  // become the text `\e` and `\r`, which hide a secret wrapped, coloured or split over lines from
  // any pass over the file. The file is masked again as a whole, for what the header quotes.
  const redact = createRedactor([...secrets]);
  const text = redact(
    renderScenario(
      redactValue(scenario, redact),
      {
        version: VERSION,
        recordedAt,
        region,
        endpointHost: client.endpoint.host,
        redactions: v.redact?.length ?? 0,
        noOutput,
      },
      notes,
    ),
  );
  if (v.out !== undefined) await writeFile(v.out, text);
  else io.stdout.write(text);
  const taskCount = records.tasks.length;
  io.stderr.write(
    `recorded ${records.invocations.length} invocation${records.invocations.length === 1 ? "" : "s"} and ${taskCount} task${taskCount === 1 ? "" : "s"}${v.out ? ` to ${v.out}` : ""}\n`,
  );
  return EXIT.PASS;
}

/** A task whose object COS refused or did not have at record time is recorded with that answer
 * (`cosFault`), so its replay names the same COS error; any other failure replays as the missing
 * object the recording indeed lacks (emulator: 404 NoSuchKey for a task with `dropped`). */
function replayCosRefusals(scenario: RawScenario, outcomes: Map<string, CosOutcome>): void {
  for (const inv of scenario.invocations ?? []) {
    for (const task of inv.tasks ?? []) {
      const outcome = task.id === undefined ? undefined : outcomes.get(task.id);
      if (!outcome || !("unverifiable" in outcome) || task.dropped === undefined) continue;
      if (/: HTTP 403 AccessDenied\b/.test(outcome.unverifiable)) task.cosFault = "accessDenied";
      else if (/: HTTP 404 NoSuchKey\b/.test(outcome.unverifiable)) task.cosFault = "noSuchKey";
    }
  }
}
