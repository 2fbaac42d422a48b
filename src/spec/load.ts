// Spec files → validated, normalised specs, or every problem in them at once. User mistakes never
// throw: they come back as issues with file:line:col, which the CLI prints and exits 2 on.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { basename, extname, resolve } from "node:path";
import type { SpecIssue } from "../errors.js";
import { groupDigits } from "../locale-free.js";
import type { SourceLocation, Spec } from "../model.js";
import { checkBounds } from "./bounds.js";
import { LIMITS, size } from "./limits.js";
import { ISSUES_SHOWN, listedFirst } from "./listed-issues.js";
import { normalize } from "./normalize.js";
import { applyRules } from "./rules.js";
import type { InvalidSpecs } from "./spec-order.js";
import { applyTypedReadings } from "./typed-fields.js";
import { specText } from "./utf8-text.js";
import { schemaIssues } from "./validate.js";
import { readPlainYaml } from "./yaml-events.js";
import { display, pointer, readYaml } from "./yaml-source.js";

export interface LoadResult {
  /** The specs that are valid; a caller must treat any issue as "the run is invalid". */
  specs: Spec[];
  issues: SpecIssue[];
  /** Not errors: printed with their place; `--strict` makes them errors. */
  warnings: SpecIssue[];
  /** Specs read but not valid (each has its issues): `needs:` across files is still checked
   * beside them, without calling one of these missing. */
  invalid: InvalidSpecs;
}

export interface ParseOptions {
  /** For ${VAR} interpolation. Default: process.env. */
  env?: Record<string, string | undefined>;
}

/** A spec's name, for the duplicate check; `spec` only when the document is valid. */
interface Named {
  name: string;
  nameWhere: SourceLocation;
  spec?: Spec;
}

/** Reads and validates every file (each may hold several YAML documents separated by ---). */
export async function loadSpecFiles(
  files: string[],
  options: ParseOptions & { cwd?: string } = {},
): Promise<LoadResult> {
  const cwd = options.cwd ?? process.cwd();
  const named: Named[] = [];
  const issues: SpecIssue[] = [];
  const warnings: SpecIssue[] = [];
  let unnamed = false;
  const seen = new Set<string>();
  const unique: { file: string; full: string }[] = [];
  for (const file of files) {
    const full = resolve(cwd, file);
    // Overlapping globs name a file twice; reading it twice would only report its names as duplicates.
    if (seen.has(full)) continue;
    seen.add(full);
    unique.push({ file, full });
  }
  // Measured on 1,000 spec files: a synchronous read costs about 30 µs of CPU, an asynchronous
  // one (promise, thread pool, file handle) 200 to 370 µs, and the reads never waited on a disk.
  // Parsing is the work, so files are read where they are parsed, and the event loop gets a turn
  // every few files (signals, timers) instead of after every one.
  for (const [i, { file, full }] of unique.entries()) {
    if (i > 0 && i % YIELD_EVERY === 0) await new Promise((resume) => setImmediate(resume));
    const read = readBounded(full);
    const text =
      read instanceof Uint8Array
        ? specText(read, file)
        : read.size !== undefined
          ? tooLargeFile(file, read.size)
          : unreadable(file, read.error);
    if (typeof text !== "string") {
      // Whatever specs it holds, their names are unknown.
      unnamed = true;
      issues.push(text);
      continue;
    }
    const parsed = parseFile(text, file, options);
    // One element at a time: a file of 55,000 documents is too many arguments for one push.
    for (const n of parsed.named) named.push(n);
    for (const issue of parsed.issues) issues.push(issue);
    for (const warning of parsed.warnings) warnings.push(warning);
    unnamed ||= parsed.unnamed;
  }
  return { ...finish(named, issues, unnamed), warnings };
}

/** Files parsed between two turns of the event loop (about 20 ms of work). */
const YIELD_EVERY = 16;

type Read = Uint8Array | { size?: number; error?: unknown };

/** The file's bytes, or its size when it is over the limit (then it is never read past it). */
function readBounded(path: string): Read {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const stats = fstatSync(fd);
    if (stats.isDirectory()) return { error: Object.assign(new Error(), { code: "EISDIR" }) };
    if (stats.size > LIMITS.fileBytes) return { size: stats.size };
    // A pipe or device (/dev/stdin, a FIFO) has no size up front: it is read at most one byte past
    // the limit, so /dev/zero is an error too, not a hang.
    const most = LIMITS.fileBytes + 1;
    let buffer = Buffer.allocUnsafe(Math.min(most, stats.isFile() ? stats.size + 1 : 64 * 1024));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length === most) return { size: length };
        const larger = Buffer.allocUnsafe(Math.min(most, buffer.length * 2));
        buffer.copy(larger, 0, 0, length);
        buffer = larger;
      }
      const got = readSync(fd, buffer, length, buffer.length - length, null);
      if (got === 0) return buffer.subarray(0, length);
      length += got;
    }
  } catch (error) {
    return { error };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Parses one file's text; `file` is used for locations and default names only. */
export function parseSpecs(text: string, file: string, options: ParseOptions = {}): LoadResult {
  const parsed = parseFile(text, file, options);
  return { ...finish(parsed.named, parsed.issues, parsed.unnamed), warnings: parsed.warnings };
}

function parseFile(
  text: string,
  file: string,
  options: ParseOptions,
): { named: Named[]; issues: SpecIssue[]; warnings: SpecIssue[]; unnamed: boolean } {
  const env = options.env ?? process.env;
  // Characters never outnumber bytes: a text under the limit in characters may still be over it in
  // bytes, but a file read from disk was checked in bytes already.
  if (text.length > LIMITS.fileBytes) {
    return {
      named: [],
      issues: [tooLargeFile(file, Buffer.byteLength(text))],
      warnings: [],
      unnamed: true,
    };
  }
  const source = text.replace(/^\uFEFF/, "");
  // Most specs are plain YAML, which js-yaml's events read ten times faster; anything else, and
  // every problem, is read by `yaml` (yaml-events.ts says which is which).
  const documents = readPlainYaml(source, file, env) ?? readYaml(source, file, env);
  const issues: SpecIssue[] = [];
  const warnings: SpecIssue[] = [];
  const named: Named[] = [];
  // A document with problems whose name cannot be read (a YAML error, `name: ${UNSET}`).
  let unnamed = false;
  if (documents.length === 0) {
    issues.push({
      where: { file, line: 1, col: 1 },
      path: "",
      message: "no spec in this file",
      fix: "a spec starts with `version: 1` and a `target`",
    });
  }
  const unlisted: { count: number; from?: SpecIssue } = { count: 0 };
  for (const doc of documents) {
    const docIssues = [...doc.syntaxIssues, ...doc.issues];
    const value = doc.value;
    const before = named.length;
    if (doc.syntaxIssues.length === 0 && !isRecord(value)) {
      docIssues.push({
        where: doc.where,
        path: "",
        message: "a spec must be a mapping (version, target, expect, …)",
      });
    } else if (doc.syntaxIssues.length === 0 && isRecord(value)) {
      const spec = value;
      applyTypedReadings(spec, doc.typedReadings);
      // A value whose ${VAR} failed is already reported; checking the raw text would only add noise.
      const quiet = (path: (string | number)[]) => doc.unresolved.has(pointer(path));
      docIssues.push(...schemaIssues(spec, doc.positions, doc.where, doc.unresolved));
      const located = (
        path: (string | number)[],
        message: string,
        fix: string | undefined,
        atKey: boolean | undefined,
      ): SpecIssue => {
        const p = doc.positions.get(pointer(path));
        const where = (atKey ? p?.key : undefined) ?? p?.value ?? doc.where;
        return { where, path: display(path), message, ...(fix !== undefined && { fix }) };
      };
      const rules = {
        spec,
        report(path: (string | number)[], message: string, fix?: string, atKey?: boolean) {
          if (!quiet(path)) docIssues.push(located(path, message, fix, atKey));
        },
        warn(path: (string | number)[], message: string, fix?: string, atKey?: boolean) {
          if (!quiet(path)) warnings.push(located(path, message, fix, atKey));
        },
      };
      applyRules(rules);
      checkBounds(rules);
      // Names are compared across every spec, valid or not, so that one run reports them all.
      const n = nameOf(spec, quiet(["name"]), () => defaultName(file, doc.index, documents.length));
      if (n) {
        const nameWhere = n.written ? (doc.positions.get("/name")?.value ?? doc.where) : doc.where;
        named.push({
          name: n.name,
          nameWhere,
          ...(docIssues.length === 0 && {
            spec: normalize(spec, file, n.name, { positions: doc.positions, start: doc.where }),
          }),
        });
      }
    }
    if (named.length === before && docIssues.length > 0) unnamed = true;
    // Past the bound, later documents' problems are counted, not listed: 55,000 documents of
    // three problems each were 165,000 lines (and one push of them overflowed the stack). That the
    // file was read no further is always said: it is why the rest of it reports nothing.
    if (issues.length < ISSUES_SHOWN || doc.readNoFurther) {
      for (const issue of listedFirst(docIssues.sort(byPosition))) issues.push(issue);
    } else if (docIssues.length > 0) {
      unlisted.count += docIssues.length;
      unlisted.from ??= docIssues.sort(byPosition)[0];
    }
  }
  if (unlisted.from) {
    issues.push({
      where: unlisted.from.where,
      path: unlisted.from.path,
      message: `${groupDigits(unlisted.count)} more problems in later documents of this file are not listed`,
      fix: "fix the ones above and validate again",
    });
  }
  return { named, issues, warnings: warnings.sort(byPosition), unnamed };
}

function tooLargeFile(file: string, bytes: number): SpecIssue {
  return {
    where: { file, line: 1, col: 1 },
    path: "",
    message: `the file is ${size(bytes)}; a spec file is at most ${size(LIMITS.fileBytes)}`,
    fix: "split it into several spec files",
  };
}

/** The written name, or the default one when none is written; none when it cannot be read. */
function nameOf(
  spec: Record<string, unknown>,
  unresolved: boolean,
  fallback: () => string,
): { name: string; written: boolean } | undefined {
  if (spec.name === undefined) return { name: fallback(), written: false };
  if (typeof spec.name !== "string" || spec.name === "" || unresolved) return undefined;
  return { name: spec.name, written: true };
}

/** File name without extension, plus #N (1-based) when the file holds several specs. */
export function defaultName(file: string, index: number, count: number): string {
  const base = basename(file, extname(file));
  return count > 1 ? `${base}#${index + 1}` : base;
}

function finish(
  named: Named[],
  issues: SpecIssue[],
  unnamed: boolean,
): Omit<LoadResult, "warnings"> {
  const byName = new Map<string, Named[]>();
  for (const n of named) {
    const same = byName.get(n.name);
    if (same) same.push(n);
    else byName.set(n.name, [n]);
  }
  const duplicated = new Set<Named>();
  const reused: SpecIssue[] = [];
  for (const [name, same] of byName) {
    if (same.length < 2) continue;
    // Each use names a few of the others: naming all of them for each of 8,000 uses of one name
    // was quadratic (1.3 GB).
    const places = same.slice(0, PLACES_SHOWN + 1).map((o) => at(o.nameWhere));
    for (const [i, n] of same.entries()) {
      duplicated.add(n);
      const others = places.filter((_, j) => j !== i).slice(0, PLACES_SHOWN);
      const more = same.length - 1 - others.length;
      reused.push({
        where: n.nameWhere,
        path: "name",
        message: `spec name \`${name}\` is also used at ${others.join(", ")}${more > 0 ? ` and ${groupDigits(more)} more places` : ""}`,
        fix: "names must be unique within a run: rename one",
      });
    }
  }
  for (const issue of listedFirst(reused)) issues.push(issue);
  const specs = named.flatMap((n) => (n.spec && !duplicated.has(n) ? [n.spec] : []));
  const names = named.flatMap((n) => (n.spec && !duplicated.has(n) ? [] : [n.name]));
  return { specs, issues, invalid: { names, unnamed } };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const at = (w: SourceLocation) => `${w.file}:${w.line}:${w.col}`;

/** Other places a reused spec name is named at, in each of its problems. */
const PLACES_SHOWN = 5;

function byPosition(a: SpecIssue, b: SpecIssue): number {
  return a.where.line - b.where.line || a.where.col - b.where.col;
}

function unreadable(file: string, error: unknown): SpecIssue {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === "ENOENT"
      ? "no such file"
      : code === "EISDIR"
        ? "it is a directory"
        : code === "EACCES"
          ? "permission denied"
          : `${code ?? "error"}`;
  return { where: { file, line: 1, col: 1 }, path: "", message: `cannot read the file: ${reason}` };
}
