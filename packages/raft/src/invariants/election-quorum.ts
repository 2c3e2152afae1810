import { calculateQuorum, type Invariant, type NodeId } from "@faultline/core";
import { RaftStepObserver } from "./observer.js";

/**
 * A leader won with real votes (Raft §5.2): at the step a node is first seen leading term T, a quorum of its
 * voters must have voted for it in T. Read from the voters' own state: a running voter in term T whose vote
 * is for the new leader counts; so does one already in a later term, or one that is down (their vote in T
 * cannot be read any more, so they are given the benefit of the doubt); a running voter still in an earlier
 * term never voted in T, nor did one in T whose vote is for someone else. A candidate that counts a stale
 * reply, or a vote it was never given, is caught at the step it declares victory, before a second leader of
 * the term appears (if one ever does).
 */
export function electionQuorum(observer = new RaftStepObserver()): Invariant {
  const checked = new Map<NodeId, number>();
  return {
    name: "ElectionQuorum",
    messageEvents: false,
    check(view) {
      observer.sync(view);
      for (const id of observer.restarted) checked.delete(id);
      for (const { id, inspection: insp } of observer.up) {
        if (insp.role !== "leader" || checked.get(id) === insp.currentTerm) continue;
        checked.set(id, insp.currentTerm);
        const term = insp.currentTerm;
        const real: NodeId[] = [];
        const missing: string[] = [];
        for (const v of insp.voters) {
          const other = v === id ? insp : observer.inspect(view, v);
          if (other === undefined || other.currentTerm > term || (other.currentTerm === term && other.votedFor === id)) real.push(v);
          else missing.push(`${v} (term ${other.currentTerm}, vote ${other.votedFor ?? "none"})`);
        }
        if (real.length < calculateQuorum(insp.voters.length)) {
          return `${id} leads term ${term} without a quorum of votes in it: only ${real.join(", ")} could have voted for it; not ${missing.join(", ")}`;
        }
      }
      return undefined;
    },
  };
}
