// The emulated actions: request body in, response fields out (the envelope is added by the server).
import { COMMAND_RULES, INVOCATION_RULES, parseDescribeQuery, TASK_RULES } from "./params.js";
import { RUN_ACTIONS } from "./run-actions.js";
import type { RunWorld } from "./run-world.js";
import type { Store } from "./store.js";
import { type Stamp, wireCommand, wireInvocation, wireTask } from "./wire.js";

export interface ActionContext {
  store: Store;
  /** Scenario milliseconds now. */
  t: number;
  stamp: Stamp;
  /** RunCommand / InvokeCommand / CancelInvocation state (run-world.ts). */
  run?: RunWorld;
  /** X-TC-Region of the request. */
  region?: string;
}

export type ActionHandler = (body: unknown, ctx: ActionContext) => object;

export const ACTIONS: Record<string, ActionHandler> = {
  DescribeInvocationTasks(body, { store, t, stamp, region }) {
    store.checkRegion(region);
    const query = parseDescribeQuery(body, TASK_RULES);
    const page = store.describeTasks(query, t, region);
    return {
      TotalCount: page.total,
      InvocationTaskSet: page.items.map((r) => wireTask(r.inv, r.task, t, stamp, query.hideOutput)),
    };
  },
  DescribeCommands(body, { store, t, stamp, region }) {
    store.checkRegion(region);
    const query = parseDescribeQuery(body, COMMAND_RULES);
    const page = store.describeCommands(query, t);
    return {
      TotalCount: page.total,
      CommandSet: page.items.map((inv) => wireCommand(inv, stamp)),
    };
  },
  DescribeInvocations(body, { store, t, stamp, region }) {
    store.checkRegion(region);
    const query = parseDescribeQuery(body, INVOCATION_RULES);
    const page = store.describeInvocations(query, t, region);
    return {
      TotalCount: page.total,
      InvocationSet: page.items.map((inv) => wireInvocation(inv, t, stamp)),
    };
  },
  ...RUN_ACTIONS,
};

/** Real TAT actions the emulator does not implement: answered with UnsupportedOperation. */
export const OTHER_TAT_ACTIONS: ReadonlySet<string> = new Set([
  "CreateCommand",
  "ModifyCommand",
  "DeleteCommand",
  "DeleteCommands",
  "PreviewReplacedCommandContent",
  "DescribeAutomationAgentStatus",
  "DescribeRegions",
  "DescribeQuotas",
  "DescribeScenes",
  "CreateInvoker",
  "ModifyInvoker",
  "DeleteInvoker",
  "EnableInvoker",
  "DisableInvoker",
  "DescribeInvokers",
  "DescribeInvokerRecords",
  "CreateRegisterCode",
  "DescribeRegisterCodes",
  "DisableRegisterCodes",
  "DeleteRegisterCodes",
  "DescribeRegisterInstances",
  "ModifyRegisterInstance",
  "DeleteRegisterInstance",
]);
