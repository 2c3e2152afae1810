import { calculateQuorum, type NodeId } from "@faultline/core";
import type { RaftLog } from "../log/raft-log.js";
import type { ConfigOp, RaftSnapshot } from "../messages.js";

/**
 * Configuration arithmetic for single-server membership change (thesis §4.1). A configuration takes effect
 * as soon as its entry is in a log (committed or not), so the configuration in effect is always the latest
 * config entry in the log, else the snapshot's, else the bootstrap voters every node starts with.
 */

/** Index of the latest config entry at or below `index` that the log still holds (0 when none). */
export function configIndexAt(log: RaftLog, index: number): number {
  // bounded by the log length after the snapshot
  for (let i = Math.min(index, log.lastIndex()); i > log.snapshotIndex; i--) {
    if (log.entry(i)!.command.kind === "config") return i;
  }
  return 0;
}

/** The voters in effect at `index`. */
export function votersAt(log: RaftLog, snapshot: RaftSnapshot | undefined, bootstrap: readonly NodeId[], index: number): readonly NodeId[] {
  const at = configIndexAt(log, index);
  if (at > 0) {
    const c = log.entry(at)!.command;
    if (c.kind === "config") return c.voters;
  }
  return snapshot !== undefined ? snapshot.voters : bootstrap;
}

/** The voter set after `op`, or undefined when `op` changes nothing (the node is already in, or already out). */
export function applyConfigOp(voters: readonly NodeId[], op: Extract<ConfigOp, { f: "add_voter" | "remove_voter" }>): NodeId[] | undefined {
  const has = voters.includes(op.node);
  if (op.f === "add_voter") return has ? undefined : [...voters, op.node].sort();
  return has ? voters.filter((v) => v !== op.node) : undefined;
}

/** Whether the voters among `ids` form a majority of `voters` (an empty configuration needs one). */
export function isQuorum(voters: readonly NodeId[], ids: ReadonlySet<NodeId>): boolean {
  let n = 0;
  for (const v of voters) if (ids.has(v)) n++;
  return n >= quorumSize(voters);
}

/** Majority size of a configuration. */
export function quorumSize(voters: readonly NodeId[]): number {
  return voters.length === 0 ? 1 : calculateQuorum(voters.length);
}
