// The captures of the specs a spec `needs:`, as it reads them in `${capture.NAME}`: the value its
// own instance captured there, else the one value the whole needed spec captured, else an error
// saying why no single value can be meant. Built from the needed specs' verdicts once they are
// judged (the verdicts are kept anyway: one value per task and capture).
import type { TaskVerdict } from "../model.js";
import { isCutValue, isNotAsPrinted } from "./capture.js";

export interface CaptureScope {
  resolve(name: string, instanceId: string): { value: string } | { problem: string };
}

interface Values {
  spec: string;
  byInstance: Map<string, string | typeof CONFLICT>;
  distinct: Set<string>;
}

const CONFLICT = Symbol("several values");

/** `owners`: capture name → the needed spec that captures it (spec-order.ts settled there is one). */
export function captureScope(
  owners: ReadonlyMap<string, string>,
  verdicts: ReadonlyMap<string, readonly TaskVerdict[]>,
): CaptureScope {
  const byName = new Map<string, Values>();
  for (const [name, spec] of owners) {
    const values: Values = { spec, byInstance: new Map(), distinct: new Set() };
    for (const task of verdicts.get(spec) ?? []) {
      const v = task.captures?.[name];
      if (v === undefined) continue;
      values.distinct.add(v);
      const known = values.byInstance.get(task.instanceId);
      values.byInstance.set(task.instanceId, known === undefined || known === v ? v : CONFLICT);
    }
    byName.set(name, values);
  }
  return {
    resolve(name, instanceId) {
      const values = byName.get(name);
      if (!values) return { problem: `no spec this one needs captures ${name}` };
      const from = `spec ${values.spec}`;
      const mine = values.byInstance.get(instanceId);
      let value: string | undefined;
      if (mine === CONFLICT) {
        return { problem: `${instanceId} captured several values of ${name} in ${from}` };
      }
      if (mine !== undefined) value = mine;
      else if (values.distinct.size === 1) value = [...values.distinct][0] as string;
      else if (values.distinct.size === 0) {
        return { problem: `no task of ${from} captured ${name}` };
      } else {
        return {
          problem: `${instanceId} has no ${name} in ${from}, which captured ${values.distinct.size} distinct values: which one is meant is not clear`,
        };
      }
      if (isCutValue(value)) {
        return { problem: `${name} from ${from} is longer than is kept, so it cannot be matched` };
      }
      if (isNotAsPrinted(value)) {
        return {
          problem: `${name} from ${from} holds characters that are not kept as printed (escape sequences or control characters), so it cannot be matched`,
        };
      }
      return { value };
    },
  };
}
