import { KvStateMachine } from "@faultline/core";
import type { PaxosSnapshot, PValue } from "../messages.js";
import type { PaxosStore, RecoveredState } from "./store.js";

/**
 * The replica half of a node: the decisions it learned, the key-value state machine they are applied to (core's,
 * exactly once per request through its dedup window), and the snapshot that compacts applied slots.
 *
 * Decisions are kept from the snapshot on (applied ones too), so the node can re-send them to a lagging
 * replica; compaction bounds them. Applying is the node's job (it answers clients and reports applies): the
 * replica only says what is next.
 */
export class Replica {
  readonly kv: KvStateMachine;
  /** Decided pvalues of slots above the snapshot, applied or not. */
  readonly decided = new Map<number, PValue>();
  /** Every slot up to this one is applied. */
  appliedThrough = 0;
  snapshot: PaxosSnapshot | undefined;

  constructor(private readonly store: PaxosStore, dedupWindowMs: number) {
    this.kv = new KvStateMachine(dedupWindowMs);
  }

  /** Restores the snapshot and the decisions after it (not yet applied: the node applies them). */
  recover(disk: RecoveredState): void {
    this.snapshot = disk.snapshot;
    if (disk.snapshot !== undefined) {
      this.kv.restore(disk.snapshot.state);
      this.appliedThrough = disk.snapshot.slot;
    }
    for (const pv of disk.decided) if (pv.slot > this.appliedThrough && !this.decided.has(pv.slot)) this.decided.set(pv.slot, pv);
  }

  /** The slot of the snapshot (0 without one). */
  get snapshotSlot(): number {
    return this.snapshot?.slot ?? 0;
  }

  /** Records a decision (written through the store). Returns false when the slot was already decided or applied. */
  decide(pvalue: PValue): boolean {
    if (pvalue.slot <= this.appliedThrough || this.decided.has(pvalue.slot)) return false;
    this.decided.set(pvalue.slot, pvalue);
    this.store.appendDecided(pvalue);
    return true;
  }

  /** The decision to apply next, if it is known. */
  next(): PValue | undefined {
    return this.decided.get(this.appliedThrough + 1);
  }

  /** Consecutive decisions from `fromSlot` on, at most `max` (what a catch-up answer carries). */
  decisionsFrom(fromSlot: number, max: number): PValue[] {
    const out: PValue[] = [];
    for (let s = fromSlot; out.length < max; s++) {
      const pv = this.decided.get(s);
      if (pv === undefined) break;
      out.push(pv);
    }
    return out;
  }

  /** Whether enough applied slots piled up since the snapshot to compact them. */
  shouldCompact(thresholdSlots: number): boolean {
    return this.appliedThrough - this.snapshotSlot >= thresholdSlots;
  }

  /** A snapshot of the state machine at `appliedThrough`; drops the decisions it covers. */
  takeSnapshot(): PaxosSnapshot {
    const snapshot: PaxosSnapshot = { slot: this.appliedThrough, state: this.kv.toSnapshot() };
    this.dropThrough(snapshot.slot);
    this.snapshot = snapshot;
    return snapshot;
  }

  /** Replaces the state machine with a newer snapshot (the caller checked it is newer). */
  install(snapshot: PaxosSnapshot): void {
    this.kv.restore(snapshot.state);
    this.appliedThrough = snapshot.slot;
    this.snapshot = snapshot;
    this.dropThrough(snapshot.slot);
  }

  private dropThrough(slot: number): void {
    for (const s of [...this.decided.keys()]) if (s <= slot) this.decided.delete(s);
  }
}
