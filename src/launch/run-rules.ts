// Rules for `run:` that a schema cannot say: exactly one of target/run, exactly one of
// command/commandId, keys that only a created command takes, and the API's limits on the whole
// value (encoded content size, parameter count, whole-second timeout, placeholders with values).
import { parseDuration } from "../spec/duration.js";
import type { RuleContext } from "../spec/rules.js";
import {
  MAX_COMMAND_NAME_BYTES,
  MAX_CONTENT_BASE64_LENGTH,
  MAX_COS_KEY_PREFIX_LENGTH,
  MAX_DESCRIPTION_LENGTH,
  MAX_PARAMETERS,
  MAX_TIMEOUT_SECONDS,
} from "../tat/run-command-types.js";

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const ONLY_WITH_COMMAND = ["commandType", "commandName", "description", "saveCommand", "tags"];

/** `{{name}}` and `{{tat-hidden:name}}`, as TAT substitutes them. */
export const PLACEHOLDER = /\{\{\s*(?:tat-hidden:)?([a-zA-Z0-9_-]+)\s*\}\}/g;

export function targetOrRun({ spec, report }: RuleContext): void {
  if (spec.target === undefined && spec.run === undefined) {
    report(
      [],
      "missing `target`",
      "add `target:` with one of invocationId, invocationIds, taskIds, latest, filters",
    );
  } else if (spec.target !== undefined && spec.run !== undefined) {
    report(
      ["run"],
      "give `target` or `run`, not both",
      "`run` starts a command and judges it; `target` judges tasks that already exist",
      true,
    );
  }
}

export function runBlockHolds({ spec, report }: RuleContext): void {
  const run = spec.run;
  if (!isRecord(run)) return;
  const hasCommand = run.command !== undefined;
  if (hasCommand && run.commandId !== undefined) {
    report(
      ["run", "commandId"],
      "give `command` (RunCommand) or `commandId` (InvokeCommand), not both",
      undefined,
      true,
    );
  } else if (!hasCommand && run.commandId === undefined) {
    report(
      ["run"],
      "missing `command` or `commandId`",
      "give the script as `command:`, or a saved command's id as `commandId:`",
      true,
    );
  }
  if (!hasCommand && run.commandId !== undefined) {
    for (const key of ONLY_WITH_COMMAND) {
      if (run[key] !== undefined) {
        report(
          ["run", key],
          `\`${key}\` applies only to a command created with \`command\`; a saved command keeps its own`,
          "remove it",
          true,
        );
      }
    }
  }
  if (typeof run.commandName === "string" && !run.commandName.includes("${")) {
    if (
      Buffer.byteLength(run.commandName, "utf8") > MAX_COMMAND_NAME_BYTES ||
      !/^[\p{L}\p{N}_.-]+$/u.test(run.commandName)
    ) {
      report(
        ["run", "commandName"],
        "TAT takes a command name of letters, digits, _, - and . of at most 60 bytes",
      );
    }
  }
  if (typeof run.description === "string" && run.description.length > MAX_DESCRIPTION_LENGTH) {
    report(["run", "description"], `at most ${MAX_DESCRIPTION_LENGTH} characters`);
  }
  if (typeof run.outputCOSKeyPrefix === "string" && !run.outputCOSKeyPrefix.includes("${")) {
    const p = run.outputCOSKeyPrefix;
    if (
      p.length > MAX_COS_KEY_PREFIX_LENGTH ||
      p.startsWith("/") ||
      p.includes("//") ||
      p.split("/").includes("..")
    ) {
      report(
        ["run", "outputCOSKeyPrefix"],
        "TAT takes at most 60 characters, no leading /, no //, no `..` folder",
      );
    }
  }
  if (typeof run.command === "string") {
    const encoded = Math.ceil(Buffer.byteLength(run.command, "utf8") / 3) * 4;
    if (encoded > MAX_CONTENT_BASE64_LENGTH) {
      report(
        ["run", "command"],
        `the script is ${encoded} characters once base64-encoded; TAT accepts at most ${MAX_CONTENT_BASE64_LENGTH} (64 KiB)`,
        "put the script on the instances or in a saved command, and run that",
      );
    }
  }
  const params = isRecord(run.parameters) ? run.parameters : undefined;
  if (params && Object.keys(params).length > MAX_PARAMETERS) {
    report(
      ["run", "parameters"],
      `${Object.keys(params).length} parameters; TAT accepts at most ${MAX_PARAMETERS}`,
    );
  }
  if (params && typeof run.command === "string") {
    const missing = [...run.command.matchAll(PLACEHOLDER)]
      .map((m) => m[1] as string)
      .filter((name, i, all) => all.indexOf(name) === i && params[name] === undefined);
    if (missing.length > 0) {
      report(
        ["run", "parameters"],
        `the command uses ${missing.map((n) => `{{${n}}}`).join(", ")} but \`parameters\` gives no value`,
        `add ${missing.map((n) => `${n}: …`).join(", ")}`,
      );
    }
  }
  // Milliseconds are the schema's to refuse.
  if (typeof run.timeout === "string" && !/\$\{|ms/.test(run.timeout)) {
    const ms = parseDuration(run.timeout);
    if (ms !== undefined && (ms < 1000 || ms > MAX_TIMEOUT_SECONDS * 1000 || ms % 1000 !== 0)) {
      report(
        ["run", "timeout"],
        `TAT takes a command timeout of 1s to 24h in whole seconds, got ${run.timeout}`,
      );
    }
  }
}
