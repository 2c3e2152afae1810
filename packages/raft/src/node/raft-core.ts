import { KvStateMachine, type KvSnapshotData, type NodeContext, type NodeId } from "@faultline/core";
import type { BugSet } from "../bugs.js";
import { resolveRaftConfig, type RaftConfig, type ResolvedRaftConfig } from "../config.js";
import type { InspectableRaftNode, RaftInspection } from "../inspect.js";
import { LogStore } from "../log/log-store.js";
import { RaftLog } from "../log/raft-log.js";
import type { ClientReply, LogEntry, RaftCommand, RaftMessage, RaftSnapshot } from "../messages.js";
import { configIndexAt, isQuorum, votersAt } from "./membership.js";
import { Progress } from "./progress.js";
import { unreachable, type LeaderState, type Role } from "./role.js";

/**
 * Hooks a cluster helper gives its nodes. They run inside the node's handlers, so they must only record
 * (never send, arm timers or throw); they live outside the node and so survive its crashes.
 */
export interface RaftNodeHooks {
  /** The node applied `command` at `index` (an entry of `term`), in index order: the kit's applied-commands record. */
  onApply?(node: NodeId, index: number, term: number, command: RaftCommand): void;
}

/** What applying one entry produced: a client's answer, when a client waits for it. */
export type ApplyResult = { ok: true; value: unknown } | { ok: false; code: string; value: unknown };

/**
 * The state half of a Raft node: its durable state (term, vote, log, commit index, snapshot) kept in step with
 * storage, the replicated state machine and its apply loop, the configuration in effect, and client replies.
 * {@link RaftNode} adds the protocol on top: messages, roles, timers, replication and reads.
 *
 * Durable state is written here and synced before anything that depends on it leaves the node.
 */
export abstract class RaftCore implements InspectableRaftNode {
  readonly config: ResolvedRaftConfig;
  /** The enabled planted bugs (a teaching aid; empty by default). */
  readonly bugs: BugSet;

  // persistent state (mirrored in storage)
  currentTerm = 0;
  votedFor: NodeId | null = null;
  log = new RaftLog();
  commitIndex = 0;
  snapshot: RaftSnapshot | undefined;

  // volatile state
  role: Role = { kind: "follower" };
  leaderId: NodeId | null = null;
  lastApplied = 0;
  voters: readonly NodeId[] = [];
  /** The term this incarnation recovered from disk (0 on a first boot). */
  protected recoveredTerm = 0;
  /** Index of the latest config entry in the log (0: the config came from the snapshot or the bootstrap). */
  configIndex = 0;
  /** The replicated key-value state machine (core's, shared with every protocol). */
  readonly kv: KvStateMachine;

  protected ctx!: NodeContext<RaftMessage>;
  protected store!: LogStore;
  protected id: NodeId = "";
  /** Set while answering a RequestVote under the forgetVote bug: hard-state writes are skipped. */
  protected skipHardStatePersist = false;

  constructor(config: RaftConfig | ResolvedRaftConfig = {}, protected readonly hooks: RaftNodeHooks = {}) {
    this.config = resolveRaftConfig(config);
    this.bugs = this.config.bugs;
    this.kv = new KvStateMachine(this.config.dedupWindowMs);
  }

  /** Recovers every durable field from `ctx.storage` and re-applies the committed log. @throws StorageCorruptionError */
  protected recover(ctx: NodeContext<RaftMessage>): void {
    this.ctx = ctx;
    this.id = ctx.id;
    this.store = new LogStore(ctx.storage);
    const recovered = this.store.recover(); // a StorageCorruptionError propagates: the engine fail-stops us
    this.currentTerm = recovered.hard.term;
    this.recoveredTerm = recovered.hard.term;
    // planted bug restartForgetsVote: the vote on disk is not read back
    this.votedFor = this.bugs.has("restartForgetsVote") ? null : recovered.hard.votedFor;
    this.log = recovered.log;
    this.snapshot = recovered.snapshot;
    if (recovered.snapshot !== undefined) this.kv.restore(recovered.snapshot.state as KvSnapshotData);
    this.lastApplied = this.log.snapshotIndex;
    this.commitIndex = recovered.commitIndex;
    this.refreshConfig();
    this.applyCommitted();
  }

  /** The leader learned that entries (previous, index] committed (metrics, ReadIndex bookkeeping). */
  protected abstract leaderCommitted(state: LeaderState, previous: number, index: number): void;
  /** An applied entry's result, for the client that waits for it (leader only). */
  protected abstract answerProposal(entry: LogEntry, result: ApplyResult): void;
  /** Serves the reads whose read index is now applied (leader only). */
  protected abstract serveReads(state: LeaderState): void;

  // ---------------------------------------------------------------- inspection

  /** The read-only view invariants use (entries are shared, not copied: see RaftLog). */
  inspect(): RaftInspection {
    return {
      id: this.id, role: this.role.kind, currentTerm: this.currentTerm, votedFor: this.votedFor, leaderId: this.leaderId,
      snapshotIndex: this.log.snapshotIndex, snapshotTerm: this.log.snapshotTerm, entries: this.log.entries,
      commitIndex: this.commitIndex, lastApplied: this.lastApplied, voters: this.voters,
    };
  }

  /** Whether this node is leader. */
  isLeader(): boolean {
    return this.role.kind === "leader";
  }

  /** Records in the live persisted log (bounded by compaction). */
  persistedLogLength(): number {
    return this.store.persistedLength();
  }

  /** The leader-only state, when this node leads. */
  protected leaderState(): LeaderState | undefined {
    return this.role.kind === "leader" ? this.role.state : undefined;
  }

  // ---------------------------------------------------------------- snapshots

  /** Replaces the whole log and state machine with `s` (persisted and synced first). */
  protected installSnapshot(s: RaftSnapshot): void {
    this.log = new RaftLog();
    this.log.compactTo(s.index, s.term);
    this.snapshot = s;
    this.kv.restore(s.state as KvSnapshotData);
    this.commitIndex = s.index;
    this.lastApplied = s.index;
    this.store.saveSnapshot(s, []);
    this.store.saveCommitIndex(s.index);
    this.store.sync();
    this.refreshConfig();
    this.ctx.log("info", "snapshot_installed", { term: this.currentTerm, snapshotIndex: s.index, snapshotTerm: s.term });
  }

  // ---------------------------------------------------------------- commit and apply

  /** A follower's commit: up to `index`, never backwards. */
  protected maybeCommitTo(index: number): void {
    if (index > this.commitIndex) this.commitTo(index);
  }

  /** Persists and syncs the commit index (it never decreases, even across a crash), then applies. */
  protected commitTo(index: number): void {
    const previous = this.commitIndex;
    this.commitIndex = index;
    this.store.saveCommitIndex(index);
    this.store.sync();
    const state = this.leaderState();
    if (state !== undefined) this.leaderCommitted(state, previous, index);
    this.applyCommitted();
    if (state !== undefined && this.role.kind === "leader") this.serveReads(state);
  }

  /** Applies committed entries in index order (bounded by commitIndex - lastApplied), then maybe compacts. */
  protected applyCommitted(): void {
    while (this.lastApplied < this.commitIndex) {
      const index = this.lastApplied + 1;
      const entry = this.log.entry(index);
      if (entry === undefined) break; // not held yet (a follower's commit never exceeds its log)
      this.lastApplied = index;
      const result = this.applyEntry(entry);
      this.hooks.onApply?.(this.id, index, entry.term, entry.command);
      this.ctx.log("info", "commit_applied", { term: this.currentTerm, index, entryTerm: entry.term, digest: entry.digest });
      this.answerProposal(entry, result);
    }
    this.maybeCompact();
  }

  protected applyEntry(entry: LogEntry): ApplyResult {
    const c = entry.command;
    switch (c.kind) {
      case "noop": return { ok: true, value: null };
      case "config": return { ok: true, value: null };
      case "kv": return this.kv.apply(c.requestId, c.op, entry.atMs);
      default: return unreachable(c);
    }
  }

  /** Compacts the log into a snapshot once enough applied entries accumulated (bounds the persisted log). */
  protected maybeCompact(): void {
    const applied = this.lastApplied - this.log.snapshotIndex;
    // buggify: compact now, below the threshold (any applied prefix may be snapshotted)
    if (applied < this.config.snapshotThresholdEntries && !(applied > 0 && this.ctx.buggify("raft.snapshotNow"))) return;
    const index = this.lastApplied;
    const s: RaftSnapshot = { index, term: this.log.term(index)!, voters: this.votersAt(index), state: this.kv.toSnapshot() };
    this.log.compactTo(index, s.term);
    this.snapshot = s;
    this.store.saveSnapshot(s, this.log.entries);
    this.store.sync();
  }

  // ---------------------------------------------------------------- log and durable state

  protected appendToLog(entries: readonly LogEntry[]): void {
    if (entries.length === 0) return;
    this.log.append(entries);
    this.store.appendEntries(entries);
    for (const e of entries) if (e.command.kind === "config") this.setConfig(e.command.voters, e.index);
  }

  protected truncateLogAfter(index: number): void {
    if (index >= this.log.lastIndex()) return;
    this.log.truncateAfter(index);
    this.store.truncateAfter(index);
    if (this.configIndex > index) this.refreshConfig();
  }

  protected persistHardState(): void {
    if (this.skipHardStatePersist) return; // planted bug forgetVote: the reply goes out with nothing on disk
    this.store.saveHardState({ term: this.currentTerm, votedFor: this.votedFor });
    this.store.sync();
  }

  // ---------------------------------------------------------------- membership

  protected bootstrapVoters(): readonly NodeId[] {
    return this.config.voters ?? [this.id, ...this.ctx.peers].sort();
  }

  protected votersAt(index: number): readonly NodeId[] {
    return votersAt(this.log, this.snapshot, this.bootstrapVoters(), index);
  }

  /** Recomputes the configuration from the log (after recovery, truncation or a snapshot). */
  protected refreshConfig(): void {
    const last = this.log.lastIndex();
    this.setConfig(this.votersAt(last), configIndexAt(this.log, last));
  }

  protected setConfig(voters: readonly NodeId[], index: number): void {
    this.voters = voters;
    this.configIndex = index;
    this.syncProgress();
  }

  /** Keeps the leader's progress map equal to the other voters of the current config. */
  protected syncProgress(): void {
    const state = this.leaderState();
    if (state === undefined) return;
    for (const v of this.voters) {
      if (v !== this.id && !state.progress.has(v)) state.progress.set(v, new Progress(v, this.log.lastIndex()));
    }
    for (const id of [...state.progress.keys()]) if (!this.voters.includes(id)) state.progress.delete(id);
  }

  protected hasQuorum(ids: ReadonlySet<NodeId>): boolean {
    return isQuorum(this.voters, ids);
  }

  // ---------------------------------------------------------------- client replies

  protected replyOk(to: NodeId, requestId: string, attempt: number, value: unknown): void {
    const reply: ClientReply = { type: "client_reply", requestId, attempt, ok: true, value };
    this.ctx.send(to, reply);
  }

  protected replyError(to: NodeId, requestId: string, attempt: number, code: string, unknown: boolean, leaderHint?: NodeId): void {
    const reply: ClientReply = { type: "client_reply", requestId, attempt, ok: false, code };
    if (unknown) reply.unknown = true;
    if (leaderHint !== undefined) reply.leaderHint = leaderHint;
    this.ctx.send(to, reply);
  }
}
