// Imported first by both entry points, so the handlers are in place before any other module's
// code runs (in the Action's bundle too, where modules run in import order).
import { abortOnSignals } from "./signals.js";

export const signal: AbortSignal = abortOnSignals();
