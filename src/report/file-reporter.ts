// A reporter that writes one rendered document: to a file (atomically, or through a FIFO, device
// or symlink) or, for the path `-`, to standard output.
import type { RunReport } from "../model.js";
import { type ReportText, writeReport } from "./atomic-write.js";
import type { Reporter } from "./reporter.js";

export function fileReporter(
  name: string,
  path: string,
  render: (report: RunReport) => ReportText,
  stdout: NodeJS.WritableStream,
): Reporter {
  return {
    name,
    file: path,
    async end(report) {
      await writeReport(path, render(report), stdout);
    },
  };
}
