import type { Invariant } from "@faultline/core";
import { PaxosStepObserver } from "./observer.js";

/**
 * A preempted proposer backs off before it runs phase 1 again (the catalogue's rule against dueling proposers):
 * it never starts a new ballot in the very step in which it learned that its ballot lost (its wait is a timer,
 * so its next `election_started` comes in a later step). Reads the step's `preempted` and `election_started`
 * events, in order.
 */
export function preemptionBackoff(observer = new PaxosStepObserver()): Invariant {
  return {
    name: "PreemptionBackoff",
    messageEvents: false, // it reads the step's log events only
    check(view) {
      observer.sync(view);
      const preempted = new Map<string, string>();
      for (const e of observer.logEvents) {
        const data = e.data as { ballot?: string; by?: string | null };
        if (e.event === "preempted") preempted.set(e.node!, `${data.ballot ?? "?"} (by ${data.by ?? "a higher ballot"})`);
        else if (e.event === "election_started" && preempted.has(e.node!)) {
          return `${e.node} lost ballot ${preempted.get(e.node!)} and started phase 1 again at ${data.ballot ?? "?"} in the same step, without backing off`;
        }
      }
      return undefined;
    },
  };
}
