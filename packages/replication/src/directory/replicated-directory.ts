import { ConfigError, type CheckVerdict, type History, type NodeId, type WorkloadOp } from "@faultline/core";
import { DirectoryPartitioner, type BucketMove } from "../partitioning/directory-partitioner.js";

/** A membership change of the storage tier: a node joins or leaves. */
export type MembershipChange = { add: NodeId } | { remove: NodeId };

/** The directory key of `bucket` in the replicated key-value store. */
export function bucketKey(bucket: number): string {
  return `bucket:${bucket}`;
}

/** What a rebalancer does to a replicated directory: the writes, and the keys moved per membership change. */
export interface DirectoryPlan {
  /** The operations, in order: a put per bucket (the initial table), then a compare-and-set per bucket a change moves. */
  ops: WorkloadOp[];
  /** Per membership change, the buckets it moved. */
  changes: Array<{ change: MembershipChange; moves: BucketMove[] }>;
}

/**
 * The writes a rebalancer sends to a directory kept in a replicated key-value store (Raft's): the initial
 * table as puts, then, for each membership change, a compare-and-set `[from, to]` per bucket moved (so a move
 * that raced another writer fails instead of overwriting it). The moves come from {@link DirectoryPartitioner}:
 * a change rewrites only the entries it moves.
 */
export function planDirectory(initial: readonly NodeId[], buckets: number, changes: readonly MembershipChange[]): DirectoryPlan {
  const directory = new DirectoryPartitioner({ nodes: initial, buckets });
  const ops: WorkloadOp[] = directory.entries().map((node, b) => ({ f: "put", key: bucketKey(b), value: node }));
  const out: DirectoryPlan["changes"] = [];
  for (const change of changes) {
    if (change === null || typeof change !== "object") throw new ConfigError("planDirectory.changes", "must be { add } or { remove } entries", change);
    const moves = "add" in change ? directory.addNode(change.add) : directory.removeNode(change.remove);
    for (const m of moves) ops.push({ f: "cas", key: bucketKey(m.bucket), value: [m.from, m.to] });
    out.push({ change, moves });
  }
  return { ops, changes: out };
}

/**
 * RoutingPreserved: after the faults, the directory still routes every bucket where its last acknowledged
 * write put it. For each bucket, the final read (by `reader`, after healing) must return the value of the last
 * write acknowledged before the read began, unless another write on the bucket is concurrent with the read or
 * of unknown outcome (then either may stand). Losing a directory node must lose no routing.
 */
export function checkRoutingPreserved(history: History, reader: string): CheckVerdict {
  const checker = "RoutingPreserved";
  const ops = history.operations();
  for (const read of ops) {
    if (read.process !== reader || read.f !== "get" || read.type !== "ok" || read.key === undefined) continue;
    const writes = ops.filter((w) => w.key === read.key && w.f !== "get" && w.type !== "fail");
    const before = writes.filter((w) => w.type === "ok" && w.completeUs < read.invokeUs);
    const uncertain = writes.some((w) => !before.includes(w) && w.invokeUs <= read.completeUs);
    if (before.length === 0 || uncertain) continue;
    const last = before.reduce((a, b) => (b.completeUs > a.completeUs ? b : a));
    const expected = last.f === "cas" ? (last.input as unknown[])[1] : last.input;
    if (read.output !== expected) {
      return { kind: "violation", checker, message: `${read.key} routes to ${JSON.stringify(read.output)} after healing, but its last acknowledged assignment was ${JSON.stringify(expected)}` };
    }
  }
  return { kind: "ok", checker };
}
