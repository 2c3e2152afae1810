import type { NodeId } from "@faultline/core";

/**
 * A version vector (vector clock): per node, the highest counter of that node's events seen. Plain data,
 * compared by value; a missing entry is 0.
 */
export type VersionVector = Readonly<Record<NodeId, number>>;

/** One event: the node that made it and its counter there (a "dot"). */
export interface Dot {
  node: NodeId;
  counter: number;
}

/** How two version vectors relate. */
export type CausalOrder = "equal" | "before" | "after" | "concurrent";

/** Whether `vv` has seen the event `dot`. */
export function covers(vv: VersionVector, dot: Dot): boolean {
  return (vv[dot.node] ?? 0) >= dot.counter;
}

/** The least vector that has seen everything either one has (pointwise maximum), keys in name order. */
export function joinVectors(a: VersionVector, b: VersionVector): VersionVector {
  const out: Record<NodeId, number> = {};
  for (const node of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) out[node] = Math.max(a[node] ?? 0, b[node] ?? 0);
  return out;
}

/** `vv` with the event `dot` added. */
export function addDot(vv: VersionVector, dot: Dot): VersionVector {
  return covers(vv, dot) ? vv : joinVectors(vv, { [dot.node]: dot.counter });
}

/** The next event of `node` after everything in `vv`: Dynamo's coordinator step. */
export function incrementVector(vv: VersionVector, node: NodeId): VersionVector {
  return joinVectors(vv, { [node]: (vv[node] ?? 0) + 1 });
}

/** Compares two vectors: "before" when `a` happened before `b` (a < b), "concurrent" when neither saw the other. */
export function compareVectors(a: VersionVector, b: VersionVector): CausalOrder {
  let less = false;
  let greater = false;
  for (const node of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[node] ?? 0;
    const y = b[node] ?? 0;
    if (x < y) less = true;
    else if (x > y) greater = true;
  }
  if (less && greater) return "concurrent";
  return less ? "before" : greater ? "after" : "equal";
}
