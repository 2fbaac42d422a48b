import { SpecTally } from "../src/match/tally.js";
import { parseSpecs } from "../src/spec/load.js";
import { workloadOutput, workloadSpec } from "../bench/fleet-workload.js";
import { boundGarbage } from "../src/heap-policy.js";
if (process.argv[2] === "policy") boundGarbage();
const { specs } = parseSpecs(workloadSpec(), "fleet.yml", { env: {} });
const spec = specs[0]!;
const base = workloadOutput({ tasks: 1, outputBytes: 2000, speed: 1 });
const tally = new SpecTally(spec);
const N = 20000;
const tasks = [];
function mk(i: number) {
  return { invocationId: "inv-fleet001", taskId: `invt-${String(i).padStart(8, "0")}`, instanceId: `ins-${String(i).padStart(8, "0")}`,
    status: "SUCCESS", terminal: true, exitCode: 0, output: `${base}${i}`, outputFetched: true, droppedBytes: 0,
    execStartTime: "2026-01-01T12:00:00Z", execEndTime: "2026-01-01T12:01:00Z", history: [] } as any;
}
let evalUs = 0;
for (let i = 0; i < N; i++) { const t = mk(i); const c = process.cpuUsage(); tally.keepsTail(tally.add(t)); const u = process.cpuUsage(c); evalUs += u.user + u.system; }
console.log(process.argv[2] ?? "defaults", (evalUs / N).toFixed(1), "µs/task judge CPU", tally.counts);
