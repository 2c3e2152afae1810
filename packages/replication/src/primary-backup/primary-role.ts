import type { KvWrite, NodeContext, NodeId } from "@faultline/core";
import type { ResolvedPrimaryBackupConfig } from "./config.js";
import type { PbAppendReply, PbEntry, PbMessage } from "./messages.js";
import type { ReplicaLog } from "./replica-log.js";

/** A write waiting for its acknowledgements. */
interface PendingWrite {
  index: number;
  requestId: string;
  op: KvWrite["f"];
  client: NodeId | undefined;
  attempt: number;
  acceptedAtMs: number;
}

/** What the replica does for its primary role: commit (and apply) up to an index, and tell an entry's result. */
export interface PrimaryCallbacks {
  commit(index: number): void;
  result(index: number): { ok: true; value: unknown } | { ok: false; code: string };
}

/** Most writes a primary holds waiting for acknowledgements: a bound (clients retry when refused). */
export const MAX_PENDING_WRITES = 10_000;

/**
 * The primary's side of one epoch: per-backup progress, the writes waiting for acknowledgements, and the
 * commit rule (the acksRequired-th highest backup match, counted only over entries of this epoch, as Raft
 * counts only its own term's entries: an older epoch's entry is committed by the no-op that starts this one).
 */
export class PrimaryRole {
  private readonly matchIndex = new Map<NodeId, number>();
  private readonly nextIndex = new Map<NodeId, number>();
  private readonly inflight = new Set<NodeId>();
  /** Backups that answered this primary: until one does, its lag is unknown and not reported. */
  private readonly heard = new Set<NodeId>();
  private readonly pending = new Map<number, PendingWrite>();
  private committed: number;

  constructor(
    private readonly config: ResolvedPrimaryBackupConfig,
    readonly epoch: number,
    private readonly backups: readonly NodeId[],
    private readonly log: ReplicaLog,
    private readonly callbacks: PrimaryCallbacks,
    committedIndex = 0,
  ) {
    this.committed = committedIndex;
  }

  /** Starts the epoch: a no-op entry of its own, shipped to every backup. */
  start(ctx: NodeContext<PbMessage>): void {
    this.appendEntry({ index: this.log.lastIndex + 1, epoch: this.epoch, requestId: "", op: { f: "noop" }, atMs: ctx.now() });
    for (const b of this.backups) {
      this.matchIndex.set(b, 0);
      this.nextIndex.set(b, this.log.lastIndex);
    }
    // this replica is no follower now: a lag an earlier primary reported for it would be stale
    ctx.metrics.set("replication_lag_seconds", { follower_id: ctx.id }, 0);
    this.sendAll(ctx);
    this.maybeCommit(ctx);
  }

  /** Appends a client write; returns its index. It is acknowledged when committed (at once in async mode). */
  accept(ctx: NodeContext<PbMessage>, op: KvWrite, requestId: string, client: NodeId | undefined, attempt = 1): number {
    if (this.pending.size >= MAX_PENDING_WRITES) {
      if (client !== undefined) ctx.send(client, { type: "client_reply", requestId, attempt, ok: false, code: "QUORUM_UNREACHABLE" });
      return 0;
    }
    const index = this.log.lastIndex + 1;
    this.appendEntry({ index, epoch: this.epoch, requestId, op, atMs: ctx.now() });
    this.pending.set(index, { index, requestId, op: op.f, client, attempt, acceptedAtMs: ctx.now() });
    for (const b of this.backups) if (!this.inflight.has(b)) this.send(ctx, b);
    this.maybeCommit(ctx);
    return index;
  }

  /** Every heartbeat: an append to each backup (retransmission, and the commit index for backups). */
  heartbeat(ctx: NodeContext<PbMessage>): void {
    this.sendAll(ctx);
    for (const b of this.backups) this.reportLag(ctx, b);
  }

  onReply(ctx: NodeContext<PbMessage>, from: NodeId, msg: PbAppendReply): void {
    if (msg.epoch !== this.epoch || !this.matchIndex.has(from)) return; // a reply to an older primary's append
    this.inflight.delete(from);
    this.heard.add(from);
    if (msg.ok) {
      const match = Math.max(this.matchIndex.get(from)!, msg.matchIndex);
      this.matchIndex.set(from, match);
      this.nextIndex.set(from, match + 1);
      this.reportLag(ctx, from);
      this.maybeCommit(ctx);
    } else {
      const next = this.nextIndex.get(from)!;
      this.nextIndex.set(from, Math.max(1, Math.min(next - 1, msg.retryFrom)));
    }
    if (this.nextIndex.get(from)! <= this.log.lastIndex) this.send(ctx, from);
  }

  /** The primary stepped down: every waiting client learns that its write's fate is unknown. */
  abandon(ctx: NodeContext<PbMessage>): void {
    for (const p of this.pending.values()) {
      if (p.client !== undefined) ctx.send(p.client, { type: "client_reply", requestId: p.requestId, attempt: p.attempt, ok: false, code: "LEADER_NOT_FOUND", unknown: true });
    }
    this.pending.clear();
  }

  private appendEntry(entry: PbEntry): void {
    this.log.append(entry);
    this.log.sync(); // the primary's own copy is on disk before any backup can acknowledge it
  }

  private sendAll(ctx: NodeContext<PbMessage>): void {
    for (const b of this.backups) this.send(ctx, b);
  }

  private send(ctx: NodeContext<PbMessage>, backup: NodeId): void {
    const next = this.nextIndex.get(backup)!;
    const prevIndex = next - 1;
    // legal: a primary may ship any batch size; one entry at a time exercises backtracking and slow catch-up
    const max = ctx.buggify("pb.sendOneEntry") ? 1 : this.config.maxEntriesPerAppend;
    ctx.send(backup, { type: "pb_append", epoch: this.epoch, prevIndex, prevEpoch: this.log.epochAt(prevIndex) ?? 0, entries: this.log.slice(next, max), commitIndex: this.committed });
    this.inflight.add(backup);
  }

  private maybeCommit(ctx: NodeContext<PbMessage>): void {
    const required = this.config.acksRequired;
    const matches = [...this.matchIndex.values()].sort((a, b) => b - a);
    const candidate = required === 0 ? this.log.lastIndex : Math.min(matches[required - 1] ?? 0, this.log.lastIndex);
    if (candidate <= this.committed || this.log.epochAt(candidate) !== this.epoch) return;
    this.committed = candidate;
    this.callbacks.commit(candidate);
    for (const [index, p] of this.pending) {
      if (index > candidate) break;
      this.pending.delete(index);
      this.acknowledge(ctx, p);
    }
  }

  private acknowledge(ctx: NodeContext<PbMessage>, p: PendingWrite): void {
    const result = this.callbacks.result(p.index);
    if (p.client !== undefined) {
      const base = { type: "client_reply" as const, requestId: p.requestId, attempt: p.attempt };
      ctx.send(p.client, result.ok ? { ...base, ok: true, value: result.value } : { ...base, ok: false, code: result.code });
    }
    ctx.log("info", "write_acknowledged", { index: p.index, epoch: this.epoch, requestId: p.requestId });
    ctx.metrics.observe("consensus_latency_seconds", { operation_type: p.op }, Math.max(0, ctx.now() - p.acceptedAtMs) / 1000);
  }

  /** replication_lag_seconds{follower_id}: the age of the oldest entry the backup lacks (0 when it has them all). */
  private reportLag(ctx: NodeContext<PbMessage>, backup: NodeId): void {
    if (!this.heard.has(backup)) return;
    const missing = this.log.at(this.matchIndex.get(backup)! + 1);
    ctx.metrics.set("replication_lag_seconds", { follower_id: backup }, missing === undefined ? 0 : Math.max(0, ctx.now() - missing.atMs) / 1000);
  }
}
