import { KvStateMachine, type KvClientReply, type KvClientRequest, type KvWrite, type NodeBehavior, type NodeContext, type NodeId } from "@faultline/core";
import type { ResolvedPrimaryBackupConfig } from "./config.js";
import type { PbInspection, InspectablePbReplica } from "./inspect.js";
import type { PbAppend, PbAppendReply, PbEntry, PbFence, PbMessage, PbPromote } from "./messages.js";
import { PrimaryRole } from "./primary-role.js";
import { ReplicaLog } from "./replica-log.js";

/** Hooks a cluster helper gives its replicas. */
export interface PbReplicaHooks {
  /** Called for every entry a replica applies (again after a rebuild), in index order. */
  onApply?(node: NodeId, index: number, entry: PbEntry): void;
}

const TIMER_HEARTBEAT = "heartbeat";
const TIMER_APPLY = "apply";

/**
 * A primary-backup replica. One replica is primary of an epoch (the monitor promotes it); it appends client
 * writes to its log, ships them to every backup, and acknowledges a write once the mode's number of backups
 * has it on disk. Backups accept appends only from the primary of the highest epoch they promised: that
 * promise is the fencing token that shuts an old primary out once the monitor has failed over. Every replica
 * applies its log, up to the primary's commit index, to core's KvStateMachine (exactly once per request).
 */
export class PbReplica implements NodeBehavior<PbMessage>, InspectablePbReplica {
  private ctx!: NodeContext<PbMessage>;
  private log!: ReplicaLog;
  private primary: PrimaryRole | undefined;
  private primaryHint: NodeId | undefined;
  private commitIndex = 0;
  private kv: KvStateMachine;
  private applied = 0;

  constructor(private readonly config: ResolvedPrimaryBackupConfig, private readonly hooks: PbReplicaHooks = {}) {
    this.kv = new KvStateMachine(config.dedupWindowMs);
  }

  inspect(): PbInspection {
    return {
      id: this.ctx.id, role: this.primary === undefined ? "backup" : "primary", promised: this.log.promised, primaryOf: this.primary?.epoch ?? null,
      log: this.log.entries, commitIndex: this.commitIndex, applied: this.applied, data: () => this.kv.toSnapshot().data,
    };
  }

  onStart(ctx: NodeContext<PbMessage>): void {
    this.ctx = ctx;
    this.log = new ReplicaLog(ctx.storage);
    if (this.log.fresh) {
      // first boot: the configured initial primary holds epoch 1, and every replica has promised it
      this.log.promise(1);
      this.log.sync();
      if (ctx.id === this.config.initialPrimary) this.becomePrimary(1);
    } else if (this.log.promised > 0) ctx.probe("pb.restartedWithLog");
    ctx.setTimer(TIMER_HEARTBEAT, this.config.heartbeatMs);
    // a slow apply thread runs at its own pace from boot (the closed-form examples measure exactly that)
    if (this.config.applyIntervalMs > 0) ctx.setTimer(TIMER_APPLY, this.config.applyIntervalMs);
  }

  onTimer(ctx: NodeContext<PbMessage>, name: string): void {
    this.ctx = ctx;
    if (name === TIMER_HEARTBEAT) {
      this.primary?.heartbeat(ctx);
      ctx.setTimer(TIMER_HEARTBEAT, this.config.heartbeatMs);
    } else if (name === TIMER_APPLY) this.applyTick();
  }

  onMessage(ctx: NodeContext<PbMessage>, from: NodeId, msg: PbMessage): void {
    this.ctx = ctx;
    switch (msg.type) {
      case "client_request": return this.onClientRequest(from, msg);
      case "pb_append": return this.onAppend(from, msg);
      case "pb_append_reply": return this.onAppendReply(from, msg);
      case "pb_fence": return this.onFence(from, msg);
      case "pb_promote": return this.onPromote(msg);
      case "pb_ping": return ctx.send(from, { type: "pb_pong", promised: this.log.promised, primaryOf: this.primary?.epoch ?? null, lastIndex: this.log.lastIndex });
      case "client_reply": case "pb_fence_reply": case "pb_pong": return; // not addressed to a replica
      default: {
        const never: never = msg;
        throw new Error(`unknown message ${JSON.stringify(never)}`);
      }
    }
  }

  /** Test-facing propose: a client write submitted here (the primary appends it; a backup refuses). */
  proposeWrite(write: KvWrite, requestId: string, replyTo?: NodeId): { accepted: true; index: number; term: number } | { accepted: false; code: string; leaderHint?: NodeId } {
    if (this.primary === undefined) return { accepted: false, code: "NOT_LEADER", ...(this.primaryHint !== undefined ? { leaderHint: this.primaryHint } : {}) };
    const index = this.primary.accept(this.ctx, write, requestId, replyTo);
    return { accepted: true, index, term: this.primary.epoch };
  }

  private onClientRequest(from: NodeId, msg: KvClientRequest): void {
    const reply = (r: Omit<KvClientReply & { ok: false }, "type" | "requestId" | "attempt" | "ok">) =>
      this.ctx.send(from, { type: "client_reply", requestId: msg.requestId, attempt: msg.attempt, ok: false, ...r });
    if (this.primary === undefined) return reply({ code: "LEADER_NOT_FOUND", ...(this.primaryHint !== undefined ? { leaderHint: this.primaryHint } : {}) });
    if (msg.op.f === "get") {
      // reads are served from the primary's applied state: not linearizable (a deposed primary answers stale)
      return this.ctx.send(from, { type: "client_reply", requestId: msg.requestId, attempt: msg.attempt, ok: true, value: this.kv.get(msg.op.key) });
    }
    this.primary.accept(this.ctx, msg.op, msg.requestId, from, msg.attempt);
  }

  private onAppend(from: NodeId, msg: PbAppend): void {
    // fencing: an append from a primary older than the epoch this replica promised is refused, and the reply
    // carries the promise, which deposes that primary; an append of a newer epoch is a promise too. (The
    // planted bug leaves epochs off the data path: appends are taken from whoever sends them, the reply echoes
    // the append's epoch, and only the monitor's own fence message can depose a primary.)
    const unfenced = this.config.bugs.has("missingFencing");
    const reply = (ok: boolean, matchIndex: number) => {
      const r: PbAppendReply = {
        type: "pb_append_reply", epoch: unfenced ? msg.epoch : this.log.promised, ok, matchIndex, lastIndex: this.log.lastIndex,
        retryFrom: ok ? matchIndex + 1 : this.retryFrom(msg.prevIndex), // the walk back only after a mismatch
      };
      this.ctx.send(from, r);
    };
    if (msg.epoch < this.log.promised) this.ctx.probe("pb.staleAppendReceived");
    if (!unfenced && msg.epoch < this.log.promised) return reply(false, 0);
    if (!unfenced && msg.epoch > this.log.promised) this.adopt(msg.epoch);
    if (this.primary !== undefined) return; // a primary takes no appends (with fencing on, none of its own epoch exists)
    this.primaryHint = from;
    if (this.log.epochAt(msg.prevIndex) !== msg.prevEpoch) return reply(false, 0);
    for (const entry of msg.entries) {
      const mine = this.log.at(entry.index);
      if (mine !== undefined && mine.epoch === entry.epoch) continue;
      if (mine !== undefined) this.truncateFrom(entry.index);
      this.log.append(entry);
    }
    this.log.sync(); // on disk before the acknowledgement: a crash never loses what was acknowledged
    const matchIndex = msg.prevIndex + msg.entries.length;
    // only the prefix this append vouched for may be committed: a longer stale suffix might not match
    this.advanceCommit(Math.min(msg.commitIndex, matchIndex));
    reply(true, matchIndex);
  }

  /** Where a primary whose append did not match at `prevIndex` should try next. */
  private retryFrom(prevIndex: number): number {
    if (prevIndex > this.log.lastIndex) return this.log.lastIndex + 1;
    const epoch = this.log.epochAt(prevIndex);
    let first = prevIndex;
    // bounded by the log's length: walk back over the entries of the epoch at prevIndex
    while (first > 1 && this.log.epochAt(first - 1) === epoch) first--;
    return first;
  }

  private onAppendReply(from: NodeId, msg: PbAppendReply): void {
    if (msg.epoch > this.log.promised) return this.adopt(msg.epoch);
    this.primary?.onReply(this.ctx, from, msg);
  }

  private onFence(from: NodeId, msg: PbFence): void {
    if (msg.epoch > this.log.promised) this.adopt(msg.epoch);
    const ok = msg.epoch === this.log.promised;
    this.ctx.send(from, { type: "pb_fence_reply", epoch: this.log.promised, ok, lastIndex: this.log.lastIndex, lastEpoch: this.log.lastEpoch });
  }

  private onPromote(msg: PbPromote): void {
    if (msg.epoch !== this.log.promised || this.primary !== undefined) return; // a newer epoch was promised since
    this.becomePrimary(msg.epoch);
  }

  /** Promises a newer epoch (durably, before anyone hears of it); a primary of an older one steps down. */
  private adopt(epoch: number): void {
    this.log.promise(epoch);
    this.log.sync();
    if (this.primary !== undefined) {
      this.ctx.log("warn", "primary_stepped_down", { epoch: this.primary.epoch, newEpoch: epoch });
      this.ctx.probe("pb.primarySteppedDown");
      this.primary.abandon(this.ctx);
      this.primary = undefined;
    }
    this.primaryHint = undefined;
  }

  private becomePrimary(epoch: number): void {
    const backups = this.config.replicas.filter((r) => r !== this.ctx.id);
    this.primary = new PrimaryRole(this.config, epoch, backups, this.log, {
      commit: (index) => this.advanceCommit(index),
      result: (index) => this.resultOf(index),
    }, this.commitIndex);
    this.primaryHint = this.ctx.id;
    this.ctx.log("info", "primary_promoted", { epoch });
    this.primary.start(this.ctx);
  }

  private truncateFrom(index: number): void {
    this.ctx.probe("pb.backupTruncatedSuffix");
    this.log.truncate(index - 1);
    if (this.commitIndex >= index || this.applied >= index) {
      // an entry this replica had counted as committed is gone (async mode loses writes this way): start over
      this.ctx.probe("pb.appliedEntryRolledBack");
      this.commitIndex = Math.min(this.commitIndex, index - 1);
      this.kv = new KvStateMachine(this.config.dedupWindowMs);
      this.applied = 0;
    }
  }

  private advanceCommit(index: number): void {
    if (index <= this.commitIndex) return;
    this.commitIndex = Math.min(index, this.log.lastIndex);
    // a throttled backup leaves the applying to its apply tick; a primary applies at once to answer clients
    if (this.config.applyIntervalMs === 0 || this.primary !== undefined) while (this.applied < this.commitIndex) this.applyNext();
  }

  /** A throttled backup (applyIntervalMs > 0) applies one write per tick; no-ops cost no tick. */
  private applyTick(): void {
    const isNoop = () => this.log.at(this.applied + 1)?.op.f === "noop";
    while (this.applied < this.commitIndex && isNoop()) this.applyNext();
    if (this.applied < this.commitIndex) this.applyNext();
    while (this.applied < this.commitIndex && isNoop()) this.applyNext();
    this.ctx.setTimer(TIMER_APPLY, this.config.applyIntervalMs);
  }

  private applyNext(): void {
    const entry = this.log.at(++this.applied)!;
    if (entry.op.f !== "noop") this.kv.apply(entry.requestId, entry.op, entry.atMs);
    this.hooks.onApply?.(this.ctx.id, entry.index, entry);
  }

  /** The state machine's answer to the entry at `index` (applied already). */
  private resultOf(index: number): { ok: true; value: unknown } | { ok: false; code: string } {
    const entry = this.log.at(index)!;
    if (entry.op.f === "noop") return { ok: true, value: null };
    const r = this.kv.lookup(entry.requestId, entry.op.f, entry.atMs);
    return r === undefined || r.ok ? { ok: true, value: r?.value ?? null } : { ok: false, code: r.code };
  }
}

/** The factory of replicas with one configuration (the cluster helper passes its apply hook). */
export function createPbReplica(config: ResolvedPrimaryBackupConfig, hooks: PbReplicaHooks = {}): (id: NodeId) => PbReplica {
  return () => new PbReplica(config, hooks);
}
