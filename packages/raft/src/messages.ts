import type { KvClientReply, KvClientRequest, KvOp, KvWrite, NodeId } from "@faultline/core";
import type { InspectedEntry } from "./inspect.js";

/** A key-value operation of the shared replicated state machine (core's kit). `get` is served by ReadIndex, never logged. */
export type { KvOp } from "@faultline/core";

/**
 * A membership change: add or remove one voter (single-server change, thesis §4.1), or hand leadership to
 * another voter (leadership transfer, thesis §3.10).
 */
export type ConfigOp = { f: "add_voter"; node: NodeId } | { f: "remove_voter"; node: NodeId } | { f: "transfer_leader"; node: NodeId };

/** Any operation a client may ask a leader for. */
export type ClientOp = KvOp | ConfigOp;

/** The command carried by a log entry. */
export type RaftCommand =
  /** Appended by every new leader so it can commit an entry of its own term (§5.4.2, and ReadIndex). */
  | { kind: "noop" }
  /** The full voter set from this entry on; takes effect as soon as it is in a log (thesis §4.1). */
  | { kind: "config"; voters: NodeId[] }
  /** A client's write; `requestId` + `op.f` is its idempotency key. */
  | { kind: "kv"; requestId: string; op: KvWrite };

/**
 * A log entry. Entries are immutable once built (they are shared by reference between simulated nodes,
 * the way a real node would share a deserialized copy). `digest` is the stable JSON of the command, so
 * invariants compare commands cheaply; `atMs` is the proposing leader's clock, which the dedup window uses.
 */
export interface LogEntry extends InspectedEntry {
  readonly index: number;
  readonly term: number;
  readonly digest: string;
  readonly command: RaftCommand;
  readonly atMs: number;
}

/** A snapshot of the state machine up to and including `index`. */
export interface RaftSnapshot {
  readonly index: number;
  readonly term: number;
  /** The voter configuration in effect at `index`. */
  readonly voters: readonly NodeId[];
  /** The state machine's serialized state. */
  readonly state: unknown;
}

/** RequestVote, or its pre-vote form (`pre`: asks "would you vote for me at `term`?" without changing terms). */
export interface VoteRequest {
  type: "vote";
  pre: boolean;
  /** Sent on the leader's request (TimeoutNow): voters answer even while they still hear from that leader. */
  transfer?: boolean;
  term: number;
  lastLogIndex: number;
  lastLogTerm: number;
}

/** The answer to a {@link VoteRequest}. A granted pre-vote carries the asked-for term. */
export interface VoteResponse {
  type: "vote_resp";
  pre: boolean;
  term: number;
  granted: boolean;
}

/** AppendEntries: the consistency check on (prevLogIndex, prevLogTerm), then entries to append. */
export interface AppendRequest {
  type: "append";
  term: number;
  prevLogIndex: number;
  prevLogTerm: number;
  entries: readonly LogEntry[];
  leaderCommit: number;
}

/**
 * The answer to an {@link AppendRequest} or {@link SnapshotRequest}. On success `matchIndex` is the last
 * index known to match the leader. On rejection the follower gives a hint for fast backtracking:
 * `conflictTerm` (the term of its entry at prevLogIndex, or 0 when it has none there) and `conflictIndex`
 * (the first index it holds of that term, or its last index + 1).
 */
export interface AppendResponse {
  type: "append_resp";
  term: number;
  success: boolean;
  /** The request's prevLogIndex (or the snapshot's index), so the leader can ignore stale rejections. */
  prevLogIndex: number;
  matchIndex: number;
  conflictTerm: number;
  conflictIndex: number;
}

/** A leader's heartbeat (etcd style): commit is capped at what the follower is known to hold; `readSeq` confirms ReadIndex rounds. */
export interface HeartbeatRequest {
  type: "heartbeat";
  term: number;
  commit: number;
  readSeq: number;
}

/** The answer to a heartbeat, echoing `readSeq`. */
export interface HeartbeatResponse {
  type: "heartbeat_resp";
  term: number;
  readSeq: number;
}

/** InstallSnapshot, in one message (snapshots here are small enough not to need chunking). */
export interface SnapshotRequest {
  type: "snapshot";
  term: number;
  snapshot: RaftSnapshot;
}

/** Leadership transfer: the leader tells an up-to-date voter to start an election at once (thesis §3.10). */
export interface TimeoutNowRequest {
  type: "timeout_now";
  term: number;
}

/**
 * A client's request: core's key-value request, with Raft's membership changes among its operations.
 * `requestId` is stable across retries: with `op.f` it forms the idempotency key.
 */
export type ClientRequest = KvClientRequest<ClientOp>;

/**
 * A server's answer to a client (core's key-value reply). Raft's codes: LEADER_NOT_FOUND (with `leaderHint`
 * when known), CAS_FAILED (the compare failed: the cas certainly did not take effect), QUORUM_UNREACHABLE,
 * CONFIG_CHANGE_IN_PROGRESS (a membership change waits for the previous one, and for the leader's first commit
 * in its term), PERMANENT_FAILURE (a membership change that names no cluster node or would leave no voter).
 * `unknown` marks an error after which the request may still take effect.
 */
export type ClientReply = KvClientReply;

/** Every message a Raft node sends or receives. */
export type RaftMessage =
  | VoteRequest
  | VoteResponse
  | AppendRequest
  | AppendResponse
  | HeartbeatRequest
  | HeartbeatResponse
  | SnapshotRequest
  | TimeoutNowRequest
  | ClientRequest
  | ClientReply;
