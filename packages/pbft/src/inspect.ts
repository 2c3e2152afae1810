import type { NodeId } from "@faultline/core";
import type { Digest } from "./messages.js";

/**
 * The read-only view of one PBFT replica that invariants, progress predicates and tests use; the replica
 * implements `inspect()`, and observers never reach into it otherwise.
 */
export interface PbftInspection {
  id: NodeId;
  /** The byzantine behaviour it was switched to (a `byzantine` fault), or undefined while it is correct. */
  byzantine: string | undefined;
  view: number;
  /** False while it waits for the NEW-VIEW of `view` (it sent a VIEW-CHANGE for it). */
  active: boolean;
  /** The primary of `view`. */
  primary: NodeId;
  /** h: the sequence number of its last stable checkpoint. */
  lowWatermark: number;
  /** H = h + L. */
  highWatermark: number;
  stableDigest: Digest;
  /** The last sequence number it executed. */
  lastExecuted: number;
  /** Client requests it waits to see executed. */
  pendingRequests: number;
}

/** A behaviour that can be inspected as a PBFT replica. */
export interface InspectablePbftReplica {
  inspect(): PbftInspection;
  /** Whether the replica is byzantine (cheap: what the observers ask after every step). */
  readonly isByzantine: boolean;
}

/**
 * Structured events a PBFT replica emits with `ctx.log(level, event, context)`; the invariants observe them
 * through `view.stepEvents` (kind "log", `event` = the name, `data` = the context).
 * - committed { view, seq, digest, requestId }: committed-local held (or a committed certificate arrived), once per number
 * - executed { seq, view, digest, requestId, client, timestamp, result, fresh }: in sequence order; a null request has requestId null
 * - checkpoint_taken { seq, digest }: the state digest after executing `seq`
 * - checkpoint_stable { seq, digest }
 * - state_transferred { seq, digest }: the replica installed a stable checkpoint's state
 * - view_change_started { view }
 * - new_view_installed { view, minSeq, maxSeq, seqs, nulls }: `seqs` the sequence numbers of O
 * - new_view_rejected { view, reason }
 * - byzantine { behavior }
 */
export const PBFT_EVENTS = [
  "committed", "executed", "checkpoint_taken", "checkpoint_stable", "state_transferred", "view_change_started", "new_view_installed", "new_view_rejected", "byzantine",
] as const;
