import type { Invariant, NodeId } from "@faultline/core";
import { ballotName, compareBallots, type Ballot } from "../ballot.js";
import { PaxosStepObserver, type StepNode } from "./observer.js";

/** What one node must still hold after a restart. */
interface Held {
  promised: Ballot | undefined;
  /** The highest ballot it accepted per slot (slots above its compaction point). */
  readonly accepted: Map<number, Ballot>;
  compactedThrough: number;
}

/**
 * What an acceptor answered with is on its disk, and survives its restarts (PROTOCOLS.md: acceptors persist the
 * promised ballot and the accepted pvalues before replying).
 *
 * - A step never ends with unsynced writes on a node whose handler ran: messages leave during the handler, so
 *   an unsynced write at the end of a step is a reply that ran ahead of the disk.
 * - Across restarts the promise does not go back, and every slot keeps a pvalue at least as high as the one
 *   the acceptor accepted there (slots it compacted excepted: they are decided and in its snapshot).
 */
export function durableState(observer = new PaxosStepObserver()): Invariant {
  const held = new Map<NodeId, Held>();
  return {
    name: "DurableState",
    messageEvents: false, // it reads inspections, acceptance events and storage only
    check(view) {
      observer.sync(view);
      const of = (id: NodeId): Held => {
        let h = held.get(id);
        if (h === undefined) held.set(id, (h = { promised: undefined, accepted: new Map(), compactedThrough: 0 }));
        return h;
      };
      for (const n of observer.up) {
        const h = of(n.id);
        if (observer.restarted.has(n.id)) {
          const lost = recoveredLess(n, h);
          if (lost !== undefined) return lost;
        }
        const unsynced = view.storage(n.id).unsyncedWrites;
        if (unsynced !== 0) return `${n.id} ended a step with ${unsynced} unsynced write(s): it acted (and may have replied) before syncing`;
        noteHeld(n, h);
      }
      for (const a of observer.acceptances) {
        const h = of(a.node);
        const before = h.accepted.get(a.pvalue.slot);
        if (before === undefined || compareBallots(a.pvalue.ballot, before) > 0) h.accepted.set(a.pvalue.slot, a.pvalue.ballot);
      }
      return undefined;
    },
  };
}

function recoveredLess(n: StepNode, h: Held): string | undefined {
  const insp = n.inspection;
  if (h.promised !== undefined && compareBallots(insp.promised, h.promised) < 0) {
    return `${n.id} restarted with promise ${ballotName(insp.promised)}, below the ${ballotName(h.promised)} it had promised`;
  }
  for (const [slot, ballot] of h.accepted) {
    if (slot <= insp.compactedThrough) continue;
    const now = insp.accepted.get(slot);
    if (now === undefined || compareBallots(now.ballot, ballot) < 0) {
      return `${n.id} restarted without its acceptance of slot ${slot} at ballot ${ballotName(ballot)} (it recovered ${now === undefined ? "nothing" : ballotName(now.ballot)})`;
    }
  }
  return undefined;
}

/** Records what the node holds durably now (the step ended synced); forgets slots it compacted. */
function noteHeld(n: StepNode, h: Held): void {
  const insp = n.inspection;
  h.promised = insp.promised;
  if (insp.compactedThrough > h.compactedThrough) {
    h.compactedThrough = insp.compactedThrough;
    for (const slot of [...h.accepted.keys()]) if (slot <= insp.compactedThrough) h.accepted.delete(slot);
  }
}
