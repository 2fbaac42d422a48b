// Output patterns: a plain string is a substring; `/source/flags` is an RE2 regex (re2js). RE2 runs
// in time linear in the output, so a pattern from a spec can never hang a CI job on remote output;
// the price is no lookaround and no backreferences, which are rejected when the spec is loaded.
import { RE2JS } from "re2js";
import { groupDigits } from "../locale-free.js";
import { LIMITS } from "./limits.js";

export interface ParsedPattern {
  kind: "substring" | "regex";
  source: string;
  flags: string;
}

export interface PatternProblem {
  problem: string;
  fix?: string;
}

const REGEX_LITERAL = /^\/([\s\S]*)\/([A-Za-z]*)$/;
const FLAGS = "ims";

/** Read patterns by text: the rules check each pattern and normalize reads it again. */
const parsed = new Map<string, ParsedPattern | PatternProblem>();

export function parsePattern(text: string): ParsedPattern | PatternProblem {
  const known = parsed.get(text);
  if (known) return known;
  if (parsed.size >= COMPILED_KEPT) parsed.clear();
  // Frozen: every caller shares it.
  const result = Object.freeze(parseUncached(text));
  parsed.set(text, result);
  return result;
}

function parseUncached(text: string): ParsedPattern | PatternProblem {
  // Before anything reads it: RE2 compiles a regex into a program about its size.
  if (text.length > LIMITS.patternLength) {
    return {
      problem: `a pattern of ${groupDigits(text.length)} characters; patterns are at most ${groupDigits(LIMITS.patternLength)}`,
      fix: "match a shorter, distinctive part of the output",
    };
  }
  const literal = REGEX_LITERAL.exec(text);
  if (!literal) return { kind: "substring", source: text, flags: "" };
  const [, source = "", flags = ""] = literal;
  const literally = `to match the text itself, escape its slashes: /${text.replace(/\//g, "\\/")}/`;
  const bad = [...flags].filter((f) => !FLAGS.includes(f));
  if (bad.length > 0) {
    return {
      problem: `\`${text}\` reads as the regex /${source}/ with flags "${flags}", but the only flags are i, m and s`,
      fix: literally,
    };
  }
  if (new Set(flags).size !== flags.length) {
    return { problem: `regex flags "${flags}" repeat a flag`, fix: "give each flag once" };
  }
  if (source === "") {
    return {
      problem: "an empty regex matches any output",
      fix: "write what the output must contain",
    };
  }
  const compiled = compileRegex(source, flags);
  if (compiled instanceof RE2JS) return { kind: "regex", source, flags };
  return compiled;
}

/** Compiled regexes by flags and source: the loader checks a pattern, then normalises it, then
 * evaluation runs it, and 1,000 spec files repeat the same few patterns. Cleared when full, so a
 * long-lived process holds at most this many. */
const compiled = new Map<string, RE2JS | PatternProblem>();
const COMPILED_KEPT = 1000;

export function compileRegex(source: string, flags: string): RE2JS | PatternProblem {
  const key = `${flags}/${source}`;
  const known = compiled.get(key);
  if (known) return known;
  if (compiled.size >= COMPILED_KEPT) compiled.clear();
  const result = compileUncached(source, flags);
  compiled.set(key, result);
  return result;
}

function compileUncached(source: string, flags: string): RE2JS | PatternProblem {
  let bits = 0;
  if (flags.includes("i")) bits |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes("m")) bits |= RE2JS.MULTILINE;
  if (flags.includes("s")) bits |= RE2JS.DOTALL;
  try {
    return RE2JS.compile(source, bits);
  } catch (error) {
    return explainRegexError(source, error instanceof Error ? error.message : String(error));
  }
}

function explainRegexError(source: string, raw: string): PatternProblem {
  const detail = raw.replace(/^error parsing regexp:\s*/, "");
  if (/\(\?<?[=!]/.test(source)) {
    return {
      problem:
        "lookaround ((?=, (?!, (?<=, (?<!) is not supported: patterns use RE2, which runs in linear time",
      fix: "match the text directly, or move the negative case to notMatches",
    };
  }
  if (/invalid escape sequence: `\\[1-9]/.test(detail)) {
    return {
      problem:
        "backreferences (\\1, \\2, …) are not supported: patterns use RE2, which runs in linear time",
      fix: "spell out the repeated text instead",
    };
  }
  return { problem: `invalid regex: ${detail}` };
}

export function isPatternProblem(p: ParsedPattern | PatternProblem): p is PatternProblem {
  return "problem" in p;
}
