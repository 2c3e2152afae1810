import { stableJson, type KvClientReply, type KvClientRequest, type KvOp, type KvSnapshotData, type KvWrite, type NodeId } from "@faultline/core";
import type { Ballot } from "./ballot.js";

/** The key-value operations clients ask for (core's shared service). */
export type { KvOp } from "@faultline/core";

/**
 * The command a slot carries.
 * - `noop`: a new leader fills a slot no acceptor of its phase-1 quorum reported (a gap), so later slots can apply;
 * - `kv`: a client's write; `requestId` + `op.f` is its idempotency key, and `atMs` the leader's clock when it
 *   was proposed, which the replicated dedup window uses (the same value on every replica);
 * - `read`: a client's read, ordered through the log (the default read path): answered when applied.
 */
export type PaxosCommand =
  | { kind: "noop" }
  | { kind: "kv"; requestId: string; op: KvWrite; atMs: number }
  | { kind: "read"; requestId: string; key: string };

/**
 * A pvalue (ballot, slot, command): a proposal of a command for a slot at a ballot. Immutable once built (shared
 * by reference between simulated nodes, as a deserialized copy would be). `digest` is the stable JSON of the
 * command, so checks compare commands cheaply.
 */
export interface PValue {
  readonly ballot: Ballot;
  readonly slot: number;
  readonly command: PaxosCommand;
  readonly digest: string;
}

/** Builds a pvalue with its digest. */
export function makePValue(ballot: Ballot, slot: number, command: PaxosCommand): PValue {
  return { ballot, slot, command, digest: commandDigest(command) };
}

/** The same command proposed again at another ballot (phase 1 adoption): the digest is kept. */
export function restamp(pvalue: PValue, ballot: Ballot): PValue {
  return { ballot, slot: pvalue.slot, command: pvalue.command, digest: pvalue.digest };
}

/** A stable string for comparing commands across nodes. */
export function commandDigest(command: PaxosCommand): string {
  return command.kind === "noop" ? "noop" : stableJson(command);
}

/** The replicated state machine up to and including `slot`. */
export interface PaxosSnapshot {
  readonly slot: number;
  readonly state: KvSnapshotData;
}

/** Phase 1a: a proposer asks for promises at `ballot`, and for what acceptors accepted from `fromSlot` on. */
export interface PrepareMessage {
  type: "prepare";
  ballot: Ballot;
  fromSlot: number;
}

/**
 * Phase 1b: a promise not to accept anything below `ballot`, with every pvalue accepted in slots from the
 * request's `fromSlot` on. `compactedThrough`: this acceptor has compacted (forgotten) its pvalues up to that
 * slot, every one of them decided; the new leader proposes only above it and learns those slots by catch-up.
 */
export interface PromiseMessage {
  type: "promise";
  ballot: Ballot;
  accepted: readonly PValue[];
  compactedThrough: number;
}

/** Phase 2a: accept `pvalue` (at its ballot). `decidedThrough`: the leader decided every slot up to it (learning, piggybacked). */
export interface AcceptMessage {
  type: "accept";
  pvalue: PValue;
  decidedThrough: number;
}

/** Phase 2b: the acceptor accepted the leader's pvalue for `slot` at `ballot`. */
export interface AcceptedMessage {
  type: "accepted";
  ballot: Ballot;
  slot: number;
}

/**
 * The negative answer to a prepare, accept or heartbeat at `ballot`: the acceptor promised `promised` (higher),
 * or it follows a live leader (`leader`) and will not promise anyone else yet.
 */
export interface PreemptedMessage {
  type: "preempted";
  ballot: Ballot;
  promised: Ballot;
  leader: NodeId | null;
}

/** The leader's heartbeat: failure detection, lease rounds (`seq`), and what it decided (learning). */
export interface HeartbeatMessage {
  type: "heartbeat";
  ballot: Ballot;
  decidedThrough: number;
  seq: number;
}

/** The answer to a heartbeat: the round it confirms and how far the follower applied. */
export interface HeartbeatAckMessage {
  type: "heartbeat_ack";
  ballot: Ballot;
  seq: number;
  appliedThrough: number;
}

/** A lagging replica asks for the decisions from `fromSlot` on (any node answers from what it decided). */
export interface CatchupMessage {
  type: "catchup";
  fromSlot: number;
}

/** Decisions re-sent to a lagging replica: consecutive slots, in order. */
export interface DecisionsMessage {
  type: "decisions";
  decisions: readonly PValue[];
}

/** The state machine up to `snapshot.slot`, for a replica that lags behind the sender's compaction, with the decisions after it. */
export interface SnapshotMessage {
  type: "snapshot";
  snapshot: PaxosSnapshot;
  decisions: readonly PValue[];
}

/** A client's request (core's key-value request). `requestId` is stable across retries. */
export type ClientRequest = KvClientRequest<KvOp>;

/**
 * A server's answer (core's key-value reply). Codes: LEADER_NOT_FOUND (with `leaderHint` when known),
 * CAS_FAILED, QUORUM_UNREACHABLE (too many requests pending). `unknown` marks an error after which the request
 * may still take effect (it was in a slot when the leader stepped down).
 */
export type ClientReply = KvClientReply;

/** Every message a Paxos node sends or receives. */
export type PaxosMessage =
  | PrepareMessage
  | PromiseMessage
  | AcceptMessage
  | AcceptedMessage
  | PreemptedMessage
  | HeartbeatMessage
  | HeartbeatAckMessage
  | CatchupMessage
  | DecisionsMessage
  | SnapshotMessage
  | ClientRequest
  | ClientReply;

/** The protocol messages between nodes (everything but the client's). */
export type PeerMessage = Exclude<PaxosMessage, ClientRequest | ClientReply>;
