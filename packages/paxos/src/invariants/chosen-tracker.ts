import type { NodeId } from "@faultline/core";
import { ballotName, compareBallots, type Ballot } from "../ballot.js";
import type { InspectedPValue } from "../inspect.js";

/** A value chosen in a slot: a majority of acceptors accepted `digest` at `ballot`. */
export interface ChosenValue {
  readonly slot: number;
  readonly ballot: Ballot;
  readonly digest: string;
}

/** Every acceptance of one (ballot, value) in one slot. */
export interface Vote {
  readonly ballot: Ballot;
  readonly digest: string;
  readonly acceptors: Set<NodeId>;
}

interface SlotRecord {
  /** Keyed by ballot name and digest: one ballot carries one value unless a proposer misbehaves. */
  readonly votes: Map<string, Vote>;
  /** The (ballot, value) pairs that reached a majority, in the order they did. */
  readonly chosen: ChosenValue[];
}

/**
 * Computes "chosen" from acceptor states, as the observers see them: a slot's value is chosen once a majority
 * of acceptors has accepted it at one ballot. Chosen is a fact about history: an acceptor that later accepts
 * something else, restarts or compacts still counted, so every acceptance ever seen is kept (a few per slot).
 */
export class ChosenTracker {
  private readonly slots = new Map<number, SlotRecord>();

  constructor(readonly quorum: number) {}

  /** Counts one acceptance; returns the value it made chosen, when it was the one that completed a majority. */
  record(node: NodeId, pv: InspectedPValue): ChosenValue | undefined {
    let rec = this.slots.get(pv.slot);
    if (rec === undefined) this.slots.set(pv.slot, (rec = { votes: new Map(), chosen: [] }));
    const key = `${ballotName(pv.ballot)}|${pv.digest}`;
    let vote = rec.votes.get(key);
    if (vote === undefined) rec.votes.set(key, (vote = { ballot: pv.ballot, digest: pv.digest, acceptors: new Set() }));
    if (vote.acceptors.has(node)) return undefined;
    vote.acceptors.add(node);
    if (vote.acceptors.size !== this.quorum) return undefined;
    const chosen: ChosenValue = { slot: pv.slot, ballot: pv.ballot, digest: pv.digest };
    rec.chosen.push(chosen);
    return chosen;
  }

  /** The values chosen in `slot`, in the order they were (more than one distinct digest is a violation). */
  chosenIn(slot: number): readonly ChosenValue[] {
    return this.slots.get(slot)?.chosen ?? [];
  }

  /** Every acceptance recorded in `slot` at a ballot above `ballot`. */
  votesAbove(slot: number, ballot: Ballot): Vote[] {
    const out: Vote[] = [];
    for (const v of this.slots.get(slot)?.votes.values() ?? []) if (compareBallots(v.ballot, ballot) > 0) out.push(v);
    return out;
  }
}
