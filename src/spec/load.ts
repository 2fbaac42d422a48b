// Spec files → validated, normalised specs, or every problem in them at once. User mistakes never
// throw: they come back as issues with file:line:col, which the CLI prints and exits 2 on.
import { readFile } from "node:fs/promises";
import { basename, extname, resolve } from "node:path";
import type { SpecIssue } from "../errors.js";
import type { SourceLocation, Spec } from "../model.js";
import { normalize } from "./normalize.js";
import { applyRules } from "./rules.js";
import { applyTypedReadings } from "./typed-fields.js";
import { schemaIssues } from "./validate.js";
import { display, pointer, readYaml } from "./yaml-source.js";

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
  const seen = new Set<string>();
  for (const file of files) {
    const full = resolve(cwd, file);
    // Overlapping globs name a file twice; reading it twice would only report its names as duplicates.
    if (seen.has(full)) continue;
    seen.add(full);
    let text: string;
    try {
      text = await readFile(full, "utf8");
    } catch (error) {
      issues.push(unreadable(file, error));
      continue;
    }
    const parsed = parseFile(text, file, options);
    named.push(...parsed.named);
    issues.push(...parsed.issues);
    warnings.push(...parsed.warnings);
  }
  return { ...finish(named, issues), warnings };
}

/** Parses one file's text; `file` is used for locations and default names only. */
export function parseSpecs(text: string, file: string, options: ParseOptions = {}): LoadResult {
  const parsed = parseFile(text, file, options);
  return { ...finish(parsed.named, parsed.issues), warnings: parsed.warnings };
}

function parseFile(
  text: string,
  file: string,
  options: ParseOptions,
): { named: Named[]; issues: SpecIssue[]; warnings: SpecIssue[] } {
  const env = options.env ?? process.env;
  const documents = readYaml(text.replace(/^\uFEFF/, ""), file, env);
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
      applyRules({
        spec,
        report(path, message, fix, atKey) {
          if (!quiet(path)) docIssues.push(located(path, message, fix, atKey));
        },
        warn(path, message, fix, atKey) {
          if (!quiet(path)) warnings.push(located(path, message, fix, atKey));
        },
      });
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
    issues.push(...docIssues.sort(byPosition));
  }
  return { named, issues, warnings: warnings.sort(byPosition) };
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
