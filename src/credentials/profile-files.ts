// Step 3 of the chain: the official SDKs' INI credentials file, then tccli's JSON profile files
// (tat-api.md §6.2). Missing files are skipped; a file that exists but cannot be used stops the
// chain with its path and, for INI, the offending line.
import { join } from "node:path";
import type { fromCvmRole } from "./cvm-role.js";
import { parseIni } from "./ini.js";
import { nonEmpty } from "./non-empty.js";
import { absent, broken, found, type SourceOutcome } from "./outcome.js";
import { readOptional } from "./read-optional.js";
import { staticCredentials } from "./types.js";

export interface ProfileFilesContext {
  profile: string;
  /** True when the profile was named by an option or variable rather than defaulted. */
  profileChosen: boolean;
  env: Record<string, string | undefined>;
  homeDir: string;
  readFile: (path: string) => Promise<string>;
  /** Used when a tccli profile says `"type": "cvm-role"`. */
  cvmRole: (label: string) => ReturnType<typeof fromCvmRole>;
}

export async function fromProfileFiles(ctx: ProfileFilesContext): Promise<SourceOutcome> {
  const sdk = await fromSdkCredentialsFile(ctx);
  if (sdk.kind !== "absent") return sdk;
  const tccli = await fromTccliProfile(ctx);
  if (tccli.kind !== "absent") return tccli;
  const reason = `${sdk.reason}; ${tccli.reason}`;
  return ctx.profileChosen
    ? broken(`profile "${ctx.profile}" not found: ${reason}`)
    : absent(reason);
}

export function sdkCredentialsPath(env: Record<string, string | undefined>, homeDir: string) {
  return (
    nonEmpty(env.TENCENTCLOUD_CREDENTIALS_FILE) ?? join(homeDir, ".tencentcloud", "credentials")
  );
}

async function fromSdkCredentialsFile(ctx: ProfileFilesContext): Promise<SourceOutcome> {
  const overridden = nonEmpty(ctx.env.TENCENTCLOUD_CREDENTIALS_FILE) !== undefined;
  const path = sdkCredentialsPath(ctx.env, ctx.homeDir);
  const text = await readOptional(ctx.readFile, path);
  if (text.kind === "missing") {
    const why = `${path} does not exist`;
    return overridden ? broken(`TENCENTCLOUD_CREDENTIALS_FILE is set but ${why}`) : absent(why);
  }
  if (text.kind === "unreadable") return broken(`${path} cannot be read (${text.code})`);
  const ini = parseIni(text.text);
  if (!ini.ok) return broken(`${path}:${ini.line}: ${ini.message}`);
  const section = ini.sections.get(ctx.profile);
  if (!section) return absent(`${path} has no [${ctx.profile}] section`);
  const secretId = nonEmpty(section.get("secret_id"));
  const secretKey = nonEmpty(section.get("secret_key"));
  const token = nonEmpty(section.get("token"));
  if (!secretId || !secretKey) {
    return broken(`${path} [${ctx.profile}] lacks ${secretId ? "secret_key" : "secret_id"}`);
  }
  return found(
    staticCredentials(
      { secretId, secretKey, ...(token ? { token } : {}) },
      `credentials file ${path} [${ctx.profile}]`,
    ),
  );
}

async function fromTccliProfile(ctx: ProfileFilesContext): Promise<SourceOutcome> {
  const path = join(ctx.homeDir, ".tccli", `${ctx.profile}.credential`);
  const text = await readOptional(ctx.readFile, path);
  if (text.kind === "missing") return absent(`${path} does not exist`);
  if (text.kind === "unreadable") return broken(`${path} cannot be read (${text.code})`);
  let data: unknown;
  try {
    data = JSON.parse(text.text);
  } catch {
    return broken(`${path} is not valid JSON`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return broken(`${path} is not a JSON object`);
  }
  const record = data as Record<string, unknown>;
  const type = typeof record.type === "string" ? record.type : "";
  if (type === "cvm-role") {
    const outcome = await ctx.cvmRole(`CVM instance role (tccli profile ${ctx.profile})`);
    // The profile asks for the instance role, so an unreachable metadata service is a failure here.
    return outcome.kind === "absent"
      ? broken(`${path} says "type": "cvm-role" but ${outcome.reason}`)
      : outcome;
  }
  if (type !== "" && type !== "default") {
    return broken(
      `${path} has "type": ${JSON.stringify(type)}, which tat-assert does not support (use secretId/secretKey, cvm-role, or another source)`,
    );
  }
  const secretId = stringField(record, "secretId");
  const secretKey = stringField(record, "secretKey");
  const token = stringField(record, "token");
  if (!secretId || !secretKey) {
    return broken(`${path} lacks ${secretId ? "secretKey" : "secretId"}`);
  }
  return found(
    staticCredentials(
      { secretId, secretKey, ...(token ? { token } : {}) },
      `tccli profile ${ctx.profile} (${path})`,
    ),
  );
}

const stringField = (record: Record<string, unknown>, key: string): string | undefined => {
  const value = record[key];
  return typeof value === "string" ? nonEmpty(value) : undefined;
};
