import type { Invariant } from "@faultline/core";
import { ballotName, compareBallots } from "../ballot.js";
import { PaxosStepObserver } from "./observer.js";

/**
 * An acceptor's promise never decreases, across its restarts too, and it never accepts below the promise it
 * held: the promise is what a new leader's phase 1 relies on (no acceptor of its quorum takes an older ballot
 * afterwards).
 */
export function promiseMonotonic(observer = new PaxosStepObserver()): Invariant {
  return {
    name: "PromiseMonotonic",
    messageEvents: false, // it reads inspections and acceptance events only
    check(view) {
      observer.sync(view);
      for (const n of observer.up) {
        if (n.promisedBefore === undefined || compareBallots(n.inspection.promised, n.promisedBefore) >= 0) continue;
        const how = observer.restarted.has(n.id) ? " across a restart" : "";
        return `${n.id}'s promise went back${how} from ballot ${ballotName(n.promisedBefore)} to ${ballotName(n.inspection.promised)}`;
      }
      for (const a of observer.acceptances) {
        if (a.promisedBefore !== undefined && compareBallots(a.pvalue.ballot, a.promisedBefore) < 0) {
          return `${a.node} accepted ${a.pvalue.digest} in slot ${a.pvalue.slot} at ballot ${ballotName(a.pvalue.ballot)}, below its promise ${ballotName(a.promisedBefore)}`;
        }
      }
      return undefined;
    },
  };
}
