// Reading scenarios: a file (YAML, or JSON which YAML also reads), text, or data built in code.
// Every problem comes back at once as a SpecError whose issues carry file:line:col.
import { open } from "node:fs/promises";
import { SpecError } from "../errors.js";
import { size } from "../spec/limits.js";
import { specText } from "../spec/utf8-text.js";
import { buildFromValid, type RawScenario } from "./scenario-build.js";
import { schemaIssues } from "./scenario-validate.js";
import { type Located, parseLocated, unlocated } from "./source-map.js";
import type { Scenario } from "./types.js";

function fromSource(source: Located, file: string): Scenario {
  if (source.syntaxErrors.length > 0) {
    throw new SpecError(
      source.syntaxErrors.map((e) => ({ where: e.where, path: "", message: e.message })),
    );
  }
  if (source.data === undefined || source.data === null) {
    throw new SpecError([
      { where: { file, line: 1, col: 1 }, path: "", message: "the scenario is empty" },
    ]);
  }
  // A recording is a YAML block document, which stays valid YAML wherever it is cut: a file cut
  // before a failing task, or inside a forbidden line of the last output, would replay as a
  // smaller run that passes. `tat-assert record` ends every recording with `...`, so a recording
  // without it is refused rather than replayed as less than was recorded.
  if (!source.ended && typeof source.data === "object" && Object.hasOwn(source.data, "recorded")) {
    throw new SpecError([
      {
        where: source.end,
        path: "recorded",
        message:
          "the recording ends before the `...` line that `tat-assert record` writes last: the file was cut short, and a replay would judge less than was recorded",
        fix: "record it again, or restore its end",
      },
    ]);
  }
  const invalid = schemaIssues(source);
  if (invalid.length > 0) throw new SpecError(invalid);
  const { scenario, issues } = buildFromValid(source.data as RawScenario, source, file);
  if (issues.length > 0) throw new SpecError(issues);
  return scenario;
}

/** Parses scenario text (YAML or JSON); throws SpecError with file:line:col issues. */
export function parseScenario(text: string, file: string): Scenario {
  return fromSource(parseLocated(text, file), file);
}

/** Validates and expands scenario data built in code (same format as the files). */
export function buildScenario(raw: RawScenario, file = "<scenario>"): Scenario {
  return fromSource(unlocated(raw, file), file);
}

/**
 * The most a scenario file may hold: about V8's longest string, so a file past it is refused with
 * its size rather than by a crash while it is decoded. A recording of 10,000 tasks with 24 KiB of
 * output each is about 330 MiB.
 */
export const MAX_SCENARIO_BYTES = 512 * 1024 * 1024;

/** `most`: the limit, for tests. @default MAX_SCENARIO_BYTES */
export async function loadScenario(path: string, most = MAX_SCENARIO_BYTES): Promise<Scenario> {
  const bytes = await readAtMost(path, most);
  if (bytes === undefined) {
    throw new SpecError([
      {
        where: { file: path, line: 1, col: 1 },
        path: "",
        message: `the file holds more than ${size(most)}, the most a scenario may hold`,
        fix: "record fewer invocations into each file, or with --no-output",
      },
    ]);
  }
  // Strictly, as a spec is read: a replaced byte in a recorded output would replay as U+FFFD and
  // judge differently from what the task printed.
  const text = specText(bytes, path);
  if (typeof text !== "string") throw new SpecError([text]);
  return parseScenario(text, path);
}

/** The file's bytes, or undefined past `most`: a device or pipe (`/dev/zero`) is read at most one
 * byte past it, never to the end. */
async function readAtMost(path: string, most: number): Promise<Buffer | undefined> {
  const file = await open(path, "r");
  try {
    const stats = await file.stat();
    if (stats.isFile() && stats.size > most) return undefined;
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(4 * 1024 * 1024, most + 1 - length));
      const { bytesRead } = await file.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) return Buffer.concat(chunks, length);
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
      if (length > most) return undefined;
    }
  } finally {
    await file.close();
  }
}
