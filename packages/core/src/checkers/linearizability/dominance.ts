import type { StateKey } from "../model.js";
import type { OpBitset } from "./memo.js";

/** The most finished configurations remembered; past it, no more are added (pruning is only an optimisation). */
export const MAX_FINISHED_CONFIGURATIONS = 2_000_000;
/** The most remembered configurations compared per lookup (bounds the cost of one step). */
const MAX_SCAN = 32;

interface Finished {
  core: Uint32Array;
  stateId: number;
  optional: Uint32Array;
}

/**
 * Subsumption for unknown-outcome operations. A configuration is (placed operations, state); split the placed
 * set into known-outcome operations (the core) and unknown-outcome ones (optional: they may take effect at any
 * later point, or never). If a configuration (core, state, optional set O) was fully explored without finding a
 * linearization, then (core, state, O') for any O' that contains O cannot succeed either: every completion of
 * the latter, followed by the operations of O' \\ O at the very end (where unknown-outcome operations can always
 * go), is a completion of the former. Only finished (backtracked) configurations are recorded, so the argument
 * is by induction on finishing order.
 */
export class FinishedConfigurations {
  private readonly buckets = new Map<number, Finished[]>();
  private readonly stateIds = new Map<StateKey, number>();
  private size = 0;

  /** Records a configuration whose exploration found no linearization. */
  add(core: OpBitset, state: StateKey, optional: Uint32Array): void {
    if (this.size >= MAX_FINISHED_CONFIGURATIONS) return;
    const stateId = this.idOf(state);
    const key = bucketKey(core, stateId);
    let bucket = this.buckets.get(key);
    if (bucket === undefined) this.buckets.set(key, (bucket = []));
    bucket.push({ core: core.words.slice(), stateId, optional: optional.slice() });
    this.size++;
  }

  /** Whether a recorded configuration has this core and state and a subset of these optional operations. */
  dominates(core: OpBitset, state: StateKey, optional: Uint32Array): boolean {
    const stateId = this.stateIds.get(state);
    if (stateId === undefined) return false;
    const bucket = this.buckets.get(bucketKey(core, stateId));
    if (bucket === undefined) return false;
    // Newest first: the most recently finished configurations are the likeliest to match.
    for (let i = bucket.length - 1, scanned = 0; i >= 0 && scanned < MAX_SCAN; i--, scanned++) {
      const f = bucket[i]!;
      if (f.stateId === stateId && equalWords(f.core, core.words) && subsetWords(f.optional, optional)) return true;
    }
    return false;
  }

  private idOf(state: StateKey): number {
    let id = this.stateIds.get(state);
    if (id === undefined) this.stateIds.set(state, (id = this.stateIds.size));
    return id;
  }
}

function bucketKey(core: OpBitset, stateId: number): number {
  return ((core.hashHigh ^ Math.imul(stateId + 1, 0x9e3779b1)) >>> 0) * 0x200000 + (core.hashLow & 0x1fffff);
}

function equalWords(a: Uint32Array, b: Uint32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function subsetWords(sub: Uint32Array, of: Uint32Array): boolean {
  for (let i = 0; i < sub.length; i++) if ((sub[i]! & ~of[i]!) !== 0) return false;
  return true;
}
