// `needs:` across the specs of one run: every name is a spec of the run, there is no cycle, and a
// `${capture.NAME}` a spec does not capture itself is captured by exactly one spec it needs.
// (Not to be confused with needs.ts, which says whether a spec needs task output at all.)
import type { SpecIssue } from "../errors.js";
import type { Spec, TaskExpectations } from "../model.js";
import { captureRefs } from "./capture-ref.js";
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
  const names = [...specs.map((s) => s.name), ...invalid.names];
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
              didYouMean(
                need,
                names.filter((n) => n !== spec.name),
              ),
              missingHint,
            ]
              .filter((f) => f !== undefined)
              .join("; ") ||
            "give the spec's file to the same run (names: the `name:` field, or the file name)",
        });
      }
    }
  }
  issues.push(...cycles(specs, byName));
  for (const spec of specs) {
    // What a needed spec that is not valid, or not in the run, captures is not known: its
    // references are judged once that need is fixed (it has its own issue).
    if ((spec.needs?.value ?? []).some((n) => !byName.has(n))) continue;
    issues.push(...unresolvedRefs(spec, byName));
  }
  return issues;
}

function cycles(specs: readonly Spec[], byName: Map<string, Spec>): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (spec: Spec) => {
    state.set(spec.name, "visiting");
    stack.push(spec.name);
    for (const need of spec.needs?.value ?? []) {
      const next = byName.get(need);
      if (!next || next === spec) continue;
      const s = state.get(need);
      if (s === "visiting") {
        const loop = [...stack.slice(stack.indexOf(need)), need];
        issues.push({
          where: spec.needs?.where ?? spec.where,
          path: "needs",
          message: `needs form a cycle: ${loop.join(" → ")}`,
          fix: "remove one of these needs: a spec can only read what was judged before it",
        });
      } else if (s === undefined) visit(next);
    }
    stack.pop();
    state.set(spec.name, "done");
  };
  for (const spec of specs) if (!state.has(spec.name)) visit(spec);
  return issues;
}

function unresolvedRefs(spec: Spec, byName: Map<string, Spec>): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const needs = (spec.needs?.value ?? []).filter((n) => byName.has(n) && n !== spec.name);
  for (const e of [spec.expect, ...spec.overrides.map((o) => o.expect)]) {
    const own = new Set((e.capture ?? []).map((c) => c.name));
    for (const p of [...(e.output?.matches ?? []), ...(e.output?.notMatches ?? [])]) {
      for (const ref of captureRefs(p.text)) {
        if (own.has(ref.name)) continue;
        const from = needs.filter((n) => capturedNames(byName.get(n) as Spec).has(ref.name));
        if (from.length === 1) continue;
        const visible = [
          ...own,
          ...needs.flatMap((n) => [...capturedNames(byName.get(n) as Spec)]),
        ];
        issues.push({
          where: p.where,
          path: "output",
          message:
            from.length > 1
              ? `${ref.token} is captured by several needed specs (${from.join(", ")}): which one is meant is not clear`
              : `${ref.token} is captured neither by this spec nor by a spec it needs${needs.length > 0 ? ` (${needs.join(", ")})` : ""}`,
          fix:
            from.length > 1
              ? "rename the capture in one of them"
              : (didYouMean(ref.name, visible) ??
                "declare it under expect.capture here or in a needed spec"),
        });
      }
    }
  }
  return issues;
}
