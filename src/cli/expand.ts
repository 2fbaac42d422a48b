// Globs are expanded here too, so quoted globs and Action inputs behave like shell globs.
import { type Stats, statSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import { glob, isDynamicPattern } from "tinyglobby";
import { UsageError } from "../errors.js";

export async function expandSpecPatterns(patterns: string[], cwd: string): Promise<string[]> {
  const files: string[] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    const abs = resolve(cwd, file);
    if (seen.has(abs)) return;
    seen.add(abs);
    // Report paths as the user would type them: relative to the working folder when inside it.
    const rel = relative(cwd, abs);
    files.push(rel.startsWith("..") || isAbsolute(rel) ? abs : rel);
  };
  for (const pattern of patterns) {
    // Resolved, "" is the working folder: an unset variable (`tat-assert "$SPECS"`) would check
    // whatever specs happen to lie there instead of failing.
    if (pattern === "")
      throw new UsageError(
        "an empty spec file name was given (an unset variable?); name files or globs, or . for the working folder",
      );
    if (!isDynamicPattern(pattern)) {
      // Synchronous: a shell-expanded `specs/*.yml` is a thousand names, and an asynchronous stat
      // costs several times the CPU of a synchronous one without ever waiting on a disk here.
      const info = statOrWhy(resolve(cwd, pattern));
      if (typeof info === "string") throw new UsageError(`${info}: ${pattern}`);
      if (info.isDirectory()) {
        // Only the folder itself: specs/ may hold scenario files or fixtures in subfolders.
        const inDir = await glob(["*.yml", "*.yaml"], { cwd: resolve(cwd, pattern) });
        if (inDir.length === 0)
          throw new UsageError(`no .yml or .yaml spec files in folder ${pattern}`);
        for (const f of inDir.sort()) add(resolve(cwd, pattern, f));
        continue;
      }
      add(pattern);
      continue;
    }
    const matched = await glob(pattern, { cwd, absolute: true, onlyFiles: true });
    if (matched.length === 0)
      throw new UsageError(`no spec files match ${JSON.stringify(pattern)}`);
    for (const f of matched.sort()) add(f);
  }
  return files;
}

/** The file's stats, or why there are none: only a missing file is "not found" (a symlink loop
 * or a folder that cannot be searched was reported as missing, sending the user to look for a
 * typo in a name that is there). */
function statOrWhy(path: string): Stats | string {
  try {
    return statSync(path, { throwIfNoEntry: false }) ?? "spec file not found";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ELOOP") return "cannot read spec file (a symbolic link loop)";
    if (code === "EACCES") return "cannot read spec file (permission denied)";
    if (code === "ENOTDIR") return "spec file not found (a part of the path is not a folder)";
    return `cannot read spec file (${code ?? String(error)})`;
  }
}
