import type { NodeBehavior, NodeContext, NodeId } from "@faultline/core";

/**
 * A tiny leader election, Raft's election half without the log: terms, one vote per term, a majority
 * elects a leader, the leader's heartbeats keep followers from starting elections.
 *
 * The correct rule (Raft §5.2, Figure 2): `currentTerm` and `votedFor` are durable, and written and
 * synced before a vote is granted. The planted bug `forgetVote` writes them without syncing (the
 * vote path skips `sync()`), so a crash after voting wipes the vote, and often the term too: the
 * restarted node no longer knows it voted in that term, votes again for a second candidate, and two
 * leaders can win the same term.
 */

/** Messages of the election protocol. */
export type ElectionMsg =
  | { type: "request-vote"; term: number }
  | { type: "vote"; term: number; granted: boolean }
  | { type: "heartbeat"; term: number };

/** Planted bugs of the example, with what each one breaks. */
export const ELECTION_BUGS = {
  forgetVote: "currentTerm and votedFor are written without sync before a vote is granted: a crash forgets the vote, the node votes twice in one term, and two leaders can win it",
} as const;
export type ElectionBug = keyof typeof ELECTION_BUGS;

/** Timing of the protocol, in local-clock milliseconds. */
export interface ElectionTiming {
  /** Election timeouts are drawn uniformly from [min, max) so that split votes resolve. */
  electionTimeoutMsMin: number;
  electionTimeoutMsMax: number;
  /** A leader's heartbeat period; well below the election timeout. */
  heartbeatMs: number;
  /** A candidate re-sends its vote requests at this period while its election lasts (lost messages). */
  voteRetryMs: number;
}

export const DEFAULT_TIMING: Readonly<ElectionTiming> = Object.freeze({
  electionTimeoutMsMin: 150,
  electionTimeoutMsMax: 300,
  heartbeatMs: 50,
  voteRetryMs: 40,
});

/** What the invariant observer may read of a node. */
export interface ElectionInspection {
  role: "follower" | "candidate" | "leader";
  term: number;
  votedFor: NodeId | undefined;
}

const TERM_KEY = "currentTerm";
const VOTE_KEY = "votedFor";

/** One election node. Volatile state lives in this object; `term` and `votedFor` are recovered in onStart. */
export class ElectionNode implements NodeBehavior<ElectionMsg> {
  private role: ElectionInspection["role"] = "follower";
  private term = 0;
  private votedFor: NodeId | undefined;
  private readonly votes = new Set<NodeId>();

  constructor(
    private readonly bugs: ReadonlySet<ElectionBug> = new Set(),
    private readonly timing: ElectionTiming = DEFAULT_TIMING,
  ) {}

  /** Read-only inspection for invariants. */
  inspect(): ElectionInspection {
    return { role: this.role, term: this.term, votedFor: this.votedFor };
  }

  onStart(ctx: NodeContext<ElectionMsg>): void {
    this.term = ctx.storage.get<number>(TERM_KEY) ?? 0;
    this.votedFor = ctx.storage.get<NodeId>(VOTE_KEY) ?? undefined;
    this.resetElectionTimer(ctx);
  }

  onMessage(ctx: NodeContext<ElectionMsg>, from: NodeId, msg: ElectionMsg): void {
    if (msg.term > this.term) this.becomeFollower(ctx, msg.term);
    switch (msg.type) {
      case "request-vote":
        return this.handleRequestVote(ctx, from, msg.term);
      case "vote":
        return this.handleVote(ctx, from, msg);
      case "heartbeat":
        return this.handleHeartbeat(ctx, msg.term);
      default: {
        const never: never = msg;
        throw new Error(`unknown message ${JSON.stringify(never)}`);
      }
    }
  }

  onTimer(ctx: NodeContext<ElectionMsg>, name: string): void {
    if (name === "election" && this.role !== "leader") this.becomeCandidate(ctx);
    else if (name === "vote-retry" && this.role === "candidate") this.bcastRequestVote(ctx);
    else if (name === "heartbeat" && this.role === "leader") this.bcastHeartbeat(ctx);
  }

  private handleRequestVote(ctx: NodeContext<ElectionMsg>, from: NodeId, term: number): void {
    const grant = term === this.term && (this.votedFor === undefined || this.votedFor === from);
    if (grant && this.votedFor === undefined) {
      this.votedFor = from;
      ctx.storage.put(VOTE_KEY, from);
      // the fix: the vote is durable before anyone learns of it
      if (!this.bugs.has("forgetVote")) ctx.storage.sync();
    }
    if (grant) this.resetElectionTimer(ctx);
    ctx.send(from, { type: "vote", term: this.term, granted: grant });
  }

  private handleVote(ctx: NodeContext<ElectionMsg>, from: NodeId, msg: { term: number; granted: boolean }): void {
    if (this.role !== "candidate" || msg.term !== this.term || !msg.granted) return;
    this.votes.add(from);
    if (this.votes.size >= Math.floor((ctx.peers.length + 1) / 2) + 1) this.becomeLeader(ctx);
  }

  private handleHeartbeat(ctx: NodeContext<ElectionMsg>, term: number): void {
    if (term < this.term) return;
    // a candidate that hears the leader of its own term concedes
    if (this.role === "candidate") this.role = "follower";
    this.resetElectionTimer(ctx);
  }

  private becomeFollower(ctx: NodeContext<ElectionMsg>, term: number): void {
    this.role = "follower";
    this.term = term;
    this.votedFor = undefined;
    ctx.storage.put(TERM_KEY, term);
    ctx.storage.delete(VOTE_KEY);
    if (!this.bugs.has("forgetVote")) ctx.storage.sync();
    ctx.cancelTimer("heartbeat");
    ctx.cancelTimer("vote-retry");
    this.resetElectionTimer(ctx);
  }

  private becomeCandidate(ctx: NodeContext<ElectionMsg>): void {
    this.role = "candidate";
    this.term++;
    this.votedFor = ctx.id;
    this.votes.clear();
    this.votes.add(ctx.id);
    ctx.storage.put(TERM_KEY, this.term);
    ctx.storage.put(VOTE_KEY, ctx.id);
    ctx.storage.sync();
    ctx.log("info", "election_started", { term: this.term });
    this.resetElectionTimer(ctx);
    if (this.votes.size >= Math.floor((ctx.peers.length + 1) / 2) + 1) return this.becomeLeader(ctx);
    this.bcastRequestVote(ctx);
  }

  private becomeLeader(ctx: NodeContext<ElectionMsg>): void {
    this.role = "leader";
    ctx.cancelTimer("election");
    ctx.cancelTimer("vote-retry");
    ctx.log("info", "leader_elected", { term: this.term });
    this.bcastHeartbeat(ctx);
  }

  private bcastRequestVote(ctx: NodeContext<ElectionMsg>): void {
    for (const peer of ctx.peers) if (!this.votes.has(peer)) ctx.send(peer, { type: "request-vote", term: this.term });
    ctx.setTimer("vote-retry", this.timing.voteRetryMs);
  }

  private bcastHeartbeat(ctx: NodeContext<ElectionMsg>): void {
    ctx.broadcast({ type: "heartbeat", term: this.term });
    ctx.setTimer("heartbeat", this.timing.heartbeatMs);
  }

  private resetElectionTimer(ctx: NodeContext<ElectionMsg>): void {
    const { electionTimeoutMsMin: min, electionTimeoutMsMax: max } = this.timing;
    ctx.setTimer("election", min + ctx.random() * (max - min));
  }
}
