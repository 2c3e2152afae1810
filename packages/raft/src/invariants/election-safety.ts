import type { Invariant, NodeId } from "@faultline/core";
import { RaftStepObserver } from "./observer.js";

/**
 * Election Safety (Raft §5.2): at most one leader is elected in a given term, over the whole run.
 * Remembers the first leader seen for each term; a different node leading the same term later (even after
 * the first one crashed) is a violation. Only nodes whose handlers ran in a step can have become leader, so
 * each step looks at those alone.
 */
export function electionSafety(observer = new RaftStepObserver()): Invariant {
  const leaderOfTerm = new Map<number, NodeId>();
  return {
    name: "ElectionSafety",
    messageEvents: false, // it reads the step's handler nodes and log events only
    check(view) {
      observer.sync(view);
      for (const { id, inspection: insp } of observer.up) {
        if (insp.role !== "leader") continue;
        const known = leaderOfTerm.get(insp.currentTerm);
        if (known === undefined) leaderOfTerm.set(insp.currentTerm, id);
        else if (known !== id) return `two leaders in term ${insp.currentTerm}: ${known} and ${id}`;
      }
      return undefined;
    },
  };
}
