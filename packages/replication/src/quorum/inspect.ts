import type { NodeId } from "@faultline/core";
import type { StoredValue } from "./data-types.js";

/**
 * The read-only view of a quorum node for invariants, checks and tests. `values` is the node's own map (no
 * copy): a changed state is always a new object, so an observer can compare references to spot changes.
 */
export interface QuorumInspection {
  id: NodeId;
  /** Key -> the replicated state this node holds (as a replica of the key; hints are separate). */
  values: ReadonlyMap<string, StoredValue>;
  /** The highest dot counter this node has used. */
  counter: number;
  /** Hints this node keeps for others. */
  hints: number;
  /** Coordinator operations in flight. */
  inflight: number;
  /** The key's preference list (its N replicas). */
  preference(key: string): NodeId[];
}

/**
 * Events a quorum node logs (`ctx.log`):
 * - conflict_resolved { key, strategy: "last-writer-wins" | "siblings" | "crdt-merge", from, value } — a merge of
 *   two concurrent states (neither's context covered the other's), resolved by the data type.
 */
export const QUORUM_EVENTS = ["conflict_resolved"] as const;
