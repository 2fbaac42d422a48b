// The emulated actions: request body in, response fields out (the envelope is added by the server).
import { INVOCATION_RULES, parseDescribeQuery, TASK_RULES } from "./params.js";
import type { Store } from "./store.js";
import { type Stamp, wireInvocation, wireTask } from "./wire.js";

export interface ActionContext {
  store: Store;
  /** Scenario milliseconds now. */
  t: number;
  stamp: Stamp;
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
  DescribeInvocations(body, { store, t, stamp, region }) {
    store.checkRegion(region);
    const query = parseDescribeQuery(body, INVOCATION_RULES);
    const page = store.describeInvocations(query, t, region);
    return {
      TotalCount: page.total,
      InvocationSet: page.items.map((inv) => wireInvocation(inv, t, stamp)),
    };
  },
};

/** Real TAT actions the emulator does not implement: answered with UnsupportedOperation. */
export const OTHER_TAT_ACTIONS: ReadonlySet<string> = new Set([
  "RunCommand",
  "InvokeCommand",
  "CancelInvocation",
  "DescribeCommands",
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
