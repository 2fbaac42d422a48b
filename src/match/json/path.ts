// JSONPath (RFC 9535) through json-p3: a parser and evaluator with no eval, typed filter
// functions, and a limit on recursive descent. Its two regex functions, match() and search(),
// build V8 RegExps from patterns that come from a spec or from the output itself; here they run on
// RE2 instead, like every other user pattern, so a path can never make a gate hang.
import { FunctionExpressionType, JSONPathEnvironment, type JSONPathQuery } from "json-p3";
import { RE2JS } from "re2js";
import { compileRegex } from "../../spec/pattern.js";

/** One value a path selected, and where (a normalised path such as `$['checks'][1]['ok']`). */
export interface JsonNode {
  value: unknown;
  path: string;
}

export interface CompiledJsonPath {
  /** As written. */
  text: string;
  /** True when the path can select at most one value (no wildcard, slice, filter or `..`). */
  singular: boolean;
  select(document: unknown): JsonNode[];
}

export interface JsonPathProblem {
  problem: string;
  fix?: string;
}

/** A pattern RE2 cannot run: the path cannot be evaluated (never "no match", which would make an
 * `absent` or a negated filter hold for a pattern that was never tried). */
export class UnrunnablePattern extends Error {}

/** A regex function on RE2: false for anything that is not a string; a pattern RE2 rejects (a
 * lookahead, a repeat over 1000) stops the evaluation. */
function re2Function(whole: boolean) {
  return {
    argTypes: [FunctionExpressionType.ValueType, FunctionExpressionType.ValueType],
    returnType: FunctionExpressionType.LogicalType,
    call(value: unknown, pattern: unknown): boolean {
      if (typeof value !== "string" || typeof pattern !== "string") return false;
      const re = compileRegex(whole ? `^(?:${pattern})$` : pattern, "");
      if (!(re instanceof RE2JS)) {
        const shown = pattern.length > 80 ? `${pattern.slice(0, 79)}…` : pattern;
        throw new UnrunnablePattern(
          `${whole ? "match" : "search"}() pattern ${JSON.stringify(shown)} cannot be run by RE2: ${re.problem}`,
        );
      }
      return re.test(value);
    },
  };
}

class Re2Environment extends JSONPathEnvironment {
  override setupFilterFunctions(): void {
    super.setupFilterFunctions();
    this.functionRegister.set("match", re2Function(true));
    this.functionRegister.set("search", re2Function(false));
  }
}

const environment = new Re2Environment();

/** json-p3 appends the text around the error (`('$.a[':4)`); the caller shows the path itself. */
function cleaned(message: string): string {
  return message.replace(/\s*\('[\s\S]*':\d+\)$/, "");
}

function fixFor(text: string, problem: string): string | undefined {
  if (!text.startsWith("$")) return `paths start at the document root: $.${text}`;
  if (/^\$[A-Za-z_]/.test(text)) return `a name after $ needs a dot: $.${text.slice(1)}`;
  if (/unknown function|no such function/.test(problem)) {
    return "functions are length, count, match, search and value";
  }
  return undefined;
}

const compiled = new Map<string, CompiledJsonPath | JsonPathProblem>();
const COMPILED_KEPT = 1000;

/** The path ready to run, or why it cannot be (with the character it failed at). */
export function compileJsonPath(text: string): CompiledJsonPath | JsonPathProblem {
  const known = compiled.get(text);
  if (known) return known;
  if (compiled.size >= COMPILED_KEPT) compiled.clear();
  const result = compileUncached(text);
  compiled.set(text, result);
  return result;
}

function compileUncached(text: string): CompiledJsonPath | JsonPathProblem {
  let query: JSONPathQuery;
  try {
    query = environment.compile(text);
  } catch (error) {
    const raw = error instanceof Error ? error.message : String(error);
    const index = (error as { token?: { index?: unknown } }).token?.index;
    const at = typeof index === "number" ? ` (at character ${index + 1})` : "";
    const problem = `invalid JSONPath \`${text}\`: ${cleaned(raw)}${at}`;
    const fix = fixFor(text, raw);
    return fix === undefined ? { problem } : { problem, fix };
  }
  return {
    text,
    singular: query.singularQuery(),
    select(document) {
      return query
        .query(document as Parameters<JSONPathQuery["query"]>[0])
        .nodes.map((n) => ({ value: n.value, path: n.path }));
    },
  };
}

export function isJsonPathProblem(p: CompiledJsonPath | JsonPathProblem): p is JsonPathProblem {
  return "problem" in p;
}
