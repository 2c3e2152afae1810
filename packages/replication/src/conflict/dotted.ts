import { ConfigError } from "@faultline/core";
import { covers, joinVectors, type Dot, type VersionVector } from "./version-vector.js";

/** An entry of a dotted set: a payload tagged with the event (dot) that created it. */
export interface DottedEntry<T> {
  dot: Dot;
  payload: T;
}

/** The most entries one dotted set keeps: a bound (a workload that exceeds it has a runaway writer). */
export const MAX_DOTTED_ENTRIES = 10_000;

/**
 * Merges two dotted sets with their causal contexts, the join both the OR-Set and the multi-value register
 * use (Almeida, Shoker and Baquero's dotted causal containers). An entry survives when both sides hold it,
 * or when the other side has never seen its dot; an entry the other side has seen and no longer holds was
 * removed (or superseded) there, and goes. Commutative, associative and idempotent. The result is sorted by
 * dot, so equal sets have equal JSON.
 *
 * It relies on one rule of dots: a node makes its dots in increasing order, each on top of its own state, so
 * a context that covers a node's counter n has seen all of that node's events before n.
 */
export function mergeDotted<T>(a: readonly DottedEntry<T>[], aContext: VersionVector, b: readonly DottedEntry<T>[], bContext: VersionVector): { entries: DottedEntry<T>[]; context: VersionVector } {
  const inB = new Set(b.map((e) => dotKey(e.dot)));
  const inA = new Set(a.map((e) => dotKey(e.dot)));
  const kept: DottedEntry<T>[] = [];
  for (const e of a) if (inB.has(dotKey(e.dot)) || !covers(bContext, e.dot)) kept.push(e);
  for (const e of b) if (!inA.has(dotKey(e.dot)) && !covers(aContext, e.dot)) kept.push(e);
  if (kept.length > MAX_DOTTED_ENTRIES) throw new ConfigError("dotted.entries", `a dotted set holds at most ${MAX_DOTTED_ENTRIES} entries`, kept.length);
  return { entries: sortByDot(kept), context: joinVectors(aContext, bContext) };
}

/** Entries sorted by dot (node, then counter): the canonical order. */
export function sortByDot<T>(entries: DottedEntry<T>[]): DottedEntry<T>[] {
  return entries.sort((x, y) => (x.dot.node < y.dot.node ? -1 : x.dot.node > y.dot.node ? 1 : x.dot.counter - y.dot.counter));
}

/** A dot as a string key. */
export function dotKey(dot: Dot): string {
  return `${dot.node}:${dot.counter}`;
}

/** Checks a dot made by a caller. @throws ConfigError */
export function checkDot(dot: Dot, field: string): void {
  if (dot === null || typeof dot !== "object" || typeof dot.node !== "string" || !Number.isInteger(dot.counter) || dot.counter < 1) {
    throw new ConfigError(field, "must be a dot { node, counter } with an integer counter >= 1", dot);
  }
}
