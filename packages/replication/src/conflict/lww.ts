import { stableJson, type NodeId } from "@faultline/core";

/** A value written under last-writer-wins: its timestamp (ms of the writer's clock) and, optionally, its writer. */
export interface LwwVersion<T = unknown> {
  value: T;
  timestamp: number;
  /** The writer (a node id), the first tie-break. @defaultValue "" */
  node?: NodeId;
}

/**
 * Last-writer-wins: the version with the larger timestamp wins. Equal timestamps are broken deterministically,
 * first by the writer id, then by the value's stable JSON, so every replica picks the same winner whatever
 * the order it sees the two in (the resolution is commutative, associative and idempotent: a join).
 *
 * LWW trusts clocks: a writer whose clock runs behind loses to an older write from a clock ahead, and the
 * later write is silently dropped although it was acknowledged. Quorums do not help with that.
 */
export function resolveConflictLww<T>(a: LwwVersion<T>, b: LwwVersion<T>): LwwVersion<T> {
  return compareLww(a, b) >= 0 ? a : b;
}

/** The order {@link resolveConflictLww} uses: > 0 when `a` wins, 0 when the two are the same version. */
export function compareLww(a: LwwVersion<unknown>, b: LwwVersion<unknown>): number {
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp ? 1 : -1;
  const na = a.node ?? "";
  const nb = b.node ?? "";
  if (na !== nb) return na > nb ? 1 : -1;
  const va = stableJson(a.value);
  const vb = stableJson(b.value);
  return va === vb ? 0 : va > vb ? 1 : -1;
}
