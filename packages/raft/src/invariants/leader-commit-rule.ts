import type { Invariant, NodeId } from "@faultline/core";
import { RaftStepObserver, termAt } from "./observer.js";

/**
 * The commit rule itself (Raft §5.4.2, Figure 8): a leader advances its commitIndex only to an entry of its
 * own term, counted on a quorum; entries of earlier terms become committed indirectly, below it. Stated as a
 * protocol assertion, checked by an observer: it fires on the step where a leader counts an old-term entry,
 * long before a later leader overwrites that entry and State Machine Safety sees the damage.
 *
 * Only commit advances made while leading count: a node that becomes leader keeps the commitIndex it had as a
 * follower.
 */
export function leaderCommitRule(observer = new RaftStepObserver()): Invariant {
  /** commitIndex of each node at its previous look while it led, with the term it led. */
  const ledAt = new Map<NodeId, { term: number; commitIndex: number }>();
  return {
    name: "LeaderCommitRule",
    messageEvents: false,
    check(view) {
      observer.sync(view);
      for (const id of observer.restarted) ledAt.delete(id);
      for (const { id, inspection: insp } of observer.up) {
        if (insp.role !== "leader") {
          ledAt.delete(id);
          continue;
        }
        const before = ledAt.get(id);
        ledAt.set(id, { term: insp.currentTerm, commitIndex: insp.commitIndex });
        if (before === undefined || before.term !== insp.currentTerm || insp.commitIndex <= before.commitIndex) continue;
        const term = termAt(insp, insp.commitIndex);
        if (term !== undefined && term !== insp.currentTerm) {
          return `leader ${id} of term ${insp.currentTerm} advanced commitIndex to ${insp.commitIndex}, an entry of term ${term}: only entries of its own term may be committed by counting`;
        }
      }
      return undefined;
    },
  };
}
