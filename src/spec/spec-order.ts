// `needs:` across the specs of one run: every name is a spec of the run, there is no cycle, and a
// `${capture.NAME}` a spec does not capture itself is captured by exactly one spec it needs.
// (Not to be confused with needs.ts, which says whether a spec needs task output at all.)
import type { SpecIssue } from "../errors.js";
import type { Spec, TaskExpectations } from "../model.js";
import { captureRefs } from "./capture-ref.js";
import { ISSUES_SHOWN, listedFirst, NAMES_SHOWN, someNames } from "./listed-issues.js";
import { didYouMean } from "./suggest.js";

/** Capture names a spec declares anywhere (spec-wide or in an override). */
export function capturedNames(spec: Spec): Set<string> {
  const names = new Set<string>();
  for (const e of [spec.expect, ...spec.overrides.map((o) => o.expect)]) {
    for (const c of e.capture ?? []) names.add(c.name);
  }
  return names;
}

/** The capture names this set of expectations reads in its patterns. */
export function referencedNames(expect: TaskExpectations): Set<string> {
  const names = new Set<string>();
  for (const p of [...(expect.output?.matches ?? []), ...(expect.output?.notMatches ?? [])]) {
    for (const ref of captureRefs(p.text)) names.add(ref.name);
  }
  return names;
}

/** For each name a spec reads but does not capture itself, the needed spec that captures it. */
export function neededCaptures(spec: Spec, specs: readonly Spec[]): Map<string, string> {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const out = new Map<string, string>();
  for (const need of spec.needs?.value ?? []) {
    const needed = byName.get(need);
    if (!needed) continue;
    for (const name of capturedNames(needed)) if (!out.has(name)) out.set(name, need);
  }
  return out;
}

/** Specs of the run that were read but are not valid, so not among the specs checked here. */
export interface InvalidSpecs {
  /** Their names: a `needs:` naming one is not "missing" (its own problems are reported). */
  names: readonly string[];
  /** Whether some have a name that could not be read: then no name can be said to be missing. */
  unnamed: boolean;
}

export function dependencyIssues(
  specs: readonly Spec[],
  invalid: InvalidSpecs = { names: [], unnamed: false },
  /** Why a name may be missing from this run (with --shard: another job's files). */
  missingHint?: string,
): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const byName = new Map(specs.map((s) => [s.name, s]));
  const invalidNames = new Set(invalid.names);
  const runNames = [...specs.map((s) => s.name), ...invalid.names];
  for (const spec of specs) {
    const needs = spec.needs;
    if (!needs) continue;
    for (const need of needs.value) {
      if (!byName.has(need) && (invalidNames.has(need) || invalid.unnamed)) continue;
      if (need === spec.name) {
        issues.push({
          where: needs.where,
          path: "needs",
          message: `spec \`${spec.name}\` needs itself`,
          fix: "name the specs that must be judged before this one",
        });
      } else if (!byName.has(need)) {
        issues.push({
          where: needs.where,
          path: "needs",
          message: `needs \`${need}\`, which is not a spec of this run`,
          fix:
            // Never the spec's own name: a spec cannot need itself.
            [
              // Suggestions only for the problems that are listed (each reads every name).
              issues.length < ISSUES_SHOWN
                ? didYouMean(
                    need,
                    runNames.filter((n) => n !== spec.name),
                  )
                : undefined,
              missingHint,
            ]
              .filter((f) => f !== undefined)
              .join("; ") ||
            "give the spec's file to the same run (names: the `name:` field, or the file name)",
        });
      }
    }
  }
  for (const issue of cycles(specs, byName)) issues.push(issue);
  for (const spec of specs) {
    // What a needed spec that is not valid, or not in the run, captures is not known: its
    // references are judged once that need is fixed (it has its own issue).
    if ((spec.needs?.value ?? []).some((n) => !byName.has(n))) continue;
    for (const issue of unresolvedRefs(spec, byName)) issues.push(issue);
  }
  return listedFirst(issues);
}

function cycles(specs: readonly Spec[], byName: Map<string, Spec>): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const state = new Map<string, "visiting" | "done">();
  for (const root of specs) {
    if (state.has(root.name)) continue;
    // Depth first with a stack of its own: recursion overflowed on a chain of 6,000 needs.
    const stack: { spec: Spec; next: number }[] = [{ spec: root, next: 0 }];
    const path: string[] = [root.name];
    state.set(root.name, "visiting");
    for (let top = stack.at(-1); top; top = stack.at(-1)) {
      const needs = top.spec.needs?.value ?? [];
      const need = needs[top.next++];
      if (need === undefined) {
        stack.pop();
        path.pop();
        state.set(top.spec.name, "done");
        continue;
      }
      const next = byName.get(need);
      if (!next || next === top.spec) continue;
      const s = state.get(need);
      if (s === "visiting") {
        issues.push({
          where: top.spec.needs?.where ?? top.spec.where,
          path: "needs",
          message: `needs form a cycle: ${loopText(path, path.indexOf(need))}`,
          fix: "remove one of these needs: a spec can only read what was judged before it",
        });
      } else if (s === undefined) {
        state.set(need, "visiting");
        stack.push({ spec: next, next: 0 });
        path.push(need);
      }
    }
  }
  return issues;
}

/** `a → b → c → a` (the path from `from`, back to its start), or its first and last few specs
 * when the loop is long: copying a loop of thousands for each cycle found was quadratic. */
function loopText(path: readonly string[], from: number): string {
  const length = path.length - from + 1;
  const start = path[from];
  if (length <= 2 * NAMES_SHOWN) return [...path.slice(from), start].join(" → ");
  const head = path.slice(from, from + NAMES_SHOWN);
  const tail = [...path.slice(path.length - NAMES_SHOWN + 1), start];
  return `${head.join(" → ")} → (${length - 2 * NAMES_SHOWN} more) → ${tail.join(" → ")}`;
}

function unresolvedRefs(spec: Spec, byName: Map<string, Spec>): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const needs = (spec.needs?.value ?? []).filter((n) => byName.has(n) && n !== spec.name);
  // Capture name → the needed specs capturing it, built once: looking each reference up in every
  // needed spec was references × needs.
  const capturedBy = new Map<string, string[]>();
  for (const n of needs) {
    for (const name of capturedNames(byName.get(n) as Spec)) {
      const from = capturedBy.get(name);
      if (from) from.push(n);
      else capturedBy.set(name, [n]);
    }
  }
  for (const e of [spec.expect, ...spec.overrides.map((o) => o.expect)]) {
    const own = new Set((e.capture ?? []).map((c) => c.name));
    for (const p of [...(e.output?.matches ?? []), ...(e.output?.notMatches ?? [])]) {
      for (const ref of captureRefs(p.text)) {
        if (own.has(ref.name)) continue;
        const from = capturedBy.get(ref.name) ?? [];
        if (from.length === 1) continue;
        // Suggestions only for the problems that are listed (each reads every name).
        const suggest = issues.length < ISSUES_SHOWN;
        issues.push({
          where: p.where,
          path: "output",
          message:
            from.length > 1
              ? `${ref.token} is captured by several needed specs (${someNames(from)}): which one is meant is not clear`
              : `${ref.token} is captured neither by this spec nor by a spec it needs${needs.length > 0 ? ` (${someNames(needs)})` : ""}`,
          fix:
            from.length > 1
              ? "rename the capture in one of them"
              : (suggest && didYouMean(ref.name, [...own, ...capturedBy.keys()])) ||
                "declare it under expect.capture here or in a needed spec",
        });
      }
    }
  }
  return issues;
}
