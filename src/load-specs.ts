// Specs in, for the gate and for `validate`: the patterns expanded (and sharded), every file read
// and checked, standard input as a spec file, and `needs:` across all of them; every problem at
// once, as a SpecError. Kept apart from gate.ts, which loads the client, the poller and the
// reporters: `validate` needs none of them.
import { expandSpecPatterns } from "./cli/expand.js";
import { formatWarning, SpecError, UsageError } from "./errors.js";
import type { Spec } from "./model.js";
import { type Shard, shardFiles } from "./shard.js";
import { LIMITS, size } from "./spec/limits.js";
import { loadSpecFiles, parseSpecs } from "./spec/load.js";
import { dependencyIssues } from "./spec/spec-order.js";
import { specText } from "./spec/utf8-text.js";

/** What loading specs reads from the process. */
export interface SpecIo {
  cwd: string;
  env: Record<string, string | undefined>;
  /** Where a spec named `-` is read from. @default process.stdin */
  stdin?: NodeJS.ReadableStream;
  /** Where warnings are written, with their place. */
  stderr?: NodeJS.WritableStream;
}

/** The name specs read from standard input (`-`) carry in locations. */
export const STDIN_NAME = "<stdin>";

/** Loads and validates every spec (a `-` among the patterns is standard input); warnings go to
 * `io.stderr` with their place, or, with `strict`, are errors like the others. */
export async function loadGateSpecs(
  patterns: string[],
  io: SpecIo,
  strict = false,
  shard?: Shard,
): Promise<Spec[]> {
  const dashes = patterns.filter((p) => p === "-").length;
  if (dashes > 1) throw new UsageError("- (standard input) can be given only once");
  const paths = patterns.filter((p) => p !== "-");
  if (shard && paths.length === 0) {
    throw new UsageError(
      "a shard splits spec files, and only standard input was given: it is not split (every job checks all of it); leave the shard out",
    );
  }
  const expanded = paths.length > 0 ? await expandSpecPatterns(paths, io.cwd) : [];
  const files = shard ? shardFiles(expanded, shard) : expanded;
  const fromFiles = await loadSpecFiles(files, { env: io.env, cwd: io.cwd });
  let specs = [...fromFiles.specs];
  const issues = [...fromFiles.issues];
  const warnings = [...fromFiles.warnings];
  const invalid = { ...fromFiles.invalid, names: [...fromFiles.invalid.names] };
  if (dashes === 1) {
    const bytes = await readStdin(io.stdin ?? process.stdin);
    const text =
      bytes === undefined
        ? {
            where: { file: STDIN_NAME, line: 1, col: 1 },
            path: "",
            message: `standard input holds more than ${size(LIMITS.fileBytes)}, the most a spec file may hold`,
            fix: "split it into several spec files",
          }
        : specText(bytes, STDIN_NAME);
    const fromStdin =
      typeof text === "string"
        ? parseSpecs(text, STDIN_NAME, { env: io.env })
        : { specs: [], warnings: [], invalid: { names: [], unnamed: true }, issues: [text] };
    // Where `-` stands among the patterns: first, or after the files. Concatenated, not pushed as
    // arguments: standard input may hold tens of thousands of documents.
    specs = patterns[0] === "-" ? fromStdin.specs.concat(specs) : specs.concat(fromStdin.specs);
    for (const issue of fromStdin.issues) issues.push(issue);
    for (const warning of fromStdin.warnings) warnings.push(warning);
    for (const name of fromStdin.invalid.names) invalid.names.push(name);
    invalid.unnamed ||= fromStdin.invalid.unnamed;
    const seen = new Map<string, Spec>();
    for (const s of specs) {
      const first = seen.get(s.name);
      if (first) {
        issues.push({
          where: s.where,
          path: "name",
          message: `spec name ${JSON.stringify(s.name)} is already used at ${first.where.file}:${first.where.line}`,
        });
      } else seen.set(s.name, s);
    }
  }
  // `needs:` names specs of the whole run, so it is checked once they are all read; beside other
  // problems too (every problem at once), knowing which names belong to specs that are not valid.
  const missingHint = shard
    ? `with shard ${shard.index}/${shard.count} this job reads only its share of the spec files: put a spec and the specs it needs in one file`
    : undefined;
  for (const issue of dependencyIssues(specs, invalid, missingHint)) issues.push(issue);
  if (strict && warnings.length > 0) {
    const strictIssues = warnings.map((w) => ({
      ...w,
      fix: `${w.fix ? `${w.fix}; ` : ""}a warning, made an error by --strict`,
    }));
    throw new SpecError([...issues, ...strictIssues]);
  }
  for (const w of warnings) io.stderr?.write(`${formatWarning(w)}\n`);
  if (issues.length > 0) throw new SpecError(issues);
  return specs;
}

/** Standard input's bytes, or undefined once it holds more than a spec file may: read as a file
 * is (spec/load.ts), so `yes | tat-assert -` is an error rather than a process that grows until
 * it is killed. */
export async function readStdin(stream: NodeJS.ReadableStream): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    const bytes = Buffer.from(chunk as Buffer | string);
    chunks.push(bytes);
    length += bytes.length;
    if (length > LIMITS.fileBytes) return undefined;
  }
  return Buffer.concat(chunks);
}

/** Secrets known from the environment before any provider runs, so even a run stopped by an
 * invalid spec, or an error printed by the CLI's catch-all, masks them. */
export function envSecrets(env: Record<string, string | undefined>): string[] {
  return [
    env.GITHUB_TOKEN,
    env.TENCENTCLOUD_SECRET_KEY,
    env.TENCENTCLOUD_SESSION_TOKEN,
    env.TENCENTCLOUD_TOKEN,
    env.TENCENTCLOUD_SECURITY_TOKEN,
    // The runner's token for requesting OIDC tokens: never printed by us, masked all the same.
    env.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
  ].filter((s): s is string => Boolean(s));
}
