import { InternalInvariantError } from "@faultline/core";
import { ZERO_BALLOT, compareBallots, type Ballot } from "../ballot.js";
import type { PValue } from "../messages.js";
import type { PaxosStore, RecoveredState } from "./store.js";

/**
 * The acceptor half of a node: its promise and the pvalue it accepted per slot, kept in step with the disk.
 * Every change is written through the store; the node syncs before it answers.
 */
export class Acceptor {
  promised: Ballot = ZERO_BALLOT;
  /** The accepted pvalue of each slot above `compactedThrough` (the one with the highest ballot). */
  readonly accepted = new Map<number, PValue>();
  /** Slots up to this one were decided and compacted away. */
  compactedThrough = 0;

  constructor(private readonly store: PaxosStore) {}

  /** Rebuilds the promise and the accepted pvalues from the disk. */
  recover(disk: RecoveredState, compactedThrough: number): void {
    this.promised = disk.promised;
    this.compactedThrough = compactedThrough;
    for (const pv of disk.accepted) {
      if (pv.slot <= compactedThrough) continue;
      const held = this.accepted.get(pv.slot);
      if (held === undefined || compareBallots(pv.ballot, held.ballot) >= 0) this.accepted.set(pv.slot, pv);
    }
  }

  /**
   * Raises the promise to `ballot` (never lowers it). `persist: false` is the planted bug promiseNotPersisted:
   * the promise lives in memory only. Returns whether it rose.
   */
  promise(ballot: Ballot, persist = true): boolean {
    if (compareBallots(ballot, this.promised) <= 0) return false;
    this.promised = ballot;
    if (persist) this.store.savePromise(ballot);
    return true;
  }

  /** Accepts `pvalue` (its ballot becomes the promise if higher), on disk. */
  accept(pvalue: PValue): void {
    if (pvalue.slot <= this.compactedThrough) throw new InternalInvariantError(`accept of compacted slot ${pvalue.slot}`);
    this.promise(pvalue.ballot);
    this.accepted.set(pvalue.slot, pvalue);
    this.store.appendAccepted(pvalue);
  }

  /** The pvalues accepted in slots from `fromSlot` on, in slot order: what a promise reports. */
  reportFrom(fromSlot: number): PValue[] {
    const out: PValue[] = [];
    for (const [slot, pv] of this.accepted) if (slot >= fromSlot) out.push(pv);
    return out.sort((a, b) => a.slot - b.slot);
  }

  /** Forgets the pvalues of slots up to `slot` (decided and in the snapshot); returns what remains. */
  compactTo(slot: number): PValue[] {
    if (slot <= this.compactedThrough) return [...this.accepted.values()];
    this.compactedThrough = slot;
    for (const s of [...this.accepted.keys()]) if (s <= slot) this.accepted.delete(s);
    return [...this.accepted.values()];
  }
}
