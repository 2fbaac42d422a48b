// Imported first by both entry points, so the handlers are in place before any other module's
// code runs (in the Action's bundle too, where modules run in import order).
import { abortOnSignals } from "./signals.js";

export const signal: AbortSignal = abortOnSignals();

// A reader that went away (`tat-assert … | head`, a closed log pipe) makes every later write fail
// with EPIPE. Without a listener that failure is thrown: exit 1 ("an expectation did not hold")
// with a stack trace, and no report written. With one, only what went to that stream is lost; a
// report asked there (`json:-`) learns it from its own write and the run exits 5.
for (const stream of [process.stdout, process.stderr]) stream.on("error", () => {});
