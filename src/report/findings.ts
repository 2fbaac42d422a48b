// What deserves an annotation: every expectation that did not hold (failure) or could not be
// checked (warning), most important first, and the grouping used where GitHub shows only a few.
import { isAbsolute, relative, resolve, sep } from "node:path";
import type { AssertionResult, CheckName, RunReport } from "../model.js";
import { resultLine } from "./result-line.js";

export interface Finding {
  spec: string;
  /** Instance id for task results; absent for spec-level (fleet) results. */
  subject?: string;
  taskId?: string;
  result: AssertionResult;
  level: "failure" | "warning";
  /** The console's one-line message. */
  line: string;
}

/**
 * Failures before could-not-verify, spec-level results before per-task ones (a coverage gap or a
 * missed quorum explains many task lines), then the report's order.
 */
export function collectFindings(report: RunReport): Finding[] {
  const found: (Finding & { rank: number })[] = [];
  for (const spec of report.specs) {
    for (const result of spec.fleet) {
      if (result.outcome !== "fail" && result.outcome !== "error") continue;
      const fail = result.outcome === "fail";
      found.push({
        spec: spec.name,
        result,
        level: fail ? "failure" : "warning",
        line: resultLine(result),
        rank: fail ? 0 : 2,
      });
    }
    for (const task of spec.tasks) {
      for (const result of task.results) {
        if (result.outcome !== "fail" && result.outcome !== "error") continue;
        const fail = result.outcome === "fail";
        found.push({
          spec: spec.name,
          subject: task.instanceId,
          taskId: task.taskId,
          result,
          level: fail ? "failure" : "warning",
          line: resultLine(result, task.instanceId),
          rank: fail ? 1 : 3,
        });
      }
    }
  }
  // Array.prototype.sort is stable, so the report's order survives within a rank.
  return found.sort((a, b) => a.rank - b.rank).map(({ rank: _rank, ...f }) => f);
}

export interface FindingGroup {
  spec: string;
  check: CheckName;
  level: "failure" | "warning";
  file: string;
  line: number;
  findings: Finding[];
}

/** Findings at the same spec line with the same check and level, biggest groups first within a level. */
export function groupFindings(findings: Finding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const f of findings) {
    const w = f.result.where;
    const key = JSON.stringify([
      f.spec,
      w.file,
      w.line,
      f.result.check,
      f.level,
      f.subject === undefined,
    ]);
    let group = groups.get(key);
    if (!group) {
      group = {
        spec: f.spec,
        check: f.result.check,
        level: f.level,
        file: w.file,
        line: w.line,
        findings: [],
      };
      groups.set(key, group);
    }
    group.findings.push(f);
  }
  const order = (g: FindingGroup) =>
    (g.level === "failure" ? 0 : 2) + (g.findings[0]?.subject === undefined ? 0 : 1);
  return [...groups.values()].sort(
    (a, b) => order(a) - order(b) || b.findings.length - a.findings.length,
  );
}

/**
 * GitHub wants paths relative to the repository root with forward slashes; spec locations are
 * relative to where tat-assert ran (or absolute).
 */
export function repoPath(file: string, cwd: string, workspace: string | undefined): string {
  const absolute = isAbsolute(file) ? file : resolve(cwd, file);
  const root = workspace || cwd;
  const rel = relative(root, absolute);
  const path = rel === "" || rel.startsWith("..") || isAbsolute(rel) ? file : rel;
  return path.split(sep).join("/");
}

/** A run-level error that names a spec line (an invalid field, say): annotated there like a finding. */
export interface LocatedRunError {
  title: string;
  message: string;
  file: string;
  line: number;
}

export function locatedRunErrors(report: RunReport): LocatedRunError[] {
  return report.errors.flatMap((e) =>
    e.where
      ? [
          {
            title: `tat-assert: ${e.kind} error`,
            message: `${e.message}${e.requestId ? ` (RequestId ${e.requestId})` : ""}`,
            file: e.where.file,
            line: e.where.line,
          },
        ]
      : [],
  );
}
