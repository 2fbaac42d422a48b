// A cancelled run, for both entry points (bin and GitHub Action). CI runners send SIGINT, then
// SIGTERM: the first stops the wait so what was seen is still evaluated and reported (exit 3); a
// second means "now", so we leave at once with exit 3. Once the verdict is known (exitCode set),
// any signal leaves at once with that verdict's code: never Node's default 130. No imports, so
// the bin installs these before it loads anything else.

export interface SignalTarget {
  on(event: "SIGINT" | "SIGTERM", listener: (name: NodeJS.Signals) => void): unknown;
  exit(code: number): void;
  stderr: { write(text: string): unknown };
  /** The verdict's exit code once the run has ended (process.exitCode). */
  exitCode?: number | string | null | undefined;
}

/** Exit code of a run stopped by a second signal: could not verify. */
export const SECOND_SIGNAL_EXIT = 3;

/** Installs the handlers on `target` (default: this process); the returned signal aborts on the first. */
export function abortOnSignals(target: SignalTarget = process): AbortSignal {
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (name: NodeJS.Signals) => {
    signals++;
    if (typeof target.exitCode === "number") {
      target.exit(target.exitCode);
      return;
    }
    if (signals > 1) {
      target.exit(SECOND_SIGNAL_EXIT);
      return;
    }
    target.stderr.write(`\ntat-assert: ${name} received: stopping the wait and writing reports\n`);
    controller.abort(new Error(`cancelled by ${name}`));
  };
  target.on("SIGINT", onSignal);
  target.on("SIGTERM", onSignal);
  return controller.signal;
}
