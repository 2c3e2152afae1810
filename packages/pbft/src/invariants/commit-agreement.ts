import type { Invariant, NodeId } from "@faultline/core";
import { PbftStepObserver } from "./observer.js";

/**
 * Agreement on commits: no two correct replicas commit different requests at one sequence number, in any
 * views (committed-local, or a committed certificate). Observes `committed` events; a conflict between two
 * views counts too (a request committed in view v must be the one any later view orders there).
 */
export function commitAgreement(observer = new PbftStepObserver()): Invariant {
  const committed = new Map<number, { digest: string; node: NodeId; view: number }>();
  return {
    name: "CommitAgreement",
    messageEvents: false,
    check(view) {
      observer.sync(view);
      for (const e of observer.events) {
        if (e.event !== "committed") continue;
        const seq = e.data.seq as number;
        const digest = e.data.digest as string;
        const known = committed.get(seq);
        if (known === undefined) committed.set(seq, { digest, node: e.node, view: e.data.view as number });
        else if (known.digest !== digest) {
          return `sequence number ${seq}: ${e.node} committed ${digest} in view ${String(e.data.view)} but ${known.node} committed ${known.digest} in view ${known.view}`;
        }
      }
      return undefined;
    },
  };
}
