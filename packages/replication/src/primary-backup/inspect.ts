import type { NodeId } from "@faultline/core";

/** A log entry as observers see it. */
export interface PbInspectedEntry {
  index: number;
  epoch: number;
  requestId: string;
  /** The primary's clock when it appended the entry. */
  atMs: number;
}

/**
 * The read-only view of one primary-backup replica that invariants, checks and tests use. `log` is the
 * replica's own array (index i at position i - 1), shared without a copy: it grows in place, and a truncation
 * replaces it with a new array.
 */
export interface PbInspection {
  id: NodeId;
  role: "primary" | "backup";
  /** The highest epoch this replica promised (its fencing token). */
  promised: number;
  /** The epoch it is primary of (null for a backup). */
  primaryOf: number | null;
  log: readonly PbInspectedEntry[];
  commitIndex: number;
  /** Entries applied to the key-value state machine. */
  applied: number;
  /** The state machine's data, for convergence checks. */
  data(): Array<[string, unknown]>;
}

/** A behaviour that can be inspected as a primary-backup replica. */
export interface InspectablePbReplica {
  inspect(): PbInspection;
}

/**
 * Events the replicas and the monitor log (`ctx.log`), which observers read from `view.stepEvents`:
 * - write_acknowledged { index, epoch, requestId } (a primary answered a client: the write is acknowledged)
 * - primary_promoted { epoch }, primary_stepped_down { epoch, newEpoch }
 * - failover_started { epoch }, failover_promoting { epoch, chosen, lastIndex }
 */
export const PB_EVENTS = ["write_acknowledged", "primary_promoted", "primary_stepped_down", "failover_started", "failover_promoting"] as const;
