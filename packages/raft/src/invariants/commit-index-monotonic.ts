import type { Invariant, NodeId } from "@faultline/core";
import { lastLogIndex, RaftStepObserver } from "./observer.js";

/**
 * commitIndex never goes backwards on a node, across crashes too (PROTOCOLS.md, "other useful checks").
 *
 * Within one incarnation commitIndex only grows. A crash loses the volatile commitIndex, so a restarted node
 * rebuilds it from durable state; what it rebuilds must not fall below what was durable before the crash:
 * the snapshot it held at the end of a step that left no unsynced write on its disk (a snapshot holds
 * committed entries only). Also checks that a node never counts as committed more than its log holds.
 */
export function commitIndexMonotonic(observer = new RaftStepObserver()): Invariant {
  /** commitIndex at the previous look, in the current incarnation (absent after a restart). */
  const lastCommit = new Map<NodeId, number>();
  /** The highest snapshot index seen on each node with nothing left unsynced: a restart must recover at least this far. */
  const durableFloor = new Map<NodeId, number>();
  return {
    name: "CommitIndexMonotonic",
    messageEvents: false, // it reads the step's handler nodes and log events only
    check(view) {
      observer.sync(view);
      for (const id of observer.restarted) lastCommit.delete(id);
      for (const { id, inspection: insp } of observer.up) {
        const before = lastCommit.get(id);
        if (before !== undefined && insp.commitIndex < before) {
          return `commitIndex of ${id} went back from ${before} to ${insp.commitIndex}`;
        }
        const floor = durableFloor.get(id) ?? 0;
        if (before === undefined && insp.commitIndex < floor) {
          return `${id} restarted with commitIndex ${insp.commitIndex}, below its durable snapshot at index ${floor}`;
        }
        if (insp.commitIndex > lastLogIndex(insp)) {
          return `${id} has commitIndex ${insp.commitIndex} beyond its last log index ${lastLogIndex(insp)}`;
        }
        lastCommit.set(id, insp.commitIndex);
        if (insp.snapshotIndex > floor && view.storage(id).unsyncedWrites === 0) durableFloor.set(id, insp.snapshotIndex);
      }
      return undefined;
    },
  };
}
