import type { NodeId } from "@faultline/core";
import type { Ballot } from "./ballot.js";

/** A Multi-Paxos node's role as proposer: following a leader (or none), running phase 1, or leading. */
export type PaxosRole = "follower" | "candidate" | "leader";

/** A pvalue as observers see it: the command is opaque, compared by `digest`. */
export interface InspectedPValue {
  readonly ballot: Ballot;
  readonly slot: number;
  readonly digest: string;
}

/**
 * The read-only view of one Multi-Paxos node that invariants, progress predicates and tests use. The node
 * implements `inspect()`; observers never reach into its internals otherwise. Each acceptance
 * is also announced as a `pvalue_accepted` event, so observers read only what is new, even from a node that
 * crashed at the end of the step.
 */
export interface PaxosInspection {
  id: NodeId;
  role: PaxosRole;
  /** The acceptor's promise: it accepts nothing below this ballot. */
  promised: Ballot;
  /** The ballot this node leads or campaigns with, or the one of the leader it follows (null: none). */
  ballot: Ballot | null;
  /** The leader this node follows (itself when it leads), if any. */
  leaderId: NodeId | null;
  /** The acceptor's current pvalue per slot (slots above `compactedThrough`). Shared, not copied: read only. */
  accepted: ReadonlyMap<number, InspectedPValue>;
  /** Slots up to this one are compacted into the snapshot (decided and applied); 0 without a snapshot. */
  compactedThrough: number;
  /** Every slot up to this one is applied, in order. */
  appliedThrough: number;
  /** Leader only: slots proposed and not yet decided (0 otherwise). */
  inflight: number;
}

/** A behaviour that can be inspected as a Multi-Paxos node. */
export interface InspectablePaxosNode {
  inspect(): PaxosInspection;
}

/**
 * Structured events the node emits with `ctx.log(level, event, context)` (observers read them through
 * `view.stepEvents`, kind "log"). `term` is the ballot round, for the trace's log schema.
 * - election_started { term, ballot, fromSlot }
 * - leader_elected { term, ballot, startSlot, adopted, nextSlot }
 * - preempted { term, ballot, by }                    (a proposer or leader lost its ballot)
 * - check_quorum_lost { term, ballot }
 * - pvalue_accepted { term, slot, ballot: Ballot, digest } (debug: one per acceptance, after the pvalue is synced)
 * - commit_applied { term, slot, ballot, digest }      (one per applied slot, in slot order)
 * - snapshot_installed { term, slot }                 (state up to `slot` replaced by a snapshot)
 */
export const PAXOS_EVENTS = ["election_started", "leader_elected", "preempted", "check_quorum_lost", "pvalue_accepted", "commit_applied", "snapshot_installed"] as const;
