import type { NodeId } from "@faultline/core";
import { compareBallots, type Ballot } from "../ballot.js";
import { makePValue, restamp, type PValue } from "../messages.js";

/** One acceptor's phase-1b answer, as the new leader uses it. */
export interface PromiseReport {
  from: NodeId;
  accepted: readonly PValue[];
  compactedThrough: number;
}

/** How the planted bugs bend adoption (both off in a correct leader). */
export interface AdoptionFlaws {
  /** ignoreHighestBallot: per slot, each report overwrites the value of the ones before, whatever its ballot. */
  lastReportWins?: boolean;
  /** noGapFilling: leave slots nobody reported empty instead of proposing a no-op there. */
  skipGaps?: boolean;
}

/** What a new leader proposes after phase 1. */
export interface Adoption {
  /** The first slot the leader proposes in: above its own decisions and above every reported compaction. */
  startSlot: number;
  /** Phase 2a values for the open slots from `startSlot` on, in slot order, all at the new ballot. */
  values: PValue[];
  /** The first slot free for new commands. */
  nextSlot: number;
  /** When a quorum member compacted slots the leader has not decided: who, and up to where (the leader catches up there). */
  catchUp: { from: NodeId; through: number } | undefined;
}

/**
 * Phase 1's rule (Lamport; "Paxos Made Moderately Complex", pmax): for every slot from `fromSlot` on that some
 * acceptor of the quorum reported, the new leader proposes the value with the highest ballot reported there;
 * slots in between that nobody reported are gaps, filled with no-ops so that later slots can be applied.
 *
 * A reported compaction point `c` means the acceptor decided (and forgot) every slot up to `c`: a chosen value
 * there might be reported by nobody, so the leader must not propose there. It starts above the highest such
 * point and learns those slots from that acceptor.
 */
export function adopt(ballot: Ballot, fromSlot: number, reports: readonly PromiseReport[], flaws: AdoptionFlaws = {}): Adoption {
  let compacted = { from: "", through: 0 };
  for (const r of reports) if (r.compactedThrough > compacted.through) compacted = { from: r.from, through: r.compactedThrough };
  const startSlot = Math.max(fromSlot, compacted.through + 1);
  const best = new Map<number, PValue>();
  for (const r of reports) {
    for (const pv of r.accepted) {
      if (pv.slot < startSlot) continue;
      const held = best.get(pv.slot);
      const wins = held === undefined || flaws.lastReportWins === true || compareBallots(pv.ballot, held.ballot) > 0;
      if (wins) best.set(pv.slot, pv);
    }
  }
  let lastReported = startSlot - 1;
  for (const slot of best.keys()) lastReported = Math.max(lastReported, slot);
  const values: PValue[] = [];
  for (let slot = startSlot; slot <= lastReported; slot++) {
    const pv = best.get(slot);
    if (pv !== undefined) values.push(restamp(pv, ballot));
    else if (!flaws.skipGaps) values.push(makePValue(ballot, slot, { kind: "noop" }));
  }
  const catchUp = compacted.through >= fromSlot ? { from: compacted.from, through: compacted.through } : undefined;
  return { startSlot, values, nextSlot: lastReported + 1, catchUp };
}
