import type { NodeId } from "@faultline/core";
import type { Dot, VersionVector } from "../conflict/version-vector.js";
import type { QuorumOp, StoredValue } from "./data-types.js";

/** A client's request to any node (a node that does not replicate the key redirects to one that does). */
export interface QuorumClientRequest {
  type: "client_request";
  requestId: string;
  attempt: number;
  op: QuorumOp;
}

/** A coordinator's answer: a read's value and causal context, a write's dot; or an error code. */
export type QuorumClientReply =
  | { type: "client_reply"; requestId: string; attempt: number; ok: true; value: unknown; context?: VersionVector; dot?: Dot }
  | { type: "client_reply"; requestId: string; attempt: number; ok: false; code: string; leaderHint?: NodeId; unknown?: boolean };

/** Coordinator -> replica: merge this state of `key` and acknowledge once it is on disk. */
export interface ReplicaWrite { type: "q_write"; opId: string; key: string; state: StoredValue }
export interface ReplicaWriteAck { type: "q_write_ack"; opId: string }
/** Coordinator -> replica: your state of `key`. */
export interface ReplicaRead { type: "q_read"; opId: string; key: string }
export interface ReplicaReadReply { type: "q_read_reply"; opId: string; state: StoredValue | null }
/** Read repair: merge this (newer) state. */
export interface ReadRepair { type: "q_repair"; key: string; state: StoredValue }
/** Hinted handoff: a fallback keeps `state` for `intended` until it can hand it over. */
export interface Hint { type: "q_hint"; key: string; intended: NodeId; state: StoredValue }
export interface HintDeliver { type: "q_hint_deliver"; hintId: string; key: string; state: StoredValue }
export interface HintDelivered { type: "q_hint_delivered"; hintId: string }
/** Anti-entropy, round 1: the digests of the keys both sides replicate. */
export interface AeDigest { type: "q_ae_digest"; digests: Array<[string, number]> }
/** Round 2 (and 3): the states that differ, and the keys the other side should send back. */
export interface AeStates { type: "q_ae_states"; states: Array<[string, StoredValue]>; want: string[] }

/** Every message of the quorum store, clients' included. */
export type QuorumMessage =
  | QuorumClientRequest | QuorumClientReply | ReplicaWrite | ReplicaWriteAck | ReplicaRead | ReplicaReadReply | ReadRepair
  | Hint | HintDeliver | HintDelivered | AeDigest | AeStates;
