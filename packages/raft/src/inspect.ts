import type { NodeId } from "@faultline/core";

/** A Raft role. "precandidate" is the pre-vote phase (§9.6 of the thesis). */
export type RaftRole = "follower" | "precandidate" | "candidate" | "leader";

/** A log entry as invariants see it. `command` is opaque to the invariants (compared by `digest`). */
export interface InspectedEntry {
  index: number;
  term: number;
  /** A stable string for comparing commands across nodes (for example stableJson of the command). */
  digest: string;
}

/**
 * The read-only view of one Raft node that invariants, progress predicates and tests use. The protocol
 * implements `inspect()` on its behaviour; observers never reach into protocol internals otherwise.
 *
 * Indices are 1-based as in the paper. With log compaction, entries at or below `snapshotIndex` are not in
 * `entries`; `entries[0]` (if any) has index `snapshotIndex + 1`.
 */
export interface RaftInspection {
  id: NodeId;
  role: RaftRole;
  currentTerm: number;
  votedFor: NodeId | null;
  /** The leader this node believes in for `currentTerm`, if any. */
  leaderId: NodeId | null;
  /** Index and term of the last entry covered by the snapshot (0, 0 without a snapshot). */
  snapshotIndex: number;
  snapshotTerm: number;
  /**
   * Entries after the snapshot, in index order. The protocol shares its own array (no copy per look): it only
   * grows in place, and a truncation or compaction replaces it with a new array, so an array kept from an
   * earlier look still shows what it showed then, up to its length at that time.
   */
  entries: readonly InspectedEntry[];
  commitIndex: number;
  lastApplied: number;
  /** Voting members of the configuration this node currently uses. */
  voters: readonly NodeId[];
}

/** A behaviour that can be inspected as a Raft node. */
export interface InspectableRaftNode {
  inspect(): RaftInspection;
}

/**
 * Structured events the Raft node emits with `ctx.log(level, event, context)`. Invariants may observe them
 * incrementally through `view.stepEvents` (kind "log", `event` = the name, `data` = the context).
 * - election_started { term }
 * - leader_elected { term }
 * - log_replicated { term, follower, matchIndex }
 * - commit_applied { term, index, entryTerm, digest }  (one per applied entry, in index order)
 * - snapshot_installed { term, snapshotIndex, snapshotTerm }
 */
export const RAFT_EVENTS = ["election_started", "leader_elected", "log_replicated", "commit_applied", "snapshot_installed"] as const;
