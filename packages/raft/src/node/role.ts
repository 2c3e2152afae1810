import type { NodeId } from "@faultline/core";
import type { Progress } from "./progress.js";
import type { ReadIndexQueue } from "./read-index.js";

/** A proposal this leader is waiting to commit and apply, to answer its client and time its latency. */
export interface Proposal {
  /** Client to answer (none for the leader's own no-op and config entries it proposed itself). */
  client: NodeId | null;
  requestId: string;
  attempt: number;
  /** Operation type, the label of consensus_latency_seconds. */
  operationType: string;
  proposedAtMs: number;
  term: number;
}

/** Everything only a leader keeps. Discarded when it steps down. */
export interface LeaderState {
  progress: Map<NodeId, Progress>;
  reads: ReadIndexQueue;
  /** Index -> proposal, for entries this leader appended in its term. */
  proposals: Map<number, Proposal>;
  /** requestId -> index of its entry still uncommitted, so a retry waits for it instead of appending again. */
  byRequest: Map<string, number>;
  /** Whether an entry of this term is committed (§5.4.2; ReadIndex and config changes wait for it). */
  committedInTerm: boolean;
  /** Heartbeat ticks since the last check-quorum round. */
  ticks: number;
  /** Local time until which a lease read is safe (lease reads only). */
  leaseUntilMs: number;
  /** A leadership transfer in progress: its target and the local time it is given up. */
  transfer: { to: NodeId; untilMs: number } | null;
}

/**
 * A node's role, as a discriminated union: the role-specific state lives in the variant, so a follower
 * cannot touch a leader's progress by accident. Switches over `kind` end in a `never` check.
 */
export type Role =
  | { kind: "follower" }
  | { kind: "precandidate"; granted: Set<NodeId>; rejected: Set<NodeId> }
  | { kind: "candidate"; granted: Set<NodeId>; rejected: Set<NodeId> }
  | { kind: "leader"; state: LeaderState };

/** Fails to compile when a switch over a union misses a case. */
export function unreachable(x: never): never {
  throw new Error(`unreachable: ${JSON.stringify(x)}`);
}
