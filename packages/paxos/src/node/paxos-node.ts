import { majorityIndex, type KvWrite, type NodeBehavior, type NodeContext, type NodeId, type ProposeResult } from "@faultline/core";
import { compareBallots, sameBallot, type Ballot } from "../ballot.js";
import { resolvePaxosConfig, type PaxosConfig, type ResolvedPaxosConfig } from "../config.js";
import {
  makePValue, type AcceptedMessage, type AcceptMessage, type ClientRequest, type DecisionsMessage, type HeartbeatAckMessage,
  type HeartbeatMessage, type PaxosCommand, type PaxosMessage, type PreemptedMessage, type PrepareMessage, type PromiseMessage,
  type PValue, type SnapshotMessage,
} from "../messages.js";
import { backoffMs } from "./backoff.js";
import { LeaderState, type Proposal } from "./leader.js";
import { PaxosCore, type ApplyResult, type PaxosNodeHooks } from "./paxos-core.js";
import { adopt, type PromiseReport } from "./phase1.js";
import { unreachable, type Role } from "./role.js";

const TIMER_ELECTION = "election";
const TIMER_HEARTBEAT = "heartbeat";
/** Most slots one pass of piggybacked learning walks: a bound. */
const MAX_LEARN_SLOTS = 100_000;

/**
 * A Multi-Paxos node (Lamport, "Paxos Made Simple"; van Renesse & Altinbuken, "Paxos Made Moderately Complex";
 * Chandra et al., "Paxos Made Live"): proposer, acceptor and replica in one process, running a replicated
 * key-value store, as a Faultline {@link NodeBehavior}.
 *
 * - Ballots (round, node id) are unique and totally ordered. Acceptors persist and sync their promise and their
 *   accepted pvalues before answering.
 * - A distinguished leader runs phase 1 once for every open slot, adopts per slot the value with the highest
 *   ballot reported, fills gaps with no-ops, then runs phase 2 per slot, pipelined within a window. Followers
 *   learn decisions from the leader's `decidedThrough` (piggybacked on phase 2a and heartbeats: a slot whose
 *   accepted pvalue is at the leader's ballot), and catch up on the rest (decisions re-sent, or a snapshot).
 * - Heartbeats detect a failed leader. A preempted proposer backs off (randomised, growing) and follows the
 *   winner. Followers that hear from a live leader promise nobody else for the minimum election timeout.
 * - Reads go through the log by default; with `leaseReads` a leader answers them locally under a lease.
 *
 * Naming follows etcd-raft: `become*` switches role, `maybe*` acts when a condition holds, `bcast*` sends to
 * every peer, `handle*` processes one message. Every effect goes through the context.
 *
 * Events: PAXOS_EVENTS (inspect.ts). Metrics: `leader_elections_total{result}` (success: phase 1 won; timeout:
 * the candidate's timer ran out; split_vote: it was preempted), `consensus_latency_seconds{operation_type}`
 * (leader clock, proposal to decision), `replication_lag_seconds{follower_id}` (leader clock: the age of the
 * oldest decision the follower has not applied; 0 when caught up).
 */
export class PaxosNode extends PaxosCore implements NodeBehavior<PaxosMessage> {
  private lastLeaderContactMs = -Infinity;
  /** Leases only: after a restart the node promises nobody until this local time (it forgot its leader's lease). */
  private promiseGuardUntilMs = -Infinity;
  /** The highest ballot round this node has heard of: its next ballot goes above it. */
  private maxSeenRound = 0;
  /** Preemptions in a row without hearing from a leader: the backoff exponent. */
  private preemptions = 0;
  private catchup: { target: number; from: NodeId | null; askedAtMs: number } = { target: 0, from: null, askedAtMs: -Infinity };
  private lastPushAtMs = -Infinity;
  /** Planted bug countStaleReplies only: the latest promise each acceptor gave any of our ballots. */
  private readonly earlierPromises = new Map<NodeId, PromiseReport>();

  constructor(config: PaxosConfig | ResolvedPaxosConfig = {}, hooks: PaxosNodeHooks = {}) {
    super(config, hooks);
  }

  // ---------------------------------------------------------------- NodeBehavior

  onStart(ctx: NodeContext<PaxosMessage>): void {
    this.recover(ctx);
    this.maxSeenRound = this.acceptor.promised.round;
    this.becomeFollower(null);
    if (this.config.leaseReads) this.promiseGuardUntilMs = ctx.now() + this.config.electionTimeoutMsMin;
  }

  onMessage(ctx: NodeContext<PaxosMessage>, from: NodeId, msg: PaxosMessage): void {
    this.ctx = ctx;
    switch (msg.type) {
      case "prepare": return this.handlePrepare(from, msg);
      case "promise": return this.handlePromise(from, msg);
      case "accept": return this.handleAccept(from, msg);
      case "accepted": return this.handleAccepted(from, msg);
      case "preempted": return this.handlePreempted(msg);
      case "heartbeat": return this.handleHeartbeat(from, msg);
      case "heartbeat_ack": return this.handleHeartbeatAck(from, msg);
      case "catchup": return this.serveCatchup(from, msg.fromSlot);
      case "decisions": return this.handleDecisions(msg);
      case "snapshot": return this.handleSnapshot(msg);
      case "client_request": return this.handleClientRequest(from, msg);
      case "client_reply": return; // not for us
      default: return unreachable(msg);
    }
  }

  onTimer(ctx: NodeContext<PaxosMessage>, name: string): void {
    this.ctx = ctx;
    if (name === TIMER_ELECTION) this.tickElection();
    else if (name === TIMER_HEARTBEAT) this.tickHeartbeat();
  }

  // ---------------------------------------------------------------- roles

  /** Starts phase 1 now, whatever the timers say (a leader keeps leading). For scenarios and tests: dueling proposers. */
  campaign(): void {
    if (this.role.kind !== "leader") this.becomeCandidate();
  }

  /** Follows `leader` (null: none known), waking up after `delayMs` unless a leader is heard from first. */
  private becomeFollower(leader: NodeId | null, delayMs = this.failureTimeoutMs()): void {
    this.stepDown(leader);
    this.role = { kind: "follower" };
    this.leaderId = leader;
    this.followedBallot = null;
    this.ctx.setTimer(TIMER_ELECTION, delayMs);
  }

  /**
   * Phase 1a: a ballot above every round heard of, promised to ourselves durably first (so a restart never
   * reuses it), then a prepare to every peer for the slots from the first one we have not applied.
   */
  private becomeCandidate(): void {
    this.stepDown(null);
    const ballot: Ballot = { round: Math.max(this.acceptor.promised.round, this.maxSeenRound) + 1, leader: this.id };
    this.maxSeenRound = ballot.round;
    this.acceptor.promise(ballot, !this.bugs.has("promiseNotPersisted"));
    this.store.sync();
    const fromSlot = this.replica.appliedThrough + 1;
    const own = { from: this.id, accepted: this.acceptor.reportFrom(fromSlot), compactedThrough: this.acceptor.compactedThrough };
    const promises = new Map<NodeId, PromiseReport>([[this.id, own]]);
    // planted bug countStaleReplies: the promises collected for our earlier ballots are kept and counted again
    if (this.bugs.has("countStaleReplies")) for (const [from, report] of this.earlierPromises) if (from !== this.id) promises.set(from, report);
    const role: Extract<Role, { kind: "candidate" }> = { kind: "candidate", ballot, fromSlot, promises };
    this.role = role;
    this.leaderId = null;
    this.followedBallot = null;
    this.ctx.log("info", "election_started", { term: ballot.round, ballot: `${ballot.round}.${ballot.leader}`, fromSlot });
    this.ctx.setTimer(TIMER_ELECTION, this.failureTimeoutMs());
    const prepare: PrepareMessage = { type: "prepare", ballot, fromSlot };
    for (const peer of this.ctx.peers) this.ctx.send(peer, prepare);
    this.maybeWin(role);
  }

  private maybeWin(role: Extract<Role, { kind: "candidate" }>): void {
    if (role.promises.size >= this.majority()) this.becomeLeader(role);
  }

  /** Phase 1 won: adopt the open slots (highest-ballot value, no-ops in gaps), then phase 2 for them. */
  private becomeLeader(role: Extract<Role, { kind: "candidate" }>): void {
    const adoption = adopt(role.ballot, role.fromSlot, [...role.promises.values()], {
      lastReportWins: this.bugs.has("ignoreHighestBallot"),
      skipGaps: this.bugs.has("noGapFilling"),
    });
    const state = new LeaderState(role.ballot, adoption.startSlot, adoption.nextSlot, adoption.nextSlot - 1, this.ctx.peers);
    this.role = { kind: "leader", state };
    this.leaderId = this.id;
    this.preemptions = 0;
    this.ctx.cancelTimer(TIMER_ELECTION);
    this.ctx.setTimer(TIMER_HEARTBEAT, this.config.heartbeatMs);
    this.ctx.metrics.inc("leader_elections_total", { result: "success" });
    this.ctx.probe("paxos.leaderElected");
    this.ctx.log("info", "leader_elected", {
      term: role.ballot.round, ballot: `${role.ballot.round}.${role.ballot.leader}`, startSlot: adoption.startSlot, adopted: adoption.values.length, nextSlot: adoption.nextSlot,
    });
    for (const pv of adoption.values) {
      this.ctx.probe(pv.command.kind === "noop" ? "paxos.gapFilled" : "paxos.valueAdopted");
      this.addProposal(state, pv, operationTypeOf(pv.command));
    }
    if (adoption.catchUp !== undefined) this.wantCatchup(adoption.catchUp.through, adoption.catchUp.from);
    this.bcastHeartbeat(state);
    this.pump(state);
  }

  /** Leaves the leader role: waiting clients learn that the outcome is theirs to retry. */
  private stepDown(hint: NodeId | null): void {
    const state = this.leaderState();
    if (state === undefined) return;
    this.ctx.cancelTimer(TIMER_HEARTBEAT);
    const redirect = hint !== null && hint !== this.id ? hint : undefined;
    for (const [requestId, w] of state.clients) this.replyError(w.client, requestId, w.attempt, "LEADER_NOT_FOUND", !w.read, redirect);
    state.clients.clear();
  }

  /**
   * Our ballot lost to a higher promise (or to a live leader): back off for a random, growing time, and follow
   * the winner meanwhile (its heartbeats end the wait). The planted bug immediateReelection retries at once.
   */
  private preempted(mine: Ballot, hint: NodeId | null): void {
    this.ctx.log("info", "preempted", { term: mine.round, ballot: `${mine.round}.${mine.leader}`, by: hint });
    this.ctx.probe("paxos.preempted");
    if (this.role.kind === "candidate") this.ctx.metrics.inc("leader_elections_total", { result: "split_vote" });
    if (this.bugs.has("immediateReelection")) return this.becomeCandidate();
    this.preemptions++;
    const delay = backoffMs(this.preemptions, this.config.electionTimeoutMsMin, this.config.backoffMsMax, () => this.ctx.random());
    this.becomeFollower(hint === this.id ? null : hint, delay);
  }

  /** A message from the leader of `ballot` (at least our promise): follow it, and stay quiet for a failure timeout. */
  private heardFromLeader(from: NodeId, ballot: Ballot): void {
    if (this.role.kind !== "follower") this.becomeFollower(from);
    this.leaderId = from;
    this.followedBallot = ballot;
    this.lastLeaderContactMs = this.ctx.now();
    this.preemptions = 0;
    this.ctx.setTimer(TIMER_ELECTION, this.failureTimeoutMs());
  }

  private failureTimeoutMs(): number {
    const { electionTimeoutMsMin: min, electionTimeoutMsMax: max } = this.config;
    if (this.ctx.buggify("paxos.slowestTimeout")) return max;
    return min + this.ctx.random() * (max - min);
  }

  // ---------------------------------------------------------------- timers

  private tickElection(): void {
    switch (this.role.kind) {
      case "leader":
        return;
      case "candidate":
        this.ctx.metrics.inc("leader_elections_total", { result: "timeout" });
        break;
      case "follower":
        break;
      default:
        unreachable(this.role);
    }
    this.becomeCandidate();
  }

  private tickHeartbeat(): void {
    const state = this.leaderState();
    if (state === undefined) return;
    this.ctx.setTimer(TIMER_HEARTBEAT, this.config.heartbeatMs);
    if (++state.checkTicks * this.config.heartbeatMs >= this.config.electionTimeoutMsMin) {
      state.checkTicks = 0;
      if (!this.maybeKeepQuorum(state)) return;
    }
    this.bcastHeartbeat(state);
    this.retransmit(state);
    this.updateReplicationLag(state);
    this.maybeAskCatchup();
  }

  /** Check-quorum: a leader that heard from no majority for a minimum election timeout steps down. */
  private maybeKeepQuorum(state: LeaderState): boolean {
    const heard = state.heard.size + 1;
    state.heard.clear();
    if (heard >= this.majority()) return true;
    this.ctx.log("warn", "check_quorum_lost", { term: state.ballot.round, ballot: `${state.ballot.round}.${state.ballot.leader}` });
    this.ctx.probe("paxos.checkQuorumStepDown");
    this.becomeFollower(null);
    return false;
  }

  // ---------------------------------------------------------------- acceptor: phase 1b

  private handlePrepare(from: NodeId, msg: PrepareMessage): void {
    if (this.refusesPrepare(from) || compareBallots(msg.ballot, this.acceptor.promised) < 0) return this.sendPreempted(from, msg.ballot);
    this.maxSeenRound = Math.max(this.maxSeenRound, msg.ballot.round);
    // planted bug promiseNotPersisted: the promise lives in memory only, and a restart forgets it
    const raised = this.acceptor.promise(msg.ballot, !this.bugs.has("promiseNotPersisted"));
    this.store.sync();
    const reply: PromiseMessage = { type: "promise", ballot: msg.ballot, accepted: this.acceptor.reportFrom(msg.fromSlot), compactedThrough: this.acceptor.compactedThrough };
    this.ctx.send(from, reply);
    if (!raised) return;
    // our own ballot (campaigning or leading) just lost to a higher one: that is a preemption
    const mine = this.ownBallot();
    if (mine !== undefined) return this.preempted(mine, from);
    this.leaderId = null;
    this.followedBallot = null;
    this.ctx.setTimer(TIMER_ELECTION, this.failureTimeoutMs()); // give the candidate time to finish
  }

  /**
   * Leader stickiness, the other half of a lease ("Paxos Made Live"'s master leases): with `leaseReads`, a node
   * that heard from a live leader within the minimum election timeout promises nobody else (a leader itself
   * neither: it steps down through check-quorum), so no other ballot can win while the followers that confirmed
   * the lease wait. Without leases any higher ballot may take over, as in plain Multi-Paxos.
   */
  private refusesPrepare(from: NodeId): boolean {
    if (!this.config.leaseReads) return false;
    const now = this.ctx.now();
    if (now < this.promiseGuardUntilMs) return true;
    if (this.role.kind === "leader") return true;
    return this.leaderId !== null && this.leaderId !== from && now - this.lastLeaderContactMs < this.config.electionTimeoutMsMin;
  }

  private sendPreempted(to: NodeId, ballot: Ballot): void {
    const msg: PreemptedMessage = { type: "preempted", ballot, promised: this.acceptor.promised, leader: this.leaderId };
    this.ctx.send(to, msg);
  }

  // ---------------------------------------------------------------- proposer: phase 1 answers

  private handlePromise(from: NodeId, msg: PromiseMessage): void {
    const role = this.role;
    if (role.kind !== "candidate") return;
    if (!sameBallot(msg.ballot, role.ballot) && !this.countsStale(msg.ballot, role.ballot)) return;
    const report = { from, accepted: msg.accepted, compactedThrough: msg.compactedThrough };
    role.promises.set(from, report);
    if (this.bugs.has("countStaleReplies")) this.earlierPromises.set(from, report);
    this.maybeWin(role);
  }

  /** Planted bug countStaleReplies: an answer to one of our earlier ballots is counted toward the current one. */
  private countsStale(answered: Ballot, current: Ballot): boolean {
    return this.bugs.has("countStaleReplies") && answered.leader === this.id && compareBallots(answered, current) < 0;
  }

  /** The ballot this node campaigns or leads with, if any. */
  private ownBallot(): Ballot | undefined {
    const r = this.role;
    return r.kind === "candidate" ? r.ballot : r.kind === "leader" ? r.state.ballot : undefined;
  }

  private handlePreempted(msg: PreemptedMessage): void {
    this.maxSeenRound = Math.max(this.maxSeenRound, msg.promised.round);
    const mine = this.ownBallot();
    if (mine === undefined || !sameBallot(msg.ballot, mine)) return; // an answer to an earlier ballot
    const higher = compareBallots(msg.promised, mine) > 0;
    if (!higher && msg.leader === null) return; // a restarted acceptor waiting out a lease: not a rival
    this.preempted(mine, msg.leader ?? (higher ? msg.promised.leader : null));
  }

  // ---------------------------------------------------------------- acceptor: phase 2b, heartbeats, learning

  private handleAccept(from: NodeId, msg: AcceptMessage): void {
    const pv = msg.pvalue;
    const below = compareBallots(pv.ballot, this.acceptor.promised) < 0;
    // planted bug acceptBelowPromise: a late accept from a deposed leader is taken anyway
    if (below && !this.bugs.has("acceptBelowPromise")) return this.sendPreempted(from, pv.ballot);
    if (!below) this.heardFromLeader(from, pv.ballot);
    if (pv.slot <= this.acceptor.compactedThrough) return this.pushCatchup(from, pv.slot); // decided here long ago: the leader lags
    this.accept(pv);
    const reply: AcceptedMessage = { type: "accepted", ballot: pv.ballot, slot: pv.slot };
    this.ctx.send(from, reply);
    if (this.ctx.buggify("paxos.duplicateAccepted")) this.ctx.send(from, reply);
    if (!below) this.learn(msg.decidedThrough, pv.ballot, from);
  }

  private handleHeartbeat(from: NodeId, msg: HeartbeatMessage): void {
    if (compareBallots(msg.ballot, this.acceptor.promised) < 0) return this.sendPreempted(from, msg.ballot);
    this.heardFromLeader(from, msg.ballot);
    if (this.acceptor.promise(msg.ballot)) this.store.sync(); // its phase 1 won a majority: promising it is safe
    this.learn(msg.decidedThrough, msg.ballot, from);
    const ack: HeartbeatAckMessage = { type: "heartbeat_ack", ballot: msg.ballot, seq: msg.seq, appliedThrough: this.replica.appliedThrough };
    this.ctx.send(from, ack);
  }

  /**
   * Learning from the leader of `ballot`, which decided every slot up to `decidedThrough`: a slot whose accepted
   * pvalue is at that very ballot holds the value the leader decided (one value per slot per ballot). The rest
   * is caught up from the leader.
   */
  private learn(decidedThrough: number, ballot: Ballot, from: NodeId): void {
    const r = this.replica;
    // buggify: learn nothing from the piggyback; the catch-up path must deliver every decision alone
    if (this.ctx.buggify("paxos.learnByCatchupOnly")) return this.wantCatchup(decidedThrough, from);
    const end = Math.min(decidedThrough, r.appliedThrough + MAX_LEARN_SLOTS);
    let learned = false;
    for (let s = r.appliedThrough + 1; s <= end; s++) {
      if (r.decided.has(s)) continue;
      const pv = this.acceptor.accepted.get(s);
      if (pv === undefined || !sameBallot(pv.ballot, ballot)) break;
      learned = r.decide(pv) || learned;
    }
    if (learned) {
      this.store.sync();
      this.applyReady();
    }
    if (decidedThrough > r.appliedThrough) this.wantCatchup(decidedThrough, from);
  }

  // ---------------------------------------------------------------- catch-up

  private wantCatchup(target: number, from: NodeId): void {
    if (target > this.catchup.target || this.catchup.from === null) this.catchup = { ...this.catchup, target: Math.max(target, this.catchup.target), from };
    this.maybeAskCatchup();
  }

  /** Asks for the missing decisions, at most once per heartbeat interval (again at once after progress). */
  private maybeAskCatchup(): void {
    const c = this.catchup;
    if (c.from === null || c.target <= this.replica.appliedThrough) return;
    const now = this.ctx.now();
    if (now - c.askedAtMs < this.config.heartbeatMs) return;
    c.askedAtMs = now;
    this.ctx.send(c.from, { type: "catchup", fromSlot: this.replica.appliedThrough + 1 });
  }

  /** A leader proposed in a slot this node compacted: it lags, so it gets what we decided (at most once per heartbeat interval). */
  private pushCatchup(to: NodeId, slot: number): void {
    this.ctx.probe("paxos.proposedInCompactedSlot");
    const now = this.ctx.now();
    if (now - this.lastPushAtMs < this.config.heartbeatMs) return;
    this.lastPushAtMs = now;
    this.serveCatchup(to, slot);
  }

  private handleDecisions(msg: DecisionsMessage): void {
    this.takeDecisions(msg.decisions);
  }

  private handleSnapshot(msg: SnapshotMessage): void {
    const s = msg.snapshot;
    if (s.slot > this.replica.appliedThrough) {
      // another leader decided slots this leader was to decide through its own phase 2: it has been superseded
      const state = this.leaderState();
      if (state !== undefined && s.slot >= state.startSlot) {
        this.ctx.probe("paxos.leaderSuperseded");
        this.becomeFollower(null);
      }
      this.ctx.probe("paxos.snapshotInstalled");
      this.installSnapshot(s);
    }
    this.takeDecisions(msg.decisions);
  }

  /** Records re-sent decisions. A leader takes them only below its start slot: above it, it decides itself. */
  private takeDecisions(decisions: readonly PValue[]): void {
    const state = this.leaderState();
    const before = this.replica.appliedThrough;
    let progress = false;
    for (const pv of decisions) {
      if (state !== undefined && pv.slot >= state.startSlot) continue;
      progress = this.replica.decide(pv) || progress;
    }
    if (!progress) return;
    this.ctx.probe("paxos.learnedByCatchup");
    this.store.sync();
    this.applyReady();
    if (this.replica.appliedThrough > before) {
      this.catchup.askedAtMs = -Infinity; // progress: ask for the next batch at once
      this.maybeAskCatchup();
    }
  }

  // ---------------------------------------------------------------- leader: phase 2

  /** Assigns the next free slot to `command` at our ballot and starts phase 2 for it; returns the slot. */
  private propose(state: LeaderState, command: PaxosCommand, operationType: string): number {
    const slot = state.nextSlot++;
    this.addProposal(state, makePValue(state.ballot, slot, command), operationType);
    this.pump(state);
    return slot;
  }

  /** Our own acceptor accepts first (synced, so counting ourselves is safe); peers get phase 2a as the window allows. */
  private addProposal(state: LeaderState, pv: PValue, operationType: string): void {
    if (pv.slot <= this.replica.appliedThrough) return; // decided and applied meanwhile (caught up)
    this.accept(pv);
    const p: Proposal = { pvalue: pv, acks: new Set([this.id]), sent: false, sentAtMs: -Infinity, proposedAtMs: this.ctx.now(), operationType };
    state.proposals.set(pv.slot, p);
    if (p.acks.size >= this.majority()) this.decide(state, p);
  }

  /** Sends phase 2a for the next slots while fewer than `windowSlots` are in flight. */
  private pump(state: LeaderState): void {
    // buggify: one slot per call, as if the window were 1 (the others go out as answers come back)
    const window = this.ctx.buggify("paxos.sendOneAccept") ? Math.min(state.inflight + 1, this.config.windowSlots) : this.config.windowSlots;
    while (state.inflight < window && state.sendCursor < state.nextSlot) {
      const p = state.proposals.get(state.sendCursor++);
      if (p === undefined || p.sent) continue;
      p.sent = true;
      state.inflight++;
      this.sendAccepts(p);
    }
  }

  private sendAccepts(p: Proposal): void {
    const msg: AcceptMessage = { type: "accept", pvalue: p.pvalue, decidedThrough: this.replica.appliedThrough };
    for (const peer of this.ctx.peers) if (!p.acks.has(peer)) this.ctx.send(peer, msg);
    p.sentAtMs = this.ctx.now();
  }

  /** Phase 2a again for slots in flight whose acceptors stayed silent (a lost message), in slot order. */
  private retransmit(state: LeaderState): void {
    const now = this.ctx.now();
    for (const p of state.proposals.values()) {
      if (!p.sent) break; // sent in slot order: the rest wait for the window
      if (now - p.sentAtMs >= this.config.retransmitMs) this.sendAccepts(p);
    }
  }

  private handleAccepted(from: NodeId, msg: AcceptedMessage): void {
    const state = this.leaderState();
    if (state === undefined) return;
    const current = sameBallot(msg.ballot, state.ballot);
    if (!current && !this.countsStale(msg.ballot, state.ballot)) return;
    if (current) state.heard.add(from);
    const p = state.proposals.get(msg.slot);
    if (p === undefined) return;
    p.acks.add(from);
    if (p.acks.size >= this.majority()) this.decide(state, p);
  }

  /** A majority accepted the slot at our ballot: it is decided. */
  private decide(state: LeaderState, p: Proposal): void {
    const slot = p.pvalue.slot;
    state.proposals.delete(slot);
    if (p.sent) state.inflight--;
    this.replica.decide(p.pvalue);
    this.store.sync();
    const now = this.ctx.now();
    state.noteDecided(slot, now);
    this.ctx.metrics.observe("consensus_latency_seconds", { operation_type: p.operationType }, Math.max(0, now - p.proposedAtMs) / 1000);
    this.applyReady();
    this.pump(state);
  }

  // ---------------------------------------------------------------- leader: heartbeats, leases, lag

  private bcastHeartbeat(state: LeaderState): void {
    const seq = state.startRound(this.ctx.now());
    const msg: HeartbeatMessage = { type: "heartbeat", ballot: state.ballot, decidedThrough: this.replica.appliedThrough, seq };
    for (const peer of this.ctx.peers) this.ctx.send(peer, msg);
    this.maybeExtendLease(state);
  }

  private handleHeartbeatAck(from: NodeId, msg: HeartbeatAckMessage): void {
    const state = this.leaderState();
    const f = state?.followers.get(from);
    if (state === undefined || f === undefined || !sameBallot(msg.ballot, state.ballot)) return;
    state.heard.add(from);
    f.appliedThrough = Math.max(f.appliedThrough, msg.appliedThrough);
    f.ackSeq = Math.max(f.ackSeq, msg.seq);
    this.maybeExtendLease(state);
  }

  /**
   * The lease: once a majority (us included) acknowledged heartbeat round `seq`, none of them promises another
   * proposer until the minimum election timeout after it heard that round, by its own clock. Clocks drift, so
   * the lease ends early by the margin `2 * maxClockDriftPpm` (the planted bug leaseWithoutDriftMargin drops it).
   */
  private maybeExtendLease(state: LeaderState): void {
    if (!this.config.leaseReads) return;
    const acks = [state.heartbeatSeq];
    for (const f of state.followers.values()) acks.push(f.ackSeq);
    const sentAt = state.roundSentAt(majorityIndex(acks));
    if (sentAt === undefined) return;
    const margin = this.bugs.has("leaseWithoutDriftMargin") ? 1 : 1 - (2 * this.config.maxClockDriftPpm) / 1e6;
    state.leaseUntilMs = Math.max(state.leaseUntilMs, sentAt + this.config.electionTimeoutMsMin * margin);
  }

  private updateReplicationLag(state: LeaderState): void {
    const now = this.ctx.now();
    const applied = this.replica.appliedThrough;
    for (const [id, f] of state.followers) {
      const since = f.appliedThrough >= applied ? undefined : state.decidedAt(f.appliedThrough + 1);
      this.ctx.metrics.set("replication_lag_seconds", { follower_id: id }, since === undefined ? 0 : Math.max(0, now - since) / 1000);
    }
  }

  // ---------------------------------------------------------------- clients

  private handleClientRequest(from: NodeId, msg: ClientRequest): void {
    const state = this.leaderState();
    const hint = this.leaderId !== null && this.leaderId !== this.id ? this.leaderId : undefined;
    if (state === undefined) return this.replyError(from, msg.requestId, msg.attempt, "LEADER_NOT_FOUND", false, hint);
    const op = msg.op;
    if (op.f === "get") return this.handleRead(state, from, msg, op.key);
    const seen = this.replica.kv.lookup(msg.requestId, op.f, this.ctx.now());
    if (seen !== undefined) {
      return seen.ok ? this.replyOk(from, msg.requestId, msg.attempt, seen.value) : this.replyError(from, msg.requestId, msg.attempt, seen.code, false);
    }
    this.submit(state, from, msg, { kind: "kv", requestId: msg.requestId, op: op as KvWrite, atMs: this.ctx.now() }, op.f);
  }

  /** Reads: locally under a lease (once the slots phase 1 adopted are applied), else through the log. */
  private handleRead(state: LeaderState, from: NodeId, msg: ClientRequest, key: string): void {
    if (this.config.leaseReads && this.ctx.now() < state.leaseUntilMs && this.replica.appliedThrough >= state.readyThrough) {
      this.ctx.probe("paxos.leaseRead");
      return this.replyOk(from, msg.requestId, msg.attempt, this.replica.kv.get(key));
    }
    this.submit(state, from, msg, { kind: "read", requestId: msg.requestId, key }, "get");
  }

  /** Puts a client's command in the next slot, unless a retry of it is already in one (then the retry waits for that slot). */
  private submit(state: LeaderState, from: NodeId, msg: ClientRequest, command: PaxosCommand, operationType: string): void {
    const read = command.kind === "read";
    const pendingSlot = state.slotOfRequest.get(msg.requestId);
    if (pendingSlot !== undefined && state.proposals.has(pendingSlot)) {
      state.clients.set(msg.requestId, { client: from, attempt: msg.attempt, read });
      return;
    }
    if (state.proposals.size >= this.config.maxPendingRequests) return this.replyError(from, msg.requestId, msg.attempt, "QUORUM_UNREACHABLE", false);
    state.clients.set(msg.requestId, { client: from, attempt: msg.attempt, read });
    const slot = this.propose(state, command, operationType);
    if (this.role.kind === "leader") state.slotOfRequest.set(msg.requestId, slot);
  }

  protected answerClient(state: LeaderState, pv: PValue, result: ApplyResult): void {
    const c = pv.command;
    if (c.kind === "noop") return;
    if (state.slotOfRequest.get(c.requestId) === pv.slot) state.slotOfRequest.delete(c.requestId);
    const waiting = state.clients.get(c.requestId);
    if (waiting === undefined) return;
    state.clients.delete(c.requestId);
    if (result.ok) this.replyOk(waiting.client, c.requestId, waiting.attempt, result.value);
    else this.replyError(waiting.client, c.requestId, waiting.attempt, result.code, false);
  }

  // ---------------------------------------------------------------- the kit's test-facing propose

  /**
   * Puts a client write in the next slot, as a leader does for a client request, and says where it landed
   * (slot, and ballot round as `term`); no client waits for the answer. Refused with NOT_LEADER (and the
   * leader this node follows) or QUORUM_UNREACHABLE when `maxPendingRequests` slots are open. Run it through
   * `sim.invokeOn` (the cluster's `propose`).
   */
  proposeWrite(op: KvWrite, requestId: string): ProposeResult {
    const state = this.leaderState();
    if (state === undefined) return { accepted: false, code: "NOT_LEADER", ...(this.leaderId === null || this.leaderId === this.id ? {} : { leaderHint: this.leaderId }) };
    if (state.proposals.size >= this.config.maxPendingRequests) return { accepted: false, code: "QUORUM_UNREACHABLE" };
    const slot = this.propose(state, { kind: "kv", requestId, op, atMs: this.ctx.now() }, op.f);
    return { accepted: true, index: slot, term: state.ballot.round };
  }

  /** The ballot this node leads with, if it leads. */
  leaderBallot(): Ballot | undefined {
    return this.leaderState()?.ballot;
  }
}

/** The operation type of a command, for the latency histogram. */
function operationTypeOf(command: PaxosCommand): string {
  switch (command.kind) {
    case "noop": return "noop";
    case "read": return "get";
    case "kv": return command.op.f;
  }
}

/**
 * A behaviour factory for `sim.addNodes(ids, createPaxosNode(config))`; validates `config` once, up front.
 * `hooks` reach every incarnation of every node (a cluster helper records applied commands with them).
 */
export function createPaxosNode(config: PaxosConfig = {}, hooks: PaxosNodeHooks = {}): (id: NodeId) => PaxosNode {
  const resolved = resolvePaxosConfig(config);
  return () => new PaxosNode(resolved, hooks);
}
