// Reporters read only the run's final report (plus progress events where they need them); they
// never call the TAT API. Every hook is optional except `end`.
import type { RunReport, SourceLocation, Target } from "../model.js";

export interface RunStart {
  startedAt: string;
  specs: {
    name: string;
    file: string;
    where: SourceLocation;
    target: Target;
    deadlineMs: number;
  }[];
}

export interface SpecProgress {
  spec: string;
  file: string;
  /** Tasks terminal so far / tasks known so far. */
  terminal: number;
  total: number;
  statusCounts: Record<string, number>;
  elapsedMs: number;
  deadlineMs: number;
  polls: number;
  at: string;
}

export interface Reporter {
  readonly name: string;
  /** The file this reporter writes, if any. File reporters end first, so that the console and
   * GitHub can say (and the exit code can reflect) that a requested report was not written. */
  readonly file?: string;
  /** Ends after every other reporter, so it can tell what they could not do (the console). */
  readonly last?: boolean;
  start?(run: RunStart): Promise<void> | void;
  progress?(event: SpecProgress): Promise<void> | void;
  /** Writes the final report. A reporter that fails here is reported as a run error, not a verdict. */
  end(report: RunReport): Promise<void> | void;
}
