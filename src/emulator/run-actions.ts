// The emulated actions that start and stop commands; their state lives in run-world.ts.
import type { ActionHandler } from "./actions.js";
import { apiError } from "./responses.js";
import { parseCancelInvocation, parseInvokeCommand, parseRunCommand } from "./run-params.js";
import type { RunWorld } from "./run-world.js";

/** Thrown after the invocation was created to lose the answer (scenario `dropAfterCreate`). */
export class DropConnection extends Error {}

function world(run: RunWorld | undefined): RunWorld {
  if (!run) throw apiError("InternalError", "The emulator was started without a run world.");
  return run;
}

function answerOrDrop<T extends object>(run: RunWorld, action: string, fields: T): T {
  if (run.dropAnswer(action)) throw new DropConnection(`${action}: answer dropped after creating`);
  return fields;
}

export const RUN_ACTIONS: Record<string, ActionHandler> = {
  RunCommand(body, { run, t }) {
    const w = world(run);
    return answerOrDrop(w, "RunCommand", w.runCommand(parseRunCommand(body), t));
  },
  InvokeCommand(body, { run, t }) {
    const w = world(run);
    return answerOrDrop(w, "InvokeCommand", w.invokeCommand(parseInvokeCommand(body), t));
  },
  CancelInvocation(body, { run, t }) {
    world(run).cancel(parseCancelInvocation(body), t);
    return {};
  },
};
