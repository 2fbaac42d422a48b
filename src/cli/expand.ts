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
    if (!isDynamicPattern(pattern)) {
      // Synchronous: a shell-expanded `specs/*.yml` is a thousand names, and an asynchronous stat
      // costs several times the CPU of a synchronous one without ever waiting on a disk here.
      const info = statOrNothing(resolve(cwd, pattern));
      if (!info) throw new UsageError(`spec file not found: ${pattern}`);
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

function statOrNothing(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
