// Big scenarios in code: N invocations × M tasks from one template, e.g. 2,000 tasks across 20
// invocations for load tests. The YAML `fleet:` block does the same for one invocation.
import type { Duration } from "./duration.js";
import { durationMs } from "./duration.js";
import { buildScenario } from "./scenario.js";
import type { RawCredential, RawInvocation, RawTaskFields } from "./scenario-build.js";
import type { TimelineInput } from "./timeline-parse.js";
import type { FaultRule, Scenario } from "./types.js";

export interface FleetOptions {
  /** Number of invocations (default 1). Ids: inv-fleet001, inv-fleet002, … */
  invocations?: number;
  /** Tasks per invocation, all invocations on the same instances ins-0001, ins-0002, … */
  tasksPerInvocation: number;
  /** Default: one emulator-only credential, AKIDFLEET0000000000000000000000000000 / "fleet-secret-key". */
  credentials?: RawCredential[];
  timeline?: TimelineInput;
  exitCode?: number;
  output?: string;
  outputRepeat?: number;
  /** The Nth task's timeline starts (N-1) × stagger later. */
  stagger?: Duration;
  /** Invocation K is created (K-1) × invocationGap into the scenario (default 0). */
  invocationGap?: Duration;
  /** Per-task changes to the template; both indices 1-based. */
  vary?: (invocation: number, task: number) => RawTaskFields | undefined;
  faults?: FaultRule[];
  speed?: number;
}

export const FLEET_CREDENTIAL: RawCredential = {
  secretId: "AKIDFLEET0000000000000000000000000000",
  secretKey: "fleet-secret-key",
};

export function generateFleet(options: FleetOptions): Scenario {
  const count = options.invocations ?? 1;
  if (count > 999) throw new RangeError("generateFleet makes at most 999 invocations");
  const gapMs = options.invocationGap === undefined ? 0 : (durationMs(options.invocationGap) ?? 0);
  const template: RawTaskFields = {};
  if (options.timeline !== undefined) template.timeline = options.timeline;
  if (options.exitCode !== undefined) template.exitCode = options.exitCode;
  if (options.output !== undefined) template.output = options.output;
  if (options.outputRepeat !== undefined) template.outputRepeat = options.outputRepeat;
  const invocations: RawInvocation[] = [];
  for (let k = 1; k <= count; k++) {
    const overrides: (RawTaskFields & { index: number })[] = [];
    if (options.vary) {
      for (let n = 1; n <= options.tasksPerInvocation; n++) {
        const changes = options.vary(k, n);
        if (changes) overrides.push({ ...changes, index: n });
      }
    }
    const num = String(k).padStart(3, "0");
    invocations.push({
      id: `inv-fleet${num}`,
      commandId: `cmd-fleet${num}`,
      commandName: `fleet-command-${num}`,
      command: `echo fleet ${num}`,
      createdAt: `${(k - 1) * gapMs}ms`,
      fleet: {
        count: options.tasksPerInvocation,
        template,
        ...(options.stagger === undefined ? {} : { stagger: options.stagger }),
        ...(overrides.length ? { overrides } : {}),
      },
    });
  }
  return buildScenario(
    {
      version: 1,
      ...(options.speed === undefined ? {} : { speed: options.speed }),
      credentials: options.credentials ?? [FLEET_CREDENTIAL],
      invocations,
      faults: options.faults ?? [],
    },
    "<generateFleet>",
  );
}
