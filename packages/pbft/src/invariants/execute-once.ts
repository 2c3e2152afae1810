import type { Invariant, NodeId } from "@faultline/core";
import { PbftStepObserver } from "./observer.js";

/**
 * Each request executes at most once: a correct replica executes a request (a fresh execution, not a
 * remembered reply) at one sequence number only, the same on every correct replica. A replica that restarts
 * from its checkpoint executes again at the same numbers, which is allowed.
 */
export function executeOnce(observer = new PbftStepObserver()): Invariant {
  const at = new Map<string, { seq: number; node: NodeId }>();
  return {
    name: "ExecuteOnce",
    messageEvents: false,
    check(view) {
      observer.sync(view);
      for (const e of observer.events) {
        if (e.event !== "executed" || e.data.fresh !== true) continue;
        const requestId = e.data.requestId as string;
        const seq = e.data.seq as number;
        const known = at.get(requestId);
        if (known === undefined) at.set(requestId, { seq, node: e.node });
        else if (known.seq !== seq) return `request ${requestId} executed at sequence number ${seq} by ${e.node} and at ${known.seq} by ${known.node}`;
      }
      return undefined;
    },
  };
}
