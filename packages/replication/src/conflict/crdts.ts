import { ConfigError, stableJson, type NodeId } from "@faultline/core";
import { checkDot, mergeDotted, sortByDot, type DottedEntry } from "./dotted.js";
import { addDot, type Dot, type VersionVector } from "./version-vector.js";

// ---------------------------------------------------------------- G-Counter

/** A grow-only counter (Shapiro et al. 2011): per node, the total that node added. Its value is the sum. */
export type GCounter = Readonly<Record<NodeId, number>>;

/** `counter` with `by` (a whole number >= 1) added at `node`. Only `node` itself may add to its entry. */
export function gCounterIncrement(counter: GCounter, node: NodeId, by = 1): GCounter {
  if (!Number.isInteger(by) || by < 1) throw new ConfigError("gCounter.increment.by", "must be an integer >= 1", by);
  return sortedRecord({ ...counter, [node]: (counter[node] ?? 0) + by });
}

/** The join of two G-Counters: the pointwise maximum (commutative, associative, idempotent). */
export function gCounterMerge(a: GCounter, b: GCounter): GCounter {
  const out: Record<NodeId, number> = {};
  for (const node of new Set([...Object.keys(a), ...Object.keys(b)])) out[node] = Math.max(a[node] ?? 0, b[node] ?? 0);
  return sortedRecord(out);
}

export function gCounterValue(counter: GCounter): number {
  let sum = 0;
  for (const v of Object.values(counter)) sum += v;
  return sum;
}

// ---------------------------------------------------------------- PN-Counter

/** A counter that goes up and down: two G-Counters, increments and decrements. Its value is p - n. */
export interface PNCounter {
  p: GCounter;
  n: GCounter;
}

export const EMPTY_PN_COUNTER: PNCounter = Object.freeze({ p: {}, n: {} });

/** `counter` changed by `delta` (a nonzero whole number) at `node`. */
export function pnCounterAdd(counter: PNCounter, node: NodeId, delta: number): PNCounter {
  if (!Number.isInteger(delta) || delta === 0) throw new ConfigError("pnCounter.add.delta", "must be a nonzero integer", delta);
  return delta > 0 ? { p: gCounterIncrement(counter.p, node, delta), n: counter.n } : { p: counter.p, n: gCounterIncrement(counter.n, node, -delta) };
}

export function pnCounterMerge(a: PNCounter, b: PNCounter): PNCounter {
  return { p: gCounterMerge(a.p, b.p), n: gCounterMerge(a.n, b.n) };
}

export function pnCounterValue(counter: PNCounter): number {
  return gCounterValue(counter.p) - gCounterValue(counter.n);
}

// ---------------------------------------------------------------- OR-Set

/**
 * An observed-remove set (add wins), in the optimized form without tombstones (Bieniusa et al. 2012): each
 * element is held with the dots of the adds that put it there, and a causal context records every dot seen.
 * A remove drops the element's dots it observed; a concurrent add (a dot the remover never saw) survives.
 */
export interface ORSet<E = unknown> {
  entries: DottedEntry<E>[];
  context: VersionVector;
}

export const EMPTY_OR_SET: ORSet<never> = Object.freeze({ entries: [], context: {} }) as ORSet<never>;

/** Adds `element` with the new dot `dot` (made by the adding node, above everything it made before). */
export function orSetAdd<E>(set: ORSet<E>, element: E, dot: Dot): ORSet<E> {
  checkDot(dot, "orSet.add.dot");
  const key = stableJson(element);
  // the element's older dots are in the context: this add supersedes them
  const kept = set.entries.filter((e) => stableJson(e.payload) !== key);
  return { entries: sortByDot([...kept, { dot, payload: element }]), context: addDot(set.context, dot) };
}

/** Removes every add of `element` this replica has observed. */
export function orSetRemove<E>(set: ORSet<E>, element: E): ORSet<E> {
  const key = stableJson(element);
  return { entries: set.entries.filter((e) => stableJson(e.payload) !== key), context: set.context };
}

export function orSetMerge<E>(a: ORSet<E>, b: ORSet<E>): ORSet<E> {
  return mergeDotted(a.entries, a.context, b.entries, b.context);
}

/** The elements, each once, sorted by their stable JSON. */
export function orSetValue<E>(set: ORSet<E>): E[] {
  const byKey = new Map<string, E>();
  for (const e of set.entries) byKey.set(stableJson(e.payload), e.payload);
  return [...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
}

function sortedRecord(r: Record<NodeId, number>): GCounter {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
