// Spec files → validated, normalised specs, or every problem in them at once. User mistakes never
// throw: they come back as issues with file:line:col, which the CLI prints and exits 2 on.
import { basename, extname, resolve } from "node:path";
import type { SpecIssue } from "../errors.js";
import type { SourceLocation, Spec } from "../model.js";
import { checkBounds } from "./bounds.js";
import { count } from "./limits.js";
import { normalize } from "./normalize.js";
import { type FileTask, loadInChunks } from "./parallel-load.js";
import { type FileSource, readSource, textSource } from "./read-source.js";
import { applyRules } from "./rules.js";
import { applyTypedReadings } from "./typed-fields.js";
import { schemaIssues } from "./validate.js";
import { display, pointer } from "./yaml-source.js";

export interface LoadResult {
  /** The specs that are valid; a caller must treat any issue as "the run is invalid". */
  specs: Spec[];
  issues: SpecIssue[];
  /** Not errors: printed with their place; `--strict` makes them errors. */
  warnings: SpecIssue[];
}

export interface ParseOptions {
  /** For ${VAR} interpolation. Default: process.env. */
  env?: Record<string, string | undefined>;
}

/** A spec's name, for the duplicate check; `spec` only when the document is valid. */
export interface Named {
  name: string;
  nameWhere: SourceLocation;
  spec?: Spec;
}

/**
 * Reads and validates every file (each may hold several YAML documents separated by ---).
 * `workers`: worker threads to share a long list with (default: parallel-load.ts decides; 0: none).
 */
export async function loadSpecFiles(
  files: string[],
  options: ParseOptions & { cwd?: string; workers?: number } = {},
): Promise<LoadResult> {
  const cwd = options.cwd ?? process.cwd();
  const named: Named[] = [];
  const issues: SpecIssue[] = [];
  const warnings: SpecIssue[] = [];
  const seen = new Set<string>();
  const unique: FileTask[] = [];
  for (const file of files) {
    const full = resolve(cwd, file);
    // Overlapping globs name a file twice; reading it twice would only report its names as duplicates.
    if (seen.has(full)) continue;
    seen.add(full);
    unique.push({ file, full });
  }
  const env = options.env ?? process.env;
  const loads = await loadInChunks(
    unique,
    (task) => readSource(task, env),
    (source, task) => judgeSource(source, task.file),
    { env, ...(options.workers !== undefined && { workers: options.workers }) },
  );
  for (const load of loads) {
    named.push(...load.named);
    issues.push(...load.issues);
    warnings.push(...load.warnings);
  }
  return { ...finish(named, issues), warnings };
}

/** One file's specs (by name, for the duplicate check across files) and problems. */
export interface FileLoad {
  named: Named[];
  issues: SpecIssue[];
  warnings: SpecIssue[];
}

/** Parses one file's text; `file` is used for locations and default names only. */
export function parseSpecs(text: string, file: string, options: ParseOptions = {}): LoadResult {
  const parsed = parseFile(text, file, options);
  return { ...finish(parsed.named, parsed.issues), warnings: parsed.warnings };
}

function parseFile(text: string, file: string, options: ParseOptions): FileLoad {
  return judgeSource(textSource(text, file, options.env ?? process.env), file);
}

/** One file's specs and problems, from its YAML documents (or the one reason it has none). */
export function judgeSource(source: FileSource, file: string): FileLoad {
  if ("issue" in source) return { named: [], issues: [source.issue], warnings: [] };
  const { documents } = source;
  const issues: SpecIssue[] = [];
  const warnings: SpecIssue[] = [];
  const named: Named[] = [];
  if (documents.length === 0) {
    issues.push({
      where: { file, line: 1, col: 1 },
      path: "",
      message: "no spec in this file",
      fix: "a spec starts with `version: 1` and a `target`",
    });
  }
  for (const doc of documents) {
    const docIssues = [...doc.syntaxIssues, ...doc.issues];
    const value = doc.value;
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
    issues.push(...shown(docIssues.sort(byPosition)));
  }
  return { named, issues, warnings: warnings.sort(byPosition) };
}

/** Problems listed per document; past that, one line counts the rest (fixing the first ones
 * often fixes many more). */
export const ISSUES_SHOWN = 50;

function shown(issues: SpecIssue[]): SpecIssue[] {
  const hidden = issues.slice(ISSUES_SHOWN);
  const [first] = hidden;
  if (!first || hidden.length === 1) return issues;
  return [
    ...issues.slice(0, ISSUES_SHOWN),
    {
      where: first.where,
      path: first.path,
      message: `${count(hidden.length)} more problems from here on are not listed`,
      fix: "fix the ones above and validate again",
    },
  ];
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

function finish(named: Named[], issues: SpecIssue[]): Omit<LoadResult, "warnings"> {
  const byName = new Map<string, Named[]>();
  for (const n of named) byName.set(n.name, [...(byName.get(n.name) ?? []), n]);
  const duplicated = new Set<Named>();
  for (const [name, same] of byName) {
    if (same.length < 2) continue;
    for (const n of same) {
      duplicated.add(n);
      const others = same.filter((o) => o !== n).map((o) => at(o.nameWhere));
      issues.push({
        where: n.nameWhere,
        path: "name",
        message: `spec name \`${name}\` is also used at ${others.join(", ")}`,
        fix: "names must be unique within a run: rename one",
      });
    }
  }
  const specs = named.flatMap((n) => (n.spec && !duplicated.has(n) ? [n.spec] : []));
  return { specs, issues };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const at = (w: SourceLocation) => `${w.file}:${w.line}:${w.col}`;

function byPosition(a: SpecIssue, b: SpecIssue): number {
  return a.where.line - b.where.line || a.where.col - b.where.col;
}
