import type { NodeId } from "@faultline/core";
import type { Ballot } from "../ballot.js";
import type { PValue } from "../messages.js";

/** A slot the leader proposed at its ballot and has not decided yet. */
export interface Proposal {
  readonly pvalue: PValue;
  /** Acceptors that accepted it at this ballot (the leader's own acceptor first). */
  readonly acks: Set<NodeId>;
  /** Whether its phase 2a went out (slots past the window wait). */
  sent: boolean;
  /** When phase 2a last went out, to re-send it to silent acceptors. */
  sentAtMs: number;
  readonly proposedAtMs: number;
  /** For the latency histogram: put, cas, append, get or noop. */
  readonly operationType: string;
}

/** A client waiting for its command's slot to be applied. */
export interface WaitingClient {
  client: NodeId;
  attempt: number;
  /** Whether its command is a read (its outcome is certain when the leader steps down: not applied). */
  read: boolean;
}

/** What the leader knows of one follower. */
export interface FollowerState {
  appliedThrough: number;
  /** The newest heartbeat round it acknowledged. */
  ackSeq: number;
}

/** The most heartbeat rounds whose send times a leader keeps (lease bookkeeping): a bound. */
const MAX_ROUNDS = 64;
/** The most decision times a leader keeps for the replication-lag gauge: a bound. */
const MAX_DECISION_TIMES = 4096;

/**
 * The state of a leader: its ballot, the slots in phase 2 and the window over them, the clients waiting, and
 * what it knows of its followers (check-quorum, the lease, replication lag). Dropped when it steps down.
 */
export class LeaderState {
  /** Undecided proposals by slot (every slot from startSlot to nextSlot - 1 not yet decided). */
  readonly proposals = new Map<number, Proposal>();
  /** Phase 2a went out for every slot below this one. */
  sendCursor: number;
  /** Proposals sent and not decided: at most the window. */
  inflight = 0;
  /** The slot of the pending proposal of each waiting write or read, by request id (retries join it). */
  readonly slotOfRequest = new Map<string, number>();
  readonly clients = new Map<string, WaitingClient>();
  readonly followers = new Map<NodeId, FollowerState>();
  /** Peers heard from at this ballot since the last check-quorum round. */
  readonly heard = new Set<NodeId>();
  checkTicks = 0;
  heartbeatSeq = 0;
  private readonly roundSentAtMs = new Map<number, number>();
  /** Local reads are allowed until this local time (leases only). */
  leaseUntilMs = -Infinity;
  private readonly decidedAtMs = new Map<number, number>();

  constructor(
    readonly ballot: Ballot,
    /** The first slot this leader proposes in. */
    readonly startSlot: number,
    /** The next free slot. */
    public nextSlot: number,
    /** The last slot phase 1 adopted: lease reads wait until it is applied (earlier leaders' writes are in). */
    readonly readyThrough: number,
    peers: readonly NodeId[],
  ) {
    this.sendCursor = startSlot;
    for (const p of peers) this.followers.set(p, { appliedThrough: 0, ackSeq: 0 });
  }

  /** Starts a heartbeat round at local time `nowMs`; returns its sequence number. */
  startRound(nowMs: number): number {
    const seq = ++this.heartbeatSeq;
    this.roundSentAtMs.set(seq, nowMs);
    if (this.roundSentAtMs.size > MAX_ROUNDS) this.roundSentAtMs.delete(seq - MAX_ROUNDS);
    return seq;
  }

  /** When round `seq` went out, if it is still remembered. */
  roundSentAt(seq: number): number | undefined {
    return this.roundSentAtMs.get(seq);
  }

  noteDecided(slot: number, nowMs: number): void {
    this.decidedAtMs.set(slot, nowMs);
    if (this.decidedAtMs.size > MAX_DECISION_TIMES) this.decidedAtMs.delete(this.decidedAtMs.keys().next().value as number);
  }

  /** When slot `slot` was decided here, if remembered. */
  decidedAt(slot: number): number | undefined {
    return this.decidedAtMs.get(slot);
  }
}
