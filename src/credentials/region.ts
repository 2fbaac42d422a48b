// Which region the TAT requests go to: option > spec > environment > tccli's configured default.
// Returns where it came from as well, for verbose output and for messages when it is missing.
import { readFile as fsReadFile } from "node:fs/promises";
import { join } from "node:path";
import { nonEmpty } from "./non-empty.js";
import { readOptional } from "./read-optional.js";

export interface RegionChoice {
  region: string;
  /** e.g. "option", "spec", "TENCENTCLOUD_REGION", "~/.tccli/default.configure". */
  source: string;
}

export interface TccliFiles {
  homeDir: string;
  /** @default TENCENTCLOUD_PROFILE, TCCLI_PROFILE, else "default" */
  profile?: string | undefined;
  readFile?: (path: string) => Promise<string>;
}

const REGION_VARIABLES = ["TENCENTCLOUD_REGION", "TKE_REGION"] as const;

/** `undefined` when no source names a region; the caller decides whether that is an error. */
export async function resolveRegion(
  optionRegion: string | undefined,
  specRegion: string | undefined,
  env: Record<string, string | undefined>,
  tccli?: TccliFiles,
): Promise<RegionChoice | undefined> {
  const option = nonEmpty(optionRegion);
  if (option) return { region: option, source: "option" };
  const spec = nonEmpty(specRegion);
  if (spec) return { region: spec, source: "spec" };
  for (const name of REGION_VARIABLES) {
    const value = nonEmpty(env[name]);
    if (value) return { region: value, source: name };
  }
  if (!tccli) return undefined;
  const profile =
    nonEmpty(tccli.profile) ??
    nonEmpty(env.TENCENTCLOUD_PROFILE) ??
    nonEmpty(env.TCCLI_PROFILE) ??
    "default";
  if (!/^[\w.-]+$/.test(profile)) return undefined;
  const path = join(tccli.homeDir, ".tccli", `${profile}.configure`);
  const read = await readOptional(tccli.readFile ?? ((p) => fsReadFile(p, "utf8")), path);
  if (read.kind !== "text") return undefined;
  try {
    // tccli writes {"_sys_param": {"region": "...", ...}, ...} (tat-api.md §6.2).
    const region = (JSON.parse(read.text) as { _sys_param?: { region?: unknown } })._sys_param
      ?.region;
    return typeof region === "string" && nonEmpty(region)
      ? { region: region.trim(), source: path }
      : undefined;
  } catch {
    // A configure file tccli itself cannot read is not ours to report; region stays unresolved.
    return undefined;
  }
}
