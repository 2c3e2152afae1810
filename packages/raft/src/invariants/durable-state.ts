import type { Invariant, NodeId } from "@faultline/core";
import { RaftStepObserver } from "./observer.js";

/**
 * What a Raft node acted on is on its disk, and survives its restarts (PROTOCOLS.md, durability: currentTerm,
 * votedFor and the log are synced before the node answers).
 *
 * Two checks, on every node whose handler ran in the step:
 * - the step leaves nothing unsynced: every handler of this Raft syncs what it wrote before it returns, and
 *   messages leave during the handler, so an unsynced write at the end of a step is a reply that ran ahead
 *   of the disk (a crash now would lose what the reply vouched for);
 * - across restarts, currentTerm never goes back and the vote of a term never changes: the term and vote a
 *   node held at the end of a step with nothing unsynced are what it must recover. A vote that was granted
 *   but never written (nothing left unsynced, nothing on disk) shows up here at the node's next restart,
 *   before any double vote it allows has elected a second leader.
 */
export function durableState(observer = new RaftStepObserver()): Invariant {
  /** The highest term each node held durably. */
  const termFloor = new Map<NodeId, number>();
  /** The vote each node held durably in its latest durable term. */
  const voteOf = new Map<NodeId, { term: number; votedFor: NodeId }>();
  return {
    name: "DurableState",
    messageEvents: false, // it reads the step's handler nodes and storage only
    check(view) {
      observer.sync(view);
      for (const { id, inspection: insp } of observer.up) {
        const floor = termFloor.get(id) ?? 0;
        if (insp.currentTerm < floor) return `${id} went back from term ${floor} to ${insp.currentTerm} (a restart recovered less than it had acted on)`;
        const vote = voteOf.get(id);
        if (vote !== undefined && vote.term === insp.currentTerm && insp.votedFor !== vote.votedFor) {
          return `${id} changed its vote in term ${vote.term} from ${vote.votedFor} to ${insp.votedFor ?? "none"}`;
        }
        const unsynced = view.storage(id).unsyncedWrites;
        if (unsynced !== 0) return `${id} ended a step with ${unsynced} unsynced write(s): it acted (and may have replied) before syncing`;
        termFloor.set(id, insp.currentTerm);
        if (insp.votedFor !== null) voteOf.set(id, { term: insp.currentTerm, votedFor: insp.votedFor });
      }
      return undefined;
    },
  };
}
