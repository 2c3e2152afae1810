import { type DurableStorage, type NodeId } from "@faultline/core";
import { hash32 } from "../partitioning/hash.js";
import { stableJson } from "@faultline/core";
import { mergeStored, type MergeOutcome, type StoredValue, type TypeOptions } from "./data-types.js";

/** A hint a fallback node keeps for a replica it stands in for. */
export interface StoredHint {
  key: string;
  intended: NodeId;
  state: StoredValue;
}

const KEYS = "keys";
const COUNTER = "counter";
const HINTS = "hints";
/** The most keys and hints one node keeps: bounds (the scenarios use a handful of keys). */
export const MAX_STORED_KEYS = 100_000;
export const MAX_HINTS = 10_000;

/**
 * A quorum node's durable state, mirrored in memory: one state per key (storage key `v:<key>`), the dot counter
 * (`counter`), and the hints it keeps for other nodes (`h:<id>`), with index lists so a restart finds them.
 * Every change is written through; the caller syncs before it acknowledges anything.
 */
export class QuorumStore {
  /** Key -> state. A changed state is a new object (observers compare references). */
  readonly values = new Map<string, StoredValue>();
  readonly hints = new Map<string, StoredHint>();
  counter: number;

  constructor(private readonly storage: DurableStorage) {
    for (const key of storage.get<string[]>(KEYS) ?? []) this.values.set(key, storage.get<StoredValue>(`v:${key}`)!);
    for (const id of storage.get<string[]>(HINTS) ?? []) this.hints.set(id, storage.get<StoredHint>(`h:${id}`)!);
    this.counter = storage.get<number>(COUNTER) ?? 0;
  }

  /** The next dot counter of this node, on disk with the write it stamps (both synced by the caller). */
  nextCounter(): number {
    this.storage.put(COUNTER, ++this.counter);
    return this.counter;
  }

  /** Replaces the state of `key`. */
  put(key: string, state: StoredValue): void {
    if (!this.values.has(key)) {
      if (this.values.size >= MAX_STORED_KEYS) throw new Error(`a quorum node keeps at most ${MAX_STORED_KEYS} keys`);
      this.values.set(key, state);
      this.storage.put(KEYS, [...this.values.keys()]);
    }
    this.values.set(key, state);
    this.storage.put(`v:${key}`, state);
  }

  /** Merges `incoming` into the state of `key`; returns the outcome, or undefined when nothing changed. */
  merge(key: string, incoming: StoredValue, options: TypeOptions): MergeOutcome | undefined {
    const local = this.values.get(key);
    const outcome = mergeStored(local, incoming, options);
    if (local !== undefined && stableJson(outcome.merged) === stableJson(local)) return undefined;
    this.put(key, outcome.merged);
    return outcome;
  }

  /** Keeps a hint (merged with an earlier one for the same key and replica). */
  addHint(hint: StoredHint, options: TypeOptions): void {
    const id = `${hint.intended}/${hint.key}`;
    const known = this.hints.get(id);
    const state = known === undefined ? hint.state : mergeStored(known.state, hint.state, options).merged;
    if (known === undefined && this.hints.size >= MAX_HINTS) return; // bounded: anti-entropy repairs what a dropped hint would have
    this.hints.set(id, { ...hint, state });
    this.storage.put(`h:${id}`, { ...hint, state });
    if (known === undefined) this.storage.put(HINTS, [...this.hints.keys()]);
  }

  /** Forgets a hint once delivered, unless it changed since it was sent (then the newer one is delivered later). */
  dropHint(id: string, delivered: StoredValue): void {
    const known = this.hints.get(id);
    if (known === undefined || stableJson(known.state) !== stableJson(delivered)) return;
    this.hints.delete(id);
    this.storage.delete(`h:${id}`);
    this.storage.put(HINTS, [...this.hints.keys()]);
  }

  /** The digest of a key's state, for anti-entropy. */
  digest(key: string): number {
    const v = this.values.get(key);
    return v === undefined ? 0 : hash32(stableJson(v));
  }

  sync(): void {
    this.storage.sync();
  }
}
