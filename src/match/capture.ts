// `capture:` — a named value read from each task's output. The value is the first match's group
// named `value`, else its first group, found by RE2 (never V8's RegExp on a user's pattern). A
// capture that finds nothing is a failed check naming the capture; on truncated output it cannot
// be verified (the match may sit in the dropped part), as for `matches`. A JSON-path capture reads
// the JSON as `output.json` does; truncated output cannot be read with certainty at all (the value,
// or a later one, may be in the dropped end), so it is never verified on a cut output. The full log
// read from COS is not cut; a COS read that failed makes every capture unverifiable, naming COS.
import { createHash } from "node:crypto";
import { RE2JS } from "re2js";
import { detach } from "../detach.js";
import type { CaptureRule, CaptureSource, OutputPattern, TaskObservation } from "../model.js";
import { plainLine } from "../report/sanitize.js";
import { compileRegex } from "../spec/pattern.js";
import type { Check, Judgement } from "./check.js";
import { compiledPattern } from "./compiled-pattern.js";
import { endsBeforeCut } from "./cut-output.js";
import { tailExcerpt } from "./excerpt.js";
import { captureJson } from "./json/capture.js";
import { compileJsonPath, isJsonPathProblem } from "./json/path.js";
import { cosFailure, judgedDroppedBytes, visibleOutput } from "./output-check.js";

/** The longest value kept per capture and task. A longer one keeps its head and a digest of the
 * whole, so two long values that differ after the head are still told apart. */
export const CAPTURE_VALUE_CHARS = 200;

export interface CaptureCheck extends Check {
  name: string;
  /** The judgement on a terminal task, and the value when one was found: `value` as kept and
   * shown, `raw` as printed (what this task's own later patterns are given). */
  take(task: TaskObservation): { judgement: Judgement; value?: string; raw?: string };
}

const ALLOW_HINT = "output.allowTruncated: true judges the kept part only";

/** The value as it is kept and shown: on one line, cleaned, bounded, and sharing no memory with
 * the output it was cut from (a V8 slice would keep the whole output alive). */
export function keptValue(raw: string): string {
  const clean = plainLine(raw);
  if (clean.length <= CAPTURE_VALUE_CHARS) return detach(clean);
  const digest = createHash("sha256").update(raw).digest("hex").slice(0, 12);
  return detach(
    `${clean.slice(0, CAPTURE_VALUE_CHARS - 40)}… (${clean.length} characters, sha256 ${digest})`,
  );
}

/** Ends like a kept value's digest: a printed value that looks so is digested too, so no output can
 * print the kept form of another task's value and be counted the same. */
const DIGEST_TAIL = /sha256 [0-9a-f]{12}\)$/;
const NOT_AS_PRINTED = / \(not as printed; sha256 [0-9a-f]{12}\)$/;

/** The value a task is judged and compared by (fleet, `${capture.x}` across specs): the kept value
 * when cleaning changed nothing; otherwise the cleaned text with a digest of the raw value, so two
 * values that differ only in what cleaning removes (an escape sequence, a control character) are
 * never counted the same. */
export function capturedValue(raw: string): string {
  const clean = plainLine(raw);
  if (clean.length > CAPTURE_VALUE_CHARS) return keptValue(raw);
  if (clean === raw && !DIGEST_TAIL.test(raw)) return detach(raw);
  const digest = createHash("sha256").update(raw).digest("hex").slice(0, 12);
  const room = CAPTURE_VALUE_CHARS - 40;
  const head = clean.length > room ? `${clean.slice(0, room - 1)}…` : clean;
  return detach(`${head} (not as printed; sha256 ${digest})`);
}

/** Whether a value is shown cleaned (capturedValue), not as it was printed. */
export function isNotAsPrinted(value: string): boolean {
  return NOT_AS_PRINTED.test(value);
}

/** Whether a kept value is a long value's head and digest, not the value itself. */
export function isCutValue(value: string): boolean {
  return (
    value.length > CAPTURE_VALUE_CHARS - 40 && / characters, sha256 [0-9a-f]{12}\)$/.test(value)
  );
}

/** What one kind of capture source finds in a task's output. `absent`: nothing there (on
 * truncated output that cannot be told from "in the dropped part"); `fail`: something there, but
 * no usable value (an empty group); `unverifiable`: this source cannot read a cut output at all. */
export type Reading =
  | { value: string; atCut?: true }
  | { absent: string; actual?: string }
  | { fail: string; actual: string }
  | { unverifiable: string; actual: string };

/** One capture source, ready to read outputs: the only part a new source kind has to write. */
export interface ValueReader {
  /** How the source reads in messages: `/version=(\S+)/`. */
  shown: string;
  /** The spec's source cannot be used (the loader rejects those first). */
  problem?: string;
  /** `text`: the output with LF line ends; `raw`: as TAT returned it; `dropped`: bytes cut from
   * it (0 when the full log was read from COS). `atCut`: the match reaches the last line of a cut
   * output, so the value may go on in the dropped part (cut-output.ts). */
  read(text: string, raw: string | undefined, dropped: number): Reading;
}

export function captureChecks(
  rules: readonly CaptureRule[],
  allowTruncated = false,
): CaptureCheck[] {
  return rules.map((rule) => captureCheck(rule, readerFor(rule.source), allowTruncated));
}

/** One reader per source kind. */
function readerFor(source: CaptureSource): ValueReader {
  switch (source.kind) {
    case "regex":
      return regexReader(source.pattern);
    case "json":
      return jsonReader(source.path, source.from);
  }
}

/** The one value a JSONPath selects in the JSON read from the output (json/capture.ts). */
export function jsonReader(path: string, from: "whole" | "last" | "lines"): ValueReader {
  const shown = from === "last" ? path : `${path} (from: ${from})`;
  const compiled = compileJsonPath(path);
  if (isJsonPathProblem(compiled)) {
    return { shown, problem: compiled.problem, read: () => ({ absent: "" }) };
  }
  return {
    shown,
    read(text, _raw, dropped) {
      if (dropped > 0) {
        return {
          unverifiable: `the output was truncated (${dropped} bytes dropped): the JSON, or a later value, may be in the dropped part (output.source: cos reads the full log when the command uploads it to COS)`,
          actual: `${dropped} bytes dropped`,
        };
      }
      const got = captureJson(text, from, path);
      if ("value" in got) return { value: got.value };
      if ("unverifiable" in got) {
        return { unverifiable: got.unverifiable, actual: "a number not read as printed" };
      }
      return { absent: got.missing, actual: "no value" };
    },
  };
}

/** The first match's group named `value`, else its first group (RE2, never V8's RegExp). */
export function regexReader(pattern: OutputPattern): ValueReader {
  const re = compileRegex(pattern.source, pattern.flags);
  const decide = compiledPattern(pattern);
  const shown = pattern.text;
  if (!(re instanceof RE2JS)) return { shown, problem: re.problem, read: () => ({ absent: "" }) };
  if ("problem" in decide) return { shown, problem: decide.problem, read: () => ({ absent: "" }) };
  const group = re.namedGroups().value ?? 1;
  return {
    shown,
    read(lf, raw, dropped) {
      // As `matches`: judged on the text as the user reads it, then as TAT returned it (a CR).
      const text = decide.test(lf)
        ? lf
        : raw !== undefined && raw !== lf && decide.test(raw)
          ? raw
          : undefined;
      if (text === undefined) return { absent: "no match in the output" };
      // The DFA located the line of the first match; the capturing engine starts there.
      const at = decide.locate(text);
      const from = at > 0 ? text.lastIndexOf("\n", at - 1) + 1 : 0;
      const m = re.matcher(text);
      const found = m.find(from) ? m.group(group) : null;
      if (found === null) {
        return { fail: "the group took no part in the first match", actual: "no value" };
      }
      if (found === "") {
        return { fail: "the first match captured an empty value", actual: "empty value" };
      }
      return dropped > 0 && !endsBeforeCut(m.end(), text)
        ? { value: found, atCut: true }
        : { value: found };
    },
  };
}

/** A capture as a check: the value when the reader finds one; otherwise a failure naming the
 * capture, or "could not verify" when the output is missing or truncated. */
export function captureCheck(
  rule: CaptureRule,
  reader: ValueReader,
  allowTruncated: boolean,
): CaptureCheck {
  const what = `${rule.name} ${reader.shown}`;
  const take = (task: TaskObservation): { judgement: Judgement; value?: string; raw?: string } => {
    if (reader.problem !== undefined) {
      return { judgement: { outcome: "error", actual: "invalid source", message: reader.problem } };
    }
    const visible = visibleOutput(task);
    if ("missing" in visible) {
      return {
        judgement: {
          outcome: "error",
          actual: visible.actual,
          message: `${visible.missing}: cannot capture ${what}`,
        },
      };
    }
    // COS was needed for the full log and could not give it: the value may be in what TAT cut.
    const cosError = cosFailure(task);
    if (cosError !== undefined) {
      return {
        judgement: {
          outcome: "error",
          actual: "full output not read from COS",
          message: `cannot capture ${what} from the full output: ${cosError}`,
        },
      };
    }
    const lf = visible.text;
    const dropped = judgedDroppedBytes(task);
    const reading = reader.read(lf, task.output, dropped);
    if ("value" in reading && reading.atCut && !allowTruncated) {
      // `version=(\S+)` on a copy cut after `version=1.4` reads 1.4 of 1.4.2.
      return {
        judgement: {
          outcome: "error",
          actual: `found only at the cut; ${dropped} bytes dropped`,
          message: `capture ${what}: found only where TAT cut the output (${dropped} bytes dropped): the match reaches the cut-short last line, and the value may go on in the full output (${ALLOW_HINT})`,
          excerpt: tailExcerpt(lf),
        },
      };
    }
    if ("value" in reading) {
      const value = capturedValue(reading.value);
      return {
        value,
        raw: reading.value,
        judgement: {
          outcome: "pass",
          actual: value,
          message: `captured ${rule.name} = ${JSON.stringify(value)}`,
        },
      };
    }
    if ("fail" in reading) {
      return {
        judgement: {
          outcome: "fail",
          actual: reading.actual,
          message: `capture ${what}: ${reading.fail}`,
        },
      };
    }
    if ("unverifiable" in reading) {
      return {
        judgement: {
          outcome: "error",
          actual: reading.actual,
          message: `capture ${what}: ${reading.unverifiable}`,
          excerpt: tailExcerpt(lf),
        },
      };
    }
    if (dropped > 0 && !allowTruncated) {
      return {
        judgement: {
          outcome: "error",
          actual: `not found in the kept output; ${dropped} bytes dropped`,
          message: `capture ${what}: not found in the kept output, but ${dropped} bytes were dropped and it may be there (${ALLOW_HINT})`,
          excerpt: tailExcerpt(lf),
        },
      };
    }
    return {
      judgement: {
        outcome: "fail",
        actual: reading.actual ?? "not found",
        message: `capture ${what}: ${reading.absent}${dropped > 0 ? " (in the kept part of truncated output)" : ""}`,
        excerpt: tailExcerpt(lf),
      },
    };
  };
  return {
    check: "capture",
    name: rule.name,
    expected: `captures ${rule.name} with ${reader.shown}`,
    where: rule.where,
    take,
    judge: (task) => take(task).judgement,
  };
}
