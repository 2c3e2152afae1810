import type { Invariant, NodeId } from "@faultline/core";
import { RaftStepObserver } from "./observer.js";

/**
 * Leader Append-Only (Raft §5.3): a leader never overwrites or deletes entries of its own log; it only
 * appends (and compacts a committed prefix into a snapshot). Checked on every log change of a node that
 * was leader of the same term, in the same incarnation, at the previous look and still is.
 */
export function leaderAppendOnly(observer = new RaftStepObserver()): Invariant {
  /** The term each node was leading at the previous look (absent when it was not leading). */
  const leading = new Map<NodeId, number>();
  return {
    name: "LeaderAppendOnly",
    messageEvents: false, // it reads the step's handler nodes and log events only
    check(view) {
      observer.sync(view);
      for (const id of observer.restarted) leading.delete(id);
      for (const id of observer.touched) {
        const insp = observer.inspectionOf(id);
        const wasLeading = leading.get(id);
        if (insp === undefined) {
          leading.delete(id);
          continue;
        }
        if (wasLeading !== undefined && insp.role === "leader" && insp.currentTerm === wasLeading) {
          const change = observer.changeOf(id)!;
          const keptUpTo = Math.max(change.newSnapshotIndex, change.firstChanged - 1);
          if (keptUpTo < change.oldLast) {
            return `leader ${id} of term ${wasLeading} rewrote or removed its own entries from index ${keptUpTo + 1} (its log ended at ${change.oldLast}, now at ${change.newLast})`;
          }
        }
        if (insp.role === "leader") leading.set(id, insp.currentTerm);
        else leading.delete(id);
      }
      return undefined;
    },
  };
}
