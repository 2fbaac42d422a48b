// How `tat-assert run` plugs into the gate (src/gate.ts): the plain gate refuses `run:` specs;
// with this hook the gate starts them after credentials are known and before the wait, and
// settles their unfinished tasks before the reports are written.
import { UsageError } from "../errors.js";
import type { RunReport, Spec } from "../model.js";
import { logText } from "../report/sanitize.js";
import type { TatClient } from "../tat/client.js";
import { realSleep, type Sleep } from "../tat/sleep.js";
import { settle, settleLaunches } from "./cancel.js";
import { launchAll } from "./launch.js";

export interface LaunchContext {
  region: string | undefined;
  signal?: AbortSignal;
  now: () => number;
  /** Masks the run's secrets (the gate's live redactor): a script may interpolate a token. */
  mask?: (text: string) => string;
}

export interface LaunchHook {
  start(
    specs: Spec[],
    client: TatClient,
    ctx: LaunchContext,
  ): Promise<{ specs: Spec[]; finish(report: RunReport): Promise<RunReport> }>;
}

export interface LaunchHookOptions {
  /** False with --no-cancel. */
  cancel: boolean;
  print: (line: string) => void;
  sleep?: Sleep;
  lookupGraceMs?: number;
}

/** The plain gate never executes anything: a `run:` spec is a usage error naming `tat-assert run`. */
export function refuseRunSpecs(specs: readonly Spec[]): void {
  const running = specs.filter((s) => s.run);
  if (running.length === 0) return;
  const where = running.map((s) => `${s.name} (${s.file}:${s.run?.where.line})`).join(", ");
  const files = [...new Set(running.map((s) => s.file))].join(" ");
  throw new UsageError(
    `${where} ${running.length === 1 ? "has" : "have"} \`run:\`, which starts a command on instances; the gate only judges what already ran. To start and judge it: tat-assert run ${files}`,
  );
}

export function launchHook(o: LaunchHookOptions): LaunchHook {
  return {
    async start(specs, client, ctx) {
      // What is printed quotes the script (with what was interpolated into it) and the API's
      // messages: masked and made safe like every other sink, never raw on the terminal or log.
      const mask = ctx.mask ?? ((text: string) => text);
      const print = (line: string) => o.print(logText(mask(line)));
      const { specs: launched, records } = await launchAll(
        specs,
        {
          client,
          region: ctx.region,
          print,
          now: ctx.now,
          sleep: o.sleep ?? realSleep,
          ...(o.lookupGraceMs !== undefined && { lookupGraceMs: o.lookupGraceMs }),
          ...(ctx.signal && { signal: ctx.signal }),
        },
        // A later start failed: what did start is cancelled (or left, with --no-cancel) now,
        // since no wait will follow.
        async (partial) => {
          const lines: string[] = [];
          for (const record of partial) {
            const open = new Map(record.invocationIds.map((id) => [id, undefined] as const));
            await settle(record, open, { client, cancel: o.cancel, print });
            if (record.invocationIds.length > 0) {
              lines.push(
                `${record.spec} had started ${record.invocationIds.join(", ")}: ${o.cancel ? "cancelled" : "left running (--no-cancel)"}`,
              );
            }
          }
          return lines.join("\n");
        },
      );
      return {
        specs: launched,
        finish: (report) => settleLaunches(report, records, { client, cancel: o.cancel, print }),
      };
    },
  };
}
