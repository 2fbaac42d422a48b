// A cancelled run, for both entry points (bin and GitHub Action). CI runners send SIGINT, then
// SIGTERM: the first stops the wait so what was seen is still evaluated and reported (exit 3); a
// second means "now", so we leave at once. No imports, so the bin's fast paths stay fast.

export interface SignalTarget {
  on(event: "SIGINT" | "SIGTERM", listener: (name: NodeJS.Signals) => void): unknown;
  exit(code: number): void;
  stderr: { write(text: string): unknown };
}

/** Installs the handlers on `target` (default: this process); the returned signal aborts on the first. */
export function abortOnSignals(target: SignalTarget = process): AbortSignal {
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (name: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      target.exit(3);
      return;
    }
    target.stderr.write(`\ntat-assert: ${name} received: stopping the wait and writing reports\n`);
    controller.abort(new Error(`cancelled by ${name}`));
  };
  target.on("SIGINT", onSignal);
  target.on("SIGTERM", onSignal);
  return controller.signal;
}
