import type { KvOp, KvSnapshotData, NodeId } from "@faultline/core";

/**
 * PBFT's wire messages (Castro & Liskov, OSDI'99), a discriminated union on `type`.
 *
 * Authentication is modelled, not computed: every message a replica may have to show to a third party (a
 * pre-prepare, a prepare, a commit, a checkpoint, a view change, a client's request) carries `sig`, a MAC of
 * its fields under its sender's key (auth.ts). A message that comes straight from its sender is also checked
 * against the network's true sender (`from`): `replica` (or `client`) must name it. A byzantine replica can
 * therefore only send messages of its own: it cannot forge another replica's votes or certificates.
 */
export type PbftMessage =
  | RequestMsg
  | ReplyMsg
  | PrePrepare
  | Prepare
  | Commit
  | CheckpointMsg
  | ViewChange
  | NewView
  | Status
  | CommitCertMsg
  | StateMsg;

/** A digest: a request's (`r...`), the null request's ({@link NULL_DIGEST}) or a service state's (`s...`). */
export type Digest = string;

/** The digest of the null request, which new primaries use to fill gaps in a new view's sequence numbers. */
export const NULL_DIGEST: Digest = "null";

/**
 * <REQUEST, o, t, c>: a client's operation with its timestamp (the client's operation counter: the `n` of a
 * WorkloadClient request id `c:n`). Replicas execute each (client, timestamp) at most once. `attempt` tells
 * retries apart for the client only; it is not signed. `noReply` marks a request submitted from a test
 * through the cluster API, which has no client process to answer.
 */
export interface RequestMsg {
  type: "request";
  requestId: string;
  attempt: number;
  client: NodeId;
  timestamp: number;
  op: KvOp;
  noReply?: boolean;
  sig: string;
}

/** What executing a request produced: a value, or a failed compare (the cas did not take effect). */
export type ReplyResult = { ok: true; value: unknown } | { ok: false; code: "CAS_FAILED"; value: unknown };

/** <REPLY, v, t, c, i, r>: one replica's result for a request. The client trusts f+1 matching ones. */
export interface ReplyMsg {
  type: "reply";
  view: number;
  requestId: string;
  timestamp: number;
  replica: NodeId;
  result: ReplyResult;
}

/** <PRE-PREPARE, v, n, d>: the primary of `view` assigns `seq` to the request (null for a null request). */
export interface PrePrepare {
  type: "pre-prepare";
  view: number;
  seq: number;
  digest: Digest;
  request: RequestMsg | null;
  replica: NodeId;
  sig: string;
}

/** <PREPARE, v, n, d, i>: a backup accepted the pre-prepare of (v, n, d). */
export interface Prepare {
  type: "prepare";
  view: number;
  seq: number;
  digest: Digest;
  replica: NodeId;
  sig: string;
}

/** <COMMIT, v, n, d, i>: the replica has prepared (v, n, d). */
export interface Commit {
  type: "commit";
  view: number;
  seq: number;
  digest: Digest;
  replica: NodeId;
  sig: string;
}

/** <CHECKPOINT, n, d, i>: the replica's service state after executing `seq` has digest `digest`. */
export interface CheckpointMsg {
  type: "checkpoint";
  seq: number;
  digest: Digest;
  replica: NodeId;
  sig: string;
}

/** A stable checkpoint: its sequence number, state digest and the proof (a quorum of matching checkpoints). */
export interface StableCheckpoint {
  seq: number;
  digest: Digest;
  /** Empty for the initial state (seq 0), which needs no proof. */
  proof: CheckpointMsg[];
}

/** prepared(m, v, n): the pre-prepare and 2f matching prepares from distinct backups. */
export interface PreparedCert {
  prePrepare: PrePrepare;
  prepares: Prepare[];
}

/** <VIEW-CHANGE, v+1, n, C, P, i>: the sender's stable checkpoint with its proof, and its prepared certificates above it. */
export interface ViewChange {
  type: "view-change";
  /** The view the sender moves to. */
  view: number;
  stable: StableCheckpoint;
  prepared: PreparedCert[];
  replica: NodeId;
  sig: string;
}

/** <NEW-VIEW, v+1, V, O>: the new primary's proof (a quorum of view changes) and its pre-prepares for the new view. */
export interface NewView {
  type: "new-view";
  view: number;
  viewChanges: ViewChange[];
  prePrepares: PrePrepare[];
  replica: NodeId;
  sig: string;
}

/**
 * A replica that is stuck (nothing executed for a while with work pending, or in a view change) says where it
 * is; the others answer with what it misses: the new-view message of their view, commit certificates, or
 * their stable checkpoint's state. (Castro's implementation retransmits the same way, on status messages.)
 */
export interface Status {
  type: "status";
  view: number;
  active: boolean;
  lastExecuted: number;
  lowWatermark: number;
  replica: NodeId;
}

/** A committed certificate: the pre-prepare and a quorum of matching commits; it proves (v, n, d) committed. */
export interface CommitCertMsg {
  type: "commit-cert";
  prePrepare: PrePrepare;
  commits: Commit[];
  replica: NodeId;
}

/** State transfer: the sender's stable checkpoint (with its proof) and the service state it names. */
export interface StateMsg {
  type: "state";
  stable: StableCheckpoint;
  state: ServiceSnapshot;
  replica: NodeId;
}

/** The replicated service's state as plain JSON: the key-value store and the last reply to each client. */
export interface ServiceSnapshot {
  kv: KvSnapshotData;
  /** [client, timestamp of its last executed request, that request's result], by client. */
  clients: Array<[NodeId, number, ReplyResult]>;
}

/** What a replica executes at one sequence number: a client's request, or a null request. */
export type PbftCommand = { kind: "request"; requestId: string; client: NodeId; timestamp: number; op: KvOp } | { kind: "null" };
