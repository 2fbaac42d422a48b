// The written `run:` block (schema-valid, rules passed) → the RunBlock that the launcher sends.
import type { RunBlock, SourceLocation } from "../model.js";
import { parseDuration } from "../spec/duration.js";

type Written = Record<string, unknown>;

const STRING_KEYS = [
  "command",
  "commandId",
  "commandName",
  "description",
  "workingDirectory",
  "username",
  "outputCOSBucketUrl",
  "outputCOSKeyPrefix",
] as const;

export function runBlock(w: Written, where: SourceLocation): RunBlock {
  const out: RunBlock = { instances: [...(w.instances as string[])], where };
  for (const key of STRING_KEYS) if (typeof w[key] === "string") out[key] = w[key];
  if (typeof w.commandType === "string") out.commandType = w.commandType as RunBlock["commandType"];
  if (typeof w.saveCommand === "boolean") out.saveCommand = w.saveCommand;
  if (w.parameters) out.parameters = { ...(w.parameters as Record<string, string>) };
  if (w.tags) out.tags = { ...(w.tags as Record<string, string>) };
  const ms = typeof w.timeout === "string" ? parseDuration(w.timeout) : undefined;
  if (ms !== undefined) out.timeoutSeconds = Math.round(ms / 1000);
  return out;
}
