import { majorityIndex, type KvWrite, type NodeBehavior, type NodeContext, type NodeId, type ProposeResult } from "@faultline/core";
import { resolveRaftConfig, type RaftConfig } from "../config.js";
import { isUpToDate, makeEntry } from "../log/raft-log.js";
import type {
  AppendRequest, AppendResponse, ClientOp, ClientReply, ClientRequest, HeartbeatRequest, HeartbeatResponse,
  LogEntry, RaftCommand, RaftMessage, SnapshotRequest, VoteRequest, VoteResponse,
} from "../messages.js";
import { applyConfigOp, quorumSize } from "./membership.js";
import type { Progress } from "./progress.js";
import { RaftCore, type ApplyResult, type RaftNodeHooks } from "./raft-core.js";
import { ReadIndexQueue, type PendingRead } from "./read-index.js";
import { unreachable, type LeaderState } from "./role.js";

const TIMER_ELECTION = "election";
const TIMER_HEARTBEAT = "heartbeat";
const TIMER_NOOP = "noop";
const TIMER_VOTE_REPLY = "vote-reply";
/** Most granted votes held back at once by the buggify mark raft.delayVoteReply: a bound. */
const MAX_HELD_VOTE_REPLIES = 8;

/**
 * A Raft node (Ongaro & Ousterhout; the thesis for pre-vote, check-quorum, ReadIndex, leases and single-server
 * membership change) running a replicated key-value store, as a Faultline {@link NodeBehavior}.
 *
 * Naming follows etcd-raft: `become*` switches role, `maybe*` acts only when a condition holds and says
 * whether it did, `bcast*` sends to every follower, `handle*` processes one message. Every effect goes
 * through the context; durable state is synced before any message that depends on it.
 *
 * Events: the ones of RAFT_EVENTS (inspect.ts), plus check_quorum_lost and leader_transfer_started. Metrics:
 * - `leader_elections_total{result}`: success when a candidate wins; split_vote when it lost (a quorum
 *   rejected it, or its timer ran out after a quorum answered without electing it); timeout when its timer
 *   ran out before a quorum answered;
 * - `replication_lag_seconds{follower_id}` (gauge, set by the leader every heartbeat): the age of the oldest
 *   entry the follower does not hold yet, 0 when it is caught up;
 * - `consensus_latency_seconds{operation_type}` (histogram): from the leader's proposal to its commit, in
 *   seconds of the leader's clock, per operation type (put, cas, append, noop, config).
 */
export class RaftNode extends RaftCore implements NodeBehavior<RaftMessage> {
  private lastLeaderContactMs = -Infinity;
  /** Whether a leader was heard from since this incarnation started (probes). */
  private heardLeaderSinceStart = false;
  /** Granted votes held back by the buggify mark raft.delayVoteReply (volatile: a crash loses them, as a network would). */
  private readonly heldVoteReplies: Array<{ to: NodeId; reply: VoteResponse }> = [];
  /** Lease reads only: votes are refused until this local time after a restart. */
  private voteGuardUntilMs = -Infinity;

  // ---------------------------------------------------------------- NodeBehavior

  onStart(ctx: NodeContext<RaftMessage>): void {
    this.recover(ctx);
    this.becomeFollower(this.currentTerm, null);
    // lease reads: a restarted node forgot when it last heard from the leader, so it acts as if it just did
    // and refuses votes for one minimum election timeout (otherwise its vote could end a live lease early)
    if (this.config.leaseReads) this.voteGuardUntilMs = ctx.now() + this.config.electionTimeoutMsMin;
  }

  onMessage(ctx: NodeContext<RaftMessage>, from: NodeId, msg: RaftMessage): void {
    this.ctx = ctx;
    if (msg.type === "client_request") return this.handleClientRequest(from, msg);
    if (msg.type === "client_reply") return; // not for us
    if (!this.stepTerm(from, msg)) return;
    switch (msg.type) {
      case "vote": return this.handleVote(from, msg);
      case "vote_resp": return this.handleVoteResponse(from, msg);
      case "append": return this.handleAppend(from, msg);
      case "append_resp": return this.handleAppendResponse(from, msg);
      case "heartbeat": return this.handleHeartbeat(from, msg);
      case "heartbeat_resp": return this.handleHeartbeatResponse(from, msg);
      case "snapshot": return this.handleSnapshot(from, msg);
      case "timeout_now": return this.handleTimeoutNow(from);
      default: return unreachable(msg);
    }
  }

  onTimer(ctx: NodeContext<RaftMessage>, name: string): void {
    this.ctx = ctx;
    if (name === TIMER_ELECTION) this.tickElection();
    else if (name === TIMER_HEARTBEAT) this.tickHeartbeat();
    else if (name === TIMER_NOOP) this.maybeProposeNoop();
    else if (name === TIMER_VOTE_REPLY) this.sendHeldVoteReplies();
  }

  // ---------------------------------------------------------------- terms

  /**
   * The term rules every node message goes through first (etcd's Step). Returns false when the message
   * must not be processed further.
   */
  private stepTerm(from: NodeId, msg: Exclude<RaftMessage, ClientRequest | ClientReply>): boolean {
    if (msg.term > this.currentTerm) {
      if (msg.type === "vote") {
        // check-quorum's lease (thesis §4.2.3): a node that heard from a leader within the minimum election
        // timeout ignores vote requests, so a node that was partitioned away cannot disrupt a healthy leader
        if (!msg.transfer && this.inLease()) return false;
        if (msg.pre) return true; // a pre-vote never changes our term
        this.skipHardStatePersist = this.bugs.has("forgetVote");
        this.becomeFollower(msg.term, null);
        this.skipHardStatePersist = false;
        return true;
      }
      if (msg.type === "vote_resp" && msg.pre && msg.granted) return true; // carries the term we would run at
      const fromLeader = msg.type === "append" || msg.type === "heartbeat" || msg.type === "snapshot" || msg.type === "timeout_now";
      this.becomeFollower(msg.term, fromLeader ? from : null);
      return true;
    }
    if (msg.term < this.currentTerm) {
      switch (msg.type) {
        case "append": case "heartbeat": case "snapshot": case "timeout_now":
          // tell a stale leader about the newer term, so it steps down
          this.ctx.send(from, this.appendResponse(false, 0, 0, 0, 0));
          return false;
        case "vote":
          this.ctx.send(from, { type: "vote_resp", pre: msg.pre, term: this.currentTerm, granted: false });
          return false;
        case "vote_resp": case "append_resp": case "heartbeat_resp":
          if (this.bugs.has("acceptStaleReplies")) return true; // planted bug: replies from old terms are counted
          this.ctx.probe("raft.staleReplyIgnored");
          return false;
        default:
          return unreachable(msg);
      }
    }
    return true;
  }

  private inLease(): boolean {
    if (this.ctx.now() < this.voteGuardUntilMs) return true;
    if (!this.config.checkQuorum) return false;
    // a leader under check-quorum heard from a quorum within the last election timeout, or it would have stepped down
    if (this.role.kind === "leader") return true;
    return this.leaderId !== null && this.ctx.now() - this.lastLeaderContactMs < this.config.electionTimeoutMsMin;
  }

  // ---------------------------------------------------------------- roles

  /** Becomes follower of `term` (persisting a new term first), believing in `leader` if known. */
  becomeFollower(term: number, leader: NodeId | null): void {
    if (term > this.currentTerm) {
      this.currentTerm = term;
      this.votedFor = null;
      this.persistHardState();
    }
    if (this.role.kind === "leader") this.stepDown();
    this.role = { kind: "follower" };
    this.leaderId = leader;
    this.resetElectionTimer();
  }

  /** Pre-vote (thesis §9.6): asks whether a quorum would vote for us at term + 1, without changing any term. */
  becomePreCandidate(): void {
    this.role = { kind: "precandidate", granted: new Set([this.id]), rejected: new Set() };
    this.leaderId = null;
    this.resetElectionTimer();
    this.bcastVote(true, this.currentTerm + 1);
    if (this.hasQuorum(this.role.granted)) this.becomeCandidate();
  }

  /**
   * Starts an election: a new term, a vote for ourselves (synced before asking anyone). `transfer` marks an
   * election the leader asked for (TimeoutNow), which voters answer even while they still hear from it.
   */
  becomeCandidate(transfer = false): void {
    this.currentTerm++;
    this.votedFor = this.id;
    this.persistHardState();
    this.role = { kind: "candidate", granted: new Set([this.id]), rejected: new Set() };
    this.leaderId = null;
    this.ctx.log("info", "election_started", { term: this.currentTerm });
    this.resetElectionTimer();
    this.bcastVote(false, this.currentTerm, transfer);
    if (this.hasQuorum(this.role.granted)) this.becomeLeader();
  }

  /** Wins the election: progress for every follower, and a no-op entry so the leader commits in its term. */
  becomeLeader(): void {
    const state: LeaderState = {
      progress: new Map(), reads: new ReadIndexQueue(), proposals: new Map(), byRequest: new Map(),
      committedInTerm: false, ticks: 0, leaseUntilMs: -Infinity, transfer: null,
    };
    this.role = { kind: "leader", state };
    this.leaderId = this.id;
    this.syncProgress();
    this.ctx.cancelTimer(TIMER_ELECTION);
    this.ctx.metrics.inc("leader_elections_total", { result: "success" });
    this.ctx.log("info", "leader_elected", { term: this.currentTerm });
    this.ctx.setTimer(TIMER_HEARTBEAT, this.config.heartbeatMs);
    this.ctx.probe("raft.leaderElected");
    // buggify: the no-op waits a heartbeat, so earlier terms' entries are replicated (and must not be counted) first
    if (this.ctx.buggify("raft.delayNoop")) return this.ctx.setTimer(TIMER_NOOP, this.config.heartbeatMs);
    this.propose({ kind: "noop" }, null, "", 0, "noop");
  }

  /** The delayed no-op of a new leader, unless the leader already holds an entry of its term. */
  private maybeProposeNoop(): void {
    if (this.role.kind !== "leader" || this.log.lastTerm() === this.currentTerm) return;
    this.propose({ kind: "noop" }, null, "", 0, "noop");
  }

  /** Leaves the leader role: pending clients learn that the outcome is theirs to retry. */
  private stepDown(): void {
    if (this.role.kind !== "leader") return;
    const state = this.role.state;
    this.ctx.cancelTimer(TIMER_HEARTBEAT);
    for (const read of state.reads.drain()) this.replyError(read.client, read.requestId, read.attempt, "LEADER_NOT_FOUND", false);
    for (const p of state.proposals.values()) {
      if (p.client !== null) this.replyError(p.client, p.requestId, p.attempt, "LEADER_NOT_FOUND", true);
    }
  }

  // ---------------------------------------------------------------- timers

  private tickElection(): void {
    switch (this.role.kind) {
      case "leader":
        return;
      case "candidate": {
        const lost = this.role.granted.size + this.role.rejected.size >= quorumSize(this.voters);
        this.ctx.metrics.inc("leader_elections_total", { result: lost ? "split_vote" : "timeout" });
        break;
      }
      case "precandidate": case "follower":
        break;
      default:
        unreachable(this.role);
    }
    if (!this.voters.includes(this.id)) return this.resetElectionTimer(); // not a voter: never campaigns
    if (this.config.preVote) this.becomePreCandidate();
    else this.becomeCandidate();
  }

  private tickHeartbeat(): void {
    if (this.role.kind !== "leader") return;
    const state = this.role.state;
    this.ctx.setTimer(TIMER_HEARTBEAT, this.config.heartbeatMs);
    if (state.transfer !== null && this.ctx.now() >= state.transfer.untilMs) state.transfer = null; // given up
    if (this.config.checkQuorum && ++state.ticks * this.config.heartbeatMs >= this.config.electionTimeoutMsMin) {
      state.ticks = 0;
      if (!this.maybeKeepQuorum(state)) return;
    }
    this.bcastHeartbeat();
    this.updateReplicationLag(state);
  }

  /** Check-quorum: steps down unless a quorum was heard from since the last round. */
  private maybeKeepQuorum(state: LeaderState): boolean {
    const active = new Set<NodeId>([this.id]);
    for (const pr of state.progress.values()) {
      if (pr.recentActive) active.add(pr.id);
      pr.recentActive = false;
    }
    if (this.hasQuorum(active)) return true;
    this.ctx.log("warn", "check_quorum_lost", { term: this.currentTerm });
    this.ctx.probe("raft.checkQuorumStepDown");
    this.becomeFollower(this.currentTerm, null);
    return false;
  }

  private resetElectionTimer(): void {
    const { electionTimeoutMsMin: min, electionTimeoutMsMax: max } = this.config;
    const slowest = this.ctx.buggify("raft.slowestElectionTimeout");
    this.ctx.setTimer(TIMER_ELECTION, slowest ? max - 1 : min + Math.floor(this.ctx.random() * (max - min)));
  }

  // ---------------------------------------------------------------- elections

  private bcastVote(pre: boolean, term: number, transfer = false): void {
    const msg: VoteRequest = { type: "vote", pre, term, lastLogIndex: this.log.lastIndex(), lastLogTerm: this.log.lastTerm() };
    if (transfer) msg.transfer = true;
    for (const v of this.voters) if (v !== this.id) this.ctx.send(v, msg);
  }

  private handleVote(from: NodeId, msg: VoteRequest): void {
    const upToDate = this.bugs.has("noUpToDateCheck") || isUpToDate(msg.lastLogIndex, msg.lastLogTerm, this.log);
    const canVote = msg.pre
      ? msg.term > this.currentTerm || (this.votedFor === null && this.leaderId === null) || this.votedFor === from
      : this.votedFor === from || (this.votedFor === null && this.leaderId === null);
    const granted = canVote && upToDate && this.role.kind !== "leader";
    const reply: VoteResponse = { type: "vote_resp", pre: msg.pre, term: granted && msg.pre ? msg.term : this.currentTerm, granted };
    if (granted && !msg.pre) {
      this.votedFor = from;
      if (this.bugs.has("forgetVote")) this.skipHardStatePersist = true;
      this.persistHardState();
      this.skipHardStatePersist = false;
      this.resetElectionTimer();
      if (this.leaderId === null && this.recoveredTerm > 0 && !this.heardLeaderSinceStart) this.ctx.probe("raft.voteGrantedAfterRestart");
      // buggify: the grant (already on disk) travels slowly, as a delayed network would carry it
      if (this.heldVoteReplies.length < MAX_HELD_VOTE_REPLIES && this.ctx.buggify("raft.delayVoteReply")) return this.holdVoteReply(from, reply);
    }
    this.ctx.send(from, reply);
  }

  private holdVoteReply(to: NodeId, reply: VoteResponse): void {
    this.heldVoteReplies.push({ to, reply });
    const { electionTimeoutMsMin: min, electionTimeoutMsMax: max } = this.config;
    this.ctx.setTimer(TIMER_VOTE_REPLY, min + Math.floor(this.ctx.random() * 2 * max));
  }

  private sendHeldVoteReplies(): void {
    for (const { to, reply } of this.heldVoteReplies.splice(0)) this.ctx.send(to, reply);
  }

  private handleVoteResponse(from: NodeId, msg: VoteResponse): void {
    const role = this.role;
    if (role.kind !== "precandidate" && role.kind !== "candidate") return;
    if (msg.pre !== (role.kind === "precandidate") || !this.voters.includes(from)) return;
    (msg.granted ? role.granted : role.rejected).add(from);
    if (this.hasQuorum(role.granted)) {
      if (role.kind === "precandidate") this.becomeCandidate();
      else this.becomeLeader();
    } else if (this.hasQuorum(role.rejected)) {
      if (role.kind === "candidate") this.ctx.metrics.inc("leader_elections_total", { result: "split_vote" });
      this.becomeFollower(this.currentTerm, null);
    }
  }

  // ---------------------------------------------------------------- follower side of replication

  private heardFromLeader(from: NodeId): void {
    this.heardLeaderSinceStart = true;
    if (this.role.kind !== "follower") this.becomeFollower(this.currentTerm, from);
    this.leaderId = from;
    this.lastLeaderContactMs = this.ctx.now();
    this.resetElectionTimer();
  }

  private handleAppend(from: NodeId, msg: AppendRequest): void {
    this.heardFromLeader(from);
    let prevIndex = msg.prevLogIndex;
    let entries = msg.entries;
    if (prevIndex < this.commitIndex) {
      // everything up to our commit index matches any current leader (Leader Completeness): skip that part
      const skip = Math.min(entries.length, this.commitIndex - prevIndex);
      entries = entries.slice(skip);
      prevIndex = this.commitIndex;
      if (entries.length === 0) return this.ctx.send(from, this.appendResponse(true, msg.prevLogIndex, this.commitIndex, 0, 0));
    } else {
      const prevTerm = this.log.term(prevIndex);
      if (prevTerm !== msg.prevLogTerm) {
        const [conflictTerm, conflictIndex] = prevTerm === undefined
          ? [0, this.log.lastIndex() + 1]
          : [prevTerm, this.log.firstIndexOfTerm(prevIndex, prevTerm)];
        return this.ctx.send(from, this.appendResponse(false, msg.prevLogIndex, 0, conflictTerm, conflictIndex));
      }
    }
    this.mergeEntries(prevIndex, entries);
    if (!this.bugs.has("ackBeforeSync")) this.store.sync();
    const lastNew = prevIndex + entries.length;
    // cap at the last entry this message vouched for: beyond it our log may still hold stale entries
    const cap = this.bugs.has("uncappedCommitIndex") ? this.log.lastIndex() : lastNew;
    this.maybeCommitTo(Math.min(msg.leaderCommit, cap));
    const reply = this.appendResponse(true, msg.prevLogIndex, lastNew, 0, 0);
    this.ctx.send(from, reply);
    if (this.ctx.buggify("raft.duplicateAppendReply")) this.ctx.send(from, reply);
  }

  /** Appends the entries after `prevIndex`, skipping those we hold and truncating at the first conflict (§5.3). */
  private mergeEntries(prevIndex: number, entries: readonly LogEntry[]): void {
    if (this.bugs.has("truncateOnMatch")) {
      // planted bug: truncates after prevLogIndex even when the entries match, so a reordered shorter
      // AppendEntries deletes entries this node already acknowledged
      this.truncateLogAfter(prevIndex);
      return this.appendToLog(entries);
    }
    for (let k = 0; k < entries.length; k++) {
      const e = entries[k]!;
      const mine = this.log.term(e.index);
      if (mine === e.term) continue;
      if (mine !== undefined && this.bugs.has("truncateAfterConflict")) {
        // planted bug: off by one, truncates after the conflicting entry and keeps it under the leader's newer ones
        this.truncateLogAfter(e.index);
        return this.appendToLog(entries.slice(k + 1));
      }
      if (mine !== undefined) {
        this.truncateLogAfter(e.index - 1);
        this.ctx.probe("raft.followerTruncatedSuffix");
      }
      return this.appendToLog(k === 0 ? entries : entries.slice(k));
    }
  }

  private handleHeartbeat(from: NodeId, msg: HeartbeatRequest): void {
    this.heardFromLeader(from);
    this.maybeCommitTo(Math.min(msg.commit, this.log.lastIndex()));
    this.ctx.send(from, { type: "heartbeat_resp", term: this.currentTerm, readSeq: msg.readSeq });
  }

  private handleSnapshot(from: NodeId, msg: SnapshotRequest): void {
    this.heardFromLeader(from);
    const s = msg.snapshot;
    if (s.index <= this.commitIndex && !this.bugs.has("installOlderSnapshot")) {
      // never install an older snapshot over newer committed state (planted bug installOlderSnapshot skips this guard)
      this.ctx.probe("raft.olderSnapshotIgnored");
      return this.ctx.send(from, this.appendResponse(true, s.index, this.commitIndex, 0, 0));
    }
    if (this.log.term(s.index) === s.term) {
      // we hold the snapshot's last entry: keep the log, just commit up to it (etcd's fast-forward)
      this.maybeCommitTo(s.index);
      return this.ctx.send(from, this.appendResponse(true, s.index, s.index, 0, 0));
    }
    this.ctx.probe(this.log.lastIndex() > s.index ? "raft.snapshotInstalledOverLongerLog" : "raft.snapshotInstalled");
    this.installSnapshot(s);
    this.ctx.send(from, this.appendResponse(true, s.index, s.index, 0, 0));
  }

  private appendResponse(success: boolean, prevLogIndex: number, matchIndex: number, conflictTerm: number, conflictIndex: number): AppendResponse {
    return { type: "append_resp", term: this.currentTerm, success, prevLogIndex, matchIndex, conflictTerm, conflictIndex };
  }

  // ---------------------------------------------------------------- leader side of replication

  /** Appends a command to the leader's log (synced), then replicates it. */
  private propose(command: RaftCommand, client: NodeId | null, requestId: string, attempt: number, operationType: string): number {
    const state = this.leaderState()!;
    const now = this.ctx.now();
    const entry = makeEntry(this.log.lastIndex() + 1, this.currentTerm, command, now);
    this.appendToLog([entry]);
    // the leader counts itself in maybeCommit below, so its copy must be on disk first (planted bug
    // leaderCountsUnsyncedSelf leaves the sync to the next commit)
    if (!this.bugs.has("leaderCountsUnsyncedSelf")) this.store.sync();
    state.proposals.set(entry.index, { client, requestId, attempt, operationType, proposedAtMs: now, term: this.currentTerm });
    if (client !== null) state.byRequest.set(requestId, entry.index);
    this.bcastAppend();
    this.maybeCommit();
    return entry.index;
  }

  private bcastAppend(): void {
    const state = this.leaderState();
    if (state === undefined) return;
    for (const pr of state.progress.values()) this.sendAppends(pr);
  }

  /** Sends as many appends to one follower as its window allows (bounded by the window). */
  private sendAppends(pr: Progress): void {
    if (this.ctx.buggify("raft.resendEarlierEntry")) this.resendEarlierEntry(pr);
    for (let i = 0; i < this.config.maxInflightAppends + 1; i++) {
      if (!this.maybeSendAppend(pr, false)) return;
    }
  }

  /**
   * Buggify: re-sends one entry from further back in the log (any prevLogIndex the leader still holds is a legal
   * AppendEntries), leaving the follower's progress as it is; its answer is handled like any other.
   */
  private resendEarlierEntry(pr: Progress): void {
    const from = this.log.snapshotIndex;
    const prevIndex = from + Math.floor(this.ctx.random() * Math.max(1, pr.nextIndex - from));
    const prevTerm = this.log.term(prevIndex);
    if (prevTerm === undefined) return;
    const entries = prevIndex < this.log.lastIndex() ? this.log.slice(prevIndex + 1, prevIndex + 1, 1) : [];
    this.ctx.send(pr.id, { type: "append", term: this.currentTerm, prevLogIndex: prevIndex, prevLogTerm: prevTerm, entries, leaderCommit: this.commitIndex });
  }

  /** Sends one AppendEntries (or InstallSnapshot when the entries are compacted). Returns whether it sent. */
  private maybeSendAppend(pr: Progress, allowEmpty: boolean): boolean {
    if (pr.isPaused(this.config.maxInflightAppends)) return false;
    const prevIndex = pr.nextIndex - 1;
    const prevTerm = this.log.term(prevIndex);
    if (prevTerm === undefined) return this.sendSnapshot(pr);
    const most = this.ctx.buggify("raft.sendOneEntry") ? 1 : this.config.maxEntriesPerAppend;
    const entries = pr.nextIndex <= this.log.lastIndex() ? this.log.slice(pr.nextIndex, this.log.lastIndex(), most) : [];
    if (entries.length === 0 && !allowEmpty) return false;
    const msg: AppendRequest = { type: "append", term: this.currentTerm, prevLogIndex: prevIndex, prevLogTerm: prevTerm, entries, leaderCommit: this.commitIndex };
    this.ctx.send(pr.id, msg);
    pr.sent(prevIndex + entries.length, entries.length);
    return true;
  }

  private sendSnapshot(pr: Progress): boolean {
    const s = this.snapshot;
    if (s === undefined) return false; // cannot happen: compacted entries always have a snapshot
    this.ctx.send(pr.id, { type: "snapshot", term: this.currentTerm, snapshot: s });
    pr.becomeSnapshot(s.index, this.ctx.now());
    return true;
  }

  private handleAppendResponse(from: NodeId, msg: AppendResponse): void {
    const state = this.leaderState();
    const pr = state?.progress.get(from);
    if (state === undefined || pr === undefined) return;
    pr.recentActive = true;
    if (!msg.success) {
      const hint = msg.conflictTerm === 0 ? msg.conflictIndex : this.nextAfterConflict(msg.conflictTerm, msg.conflictIndex);
      if (pr.state === "snapshot" || pr.maybeDecrTo(msg.prevLogIndex, hint)) this.maybeSendAppend(pr, true);
      return;
    }
    if (pr.maybeUpdate(msg.matchIndex)) {
      this.ctx.log("debug", "log_replicated", { term: this.currentTerm, follower: from, matchIndex: pr.matchIndex });
      if (state.transfer?.to === from) this.maybeSendTimeoutNow(state);
      if (pr.state === "probe" || (pr.state === "snapshot" && pr.matchIndex >= pr.pendingSnapshot)) pr.becomeReplicate();
      this.maybeCommit();
    } else if (pr.state === "snapshot" && pr.matchIndex >= pr.pendingSnapshot) {
      pr.becomeReplicate();
    }
    if (this.role.kind === "leader") this.sendAppends(pr);
  }

  /** The leader's next index after a conflict: past its own last entry of the conflicting term, if it has one. */
  private nextAfterConflict(conflictTerm: number, conflictIndex: number): number {
    const last = this.log.lastIndexOfTerm(conflictTerm);
    return last > 0 ? last + 1 : conflictIndex;
  }

  /** Commits the highest index a quorum holds, counting replicas only for entries of the current term (§5.4.2). */
  private maybeCommit(): boolean {
    const state = this.leaderState();
    if (state === undefined) return false;
    const matches: number[] = [];
    for (const v of this.voters) matches.push(v === this.id ? this.log.lastIndex() : state.progress.get(v)?.matchIndex ?? 0);
    if (matches.length === 0) return false;
    const n = majorityIndex(matches);
    if (n <= this.commitIndex) return false;
    // planted bug (Figure 8): a previous-term entry counted as committed because a majority holds it
    if (this.log.term(n) !== this.currentTerm && !this.bugs.has("commitPreviousTerm")) return false;
    if (this.log.term(this.commitIndex + 1) !== this.currentTerm) this.ctx.probe("raft.committedOldTermIndirectly");
    this.commitTo(n);
    this.ctx.probe("raft.leaderCommitted");
    return true;
  }

  private updateReplicationLag(state: LeaderState): void {
    const now = this.ctx.now();
    const last = this.log.lastIndex();
    for (const pr of state.progress.values()) {
      const next = this.log.entry(pr.matchIndex + 1) ?? this.log.entries[0];
      const lagMs = pr.matchIndex >= last || next === undefined ? 0 : Math.max(0, now - next.atMs);
      this.ctx.metrics.set("replication_lag_seconds", { follower_id: pr.id }, lagMs / 1000);
    }
  }

  // ---------------------------------------------------------------- heartbeats and ReadIndex

  private bcastHeartbeat(): void {
    const state = this.leaderState();
    if (state === undefined) return;
    const seq = state.reads.startRound(this.ctx.now());
    for (const pr of state.progress.values()) {
      // a heartbeat vouches for no entry, so its commit is capped at what the follower is known to hold (planted
      // bug uncappedCommitIndex sends the leader's whole commit index and leaves the cap to nobody)
      const commit = this.bugs.has("uncappedCommitIndex") ? this.commitIndex : Math.min(pr.matchIndex, this.commitIndex);
      const msg: HeartbeatRequest = { type: "heartbeat", term: this.currentTerm, commit, readSeq: seq };
      this.ctx.send(pr.id, msg);
    }
    this.maybeConfirmReads(state);
  }

  private handleHeartbeatResponse(from: NodeId, msg: HeartbeatResponse): void {
    const state = this.leaderState();
    const pr = state?.progress.get(from);
    if (state === undefined || pr === undefined) return;
    pr.recentActive = true;
    pr.probeSent = false;
    if (msg.readSeq > pr.readAck) pr.readAck = msg.readSeq;
    if (pr.state === "replicate" && pr.inflight.length >= this.config.maxInflightAppends) pr.inflight.shift(); // a lost append frees its slot
    if (pr.state === "snapshot" && this.ctx.now() - pr.snapshotSentMs >= this.config.electionTimeoutMsMin) pr.becomeProbe();
    // behind: resend from nextIndex, even with nothing new to send (etcd does the same). An append lost in
    // replicate state is found this way: the follower rejects the gap, and the leader probes back.
    if (pr.matchIndex < this.log.lastIndex()) this.maybeSendAppend(pr, true);
    this.maybeConfirmReads(state);
  }

  /** Confirms the newest heartbeat round a quorum acknowledged, extends the lease, serves ready reads. */
  private maybeConfirmReads(state: LeaderState): void {
    const acks: number[] = [];
    for (const v of this.voters) acks.push(v === this.id ? state.reads.seq : state.progress.get(v)?.readAck ?? 0);
    if (acks.length === 0) return;
    const sentAt = state.reads.confirm(majorityIndex(acks));
    if (sentAt !== undefined && this.config.leaseReads && state.transfer === null) {
      // followers will not vote for another leader until the minimum election timeout after they heard from
      // us (check-quorum's lease); clock drift may shorten that on either side, hence the margin
      const margin = 1 - (2 * this.config.maxClockDriftPpm) / 1e6;
      state.leaseUntilMs = Math.max(state.leaseUntilMs, sentAt + this.config.electionTimeoutMsMin * margin);
    }
    this.serveReads(state);
    // reads that arrived while that round was in flight get their own round now (it leaves none waiting,
    // so this recursion is one level deep)
    if (sentAt !== undefined && !state.reads.roundInFlight && state.reads.hasUnroundedReads() && this.role.kind === "leader") this.bcastHeartbeat();
  }

  protected serveReads(state: LeaderState): void {
    if (state.reads.size === 0) return;
    for (const read of state.reads.takeReady(this.lastApplied)) {
      this.replyOk(read.client, read.requestId, read.attempt, this.kv.get(read.key));
    }
  }

  private handleRead(from: NodeId, msg: ClientRequest, key: string): void {
    const state = this.leaderState()!;
    if (this.bugs.has("readWithoutReadIndex")) {
      // planted bug: answered from local state; a deposed leader that does not know it yet returns stale data
      return this.replyOk(from, msg.requestId, msg.attempt, this.kv.get(key));
    }
    const read: PendingRead = {
      client: from, requestId: msg.requestId, attempt: msg.attempt, key,
      readIndex: state.committedInTerm ? this.commitIndex : -1, seq: 0, confirmed: false,
    };
    state.reads.reads.push(read);
    if (this.config.leaseReads && state.committedInTerm && this.ctx.now() < state.leaseUntilMs) {
      read.confirmed = true;
      this.ctx.probe("raft.leaseRead");
      return this.serveReads(state);
    }
    if (!state.reads.roundInFlight) this.bcastHeartbeat(); // else it joins the round after the one in flight
    else this.maybeConfirmReads(state);
  }

  // ---------------------------------------------------------------- commit and apply

  protected leaderCommitted(state: LeaderState, previous: number, index: number): void {
    const now = this.ctx.now();
    for (let i = previous + 1; i <= index; i++) {
      const p = state.proposals.get(i);
      if (p !== undefined) this.ctx.metrics.observe("consensus_latency_seconds", { operation_type: p.operationType }, Math.max(0, now - p.proposedAtMs) / 1000);
    }
    if (!state.committedInTerm && this.log.term(index) === this.currentTerm) {
      state.committedInTerm = true;
      state.reads.assignReadIndex(index);
    }
  }

  protected answerProposal(entry: LogEntry, result: ApplyResult): void {
    const state = this.leaderState();
    if (state === undefined) return;
    const p = state.proposals.get(entry.index);
    if (p === undefined) return;
    state.proposals.delete(entry.index);
    if (state.byRequest.get(p.requestId) === entry.index) state.byRequest.delete(p.requestId);
    if (p.term !== entry.term) return;
    if (entry.command.kind === "config" && !this.voters.includes(this.id) && entry.index === this.configIndex) {
      if (p.client !== null) this.replyOk(p.client, p.requestId, p.attempt, null);
      return this.becomeFollower(this.currentTerm, null); // removed ourselves: hand over once it is committed
    }
    if (p.client === null) return;
    if (result.ok) this.replyOk(p.client, p.requestId, p.attempt, result.value);
    else this.replyError(p.client, p.requestId, p.attempt, result.code, false);
  }

  // ---------------------------------------------------------------- the kit's test-facing propose

  /**
   * Appends a client write to the log, as a leader does for a client request (synced, then replicated),
   * and says where it landed; no client waits for the answer. Refused with NOT_LEADER (and the leader
   * this node believes in), TRANSFERRING while a leadership transfer runs, or QUORUM_UNREACHABLE when
   * `maxPendingRequests` proposals already wait. Run it through `sim.invokeOn` (the cluster's `propose`).
   */
  proposeWrite(op: KvWrite, requestId: string): ProposeResult {
    const state = this.leaderState();
    if (state === undefined) return { accepted: false, code: "NOT_LEADER", ...(this.leaderId === null ? {} : { leaderHint: this.leaderId }) };
    if (state.transfer !== null) return { accepted: false, code: "TRANSFERRING" };
    if (state.proposals.size + state.reads.size >= this.config.maxPendingRequests) return { accepted: false, code: "QUORUM_UNREACHABLE" };
    const term = this.currentTerm;
    const index = this.propose({ kind: "kv", requestId, op }, null, requestId, 0, op.f);
    return { accepted: true, index, term };
  }

  // ---------------------------------------------------------------- clients

  private handleClientRequest(from: NodeId, msg: ClientRequest): void {
    const state = this.leaderState();
    if (state === undefined) return this.replyError(from, msg.requestId, msg.attempt, "LEADER_NOT_FOUND", false, this.leaderId ?? undefined);
    const op = msg.op;
    if (op.f === "get") return this.handleRead(from, msg, op.key);
    if (state.proposals.size + state.reads.size >= this.config.maxPendingRequests) {
      return this.replyError(from, msg.requestId, msg.attempt, "QUORUM_UNREACHABLE", false);
    }
    if (op.f === "add_voter" || op.f === "remove_voter") return this.handleConfigChange(from, msg, op, state);
    if (op.f === "transfer_leader") return this.handleTransferRequest(from, msg, op.node, state);
    if (state.transfer !== null) return this.replyError(from, msg.requestId, msg.attempt, "LEADER_NOT_FOUND", false); // handing over
    const seen = this.kv.lookup(msg.requestId, op.f, this.ctx.now());
    if (seen !== undefined) {
      return seen.ok ? this.replyOk(from, msg.requestId, msg.attempt, seen.value) : this.replyError(from, msg.requestId, msg.attempt, seen.code, false);
    }
    const pendingIndex = state.byRequest.get(msg.requestId);
    const pending = pendingIndex === undefined ? undefined : state.proposals.get(pendingIndex);
    if (pending !== undefined) {
      pending.client = from; // a retry of an entry still in flight waits for that entry
      pending.attempt = msg.attempt;
      return;
    }
    this.propose({ kind: "kv", requestId: msg.requestId, op }, from, msg.requestId, msg.attempt, op.f);
  }

  /**
   * Leadership transfer (thesis §3.10): once the target holds the whole log, it is told to start an election
   * now. New proposals are refused meanwhile; the transfer is given up after one minimum election timeout.
   */
  private handleTransferRequest(from: NodeId, msg: ClientRequest, to: NodeId, state: LeaderState): void {
    if (to === this.id) return this.replyOk(from, msg.requestId, msg.attempt, null);
    if (!this.voters.includes(to)) return this.replyError(from, msg.requestId, msg.attempt, "PERMANENT_FAILURE", false);
    state.transfer = { to, untilMs: this.ctx.now() + this.config.electionTimeoutMsMin };
    state.leaseUntilMs = -Infinity; // the target's election skips the followers' lease: ours ends now
    this.replyOk(from, msg.requestId, msg.attempt, null); // accepted; the client sees the new leader by redirects
    this.maybeSendTimeoutNow(state);
  }

  /** Sends TimeoutNow when the transfer target has caught up; otherwise replication continues toward it. */
  private maybeSendTimeoutNow(state: LeaderState): void {
    const t = state.transfer;
    if (t === null) return;
    const pr = state.progress.get(t.to);
    if (pr === undefined) {
      state.transfer = null; // the target left the configuration
      return;
    }
    if (pr.matchIndex < this.log.lastIndex()) return void this.sendAppends(pr);
    this.ctx.send(t.to, { type: "timeout_now", term: this.currentTerm });
  }

  private handleTimeoutNow(from: NodeId): void {
    this.heardFromLeader(from);
    if (!this.voters.includes(this.id)) return;
    this.ctx.log("info", "leader_transfer_started", { term: this.currentTerm, from });
    this.becomeCandidate(true); // no pre-vote: the leader asked for this election
  }

  /** Single-server change: only after an entry of this term committed, and one change at a time (thesis §4.1). */
  private handleConfigChange(from: NodeId, msg: ClientRequest, op: Extract<ClientOp, { f: "add_voter" | "remove_voter" }>, state: LeaderState): void {
    if (!state.committedInTerm || this.configIndex > this.commitIndex) {
      return this.replyError(from, msg.requestId, msg.attempt, "CONFIG_CHANGE_IN_PROGRESS", false);
    }
    const voters = applyConfigOp(this.voters, op);
    if (voters === undefined) return this.replyOk(from, msg.requestId, msg.attempt, null); // already done
    // only cluster processes can vote (a client id or an unknown name could never answer), and someone must remain
    const known = op.node === this.id || this.ctx.peers.includes(op.node);
    if (!known || voters.length === 0) return this.replyError(from, msg.requestId, msg.attempt, "PERMANENT_FAILURE", false);
    this.propose({ kind: "config", voters }, from, msg.requestId, msg.attempt, "config");
  }

}


/**
 * A behaviour factory for `sim.addNodes(ids, createRaftNode(config))`; validates `config` once, up front.
 * `hooks` reach every incarnation of every node (a cluster helper records applied commands with them).
 */
export function createRaftNode(config: RaftConfig = {}, hooks: RaftNodeHooks = {}): (id: NodeId) => RaftNode {
  const resolved = resolveRaftConfig(config);
  return () => new RaftNode(resolved, hooks);
}
