import { calculateQuorum, type KvResult, type NodeContext, type NodeId } from "@faultline/core";
import type { BugSet } from "../bugs.js";
import { resolvePaxosConfig, type PaxosConfig, type ResolvedPaxosConfig } from "../config.js";
import type { InspectablePaxosNode, PaxosInspection } from "../inspect.js";
import type { ClientReply, PaxosCommand, PaxosMessage, PaxosSnapshot, PValue } from "../messages.js";
import { Acceptor } from "./acceptor.js";
import type { LeaderState } from "./leader.js";
import { Replica } from "./replica.js";
import type { Role } from "./role.js";
import { PaxosStore } from "./store.js";

/**
 * Hooks a cluster helper gives its nodes. They run inside the node's handlers, so they only record (never
 * send, arm timers or throw); they live outside the node and so survive its crashes.
 */
export interface PaxosNodeHooks {
  /**
   * The node applied `command` at `slot` (decided at a ballot of round `round`), in slot order. `executed`: the
   * state machine ran it (a write that was not a duplicate); what the exactly-once check reads.
   */
  onApply?(node: NodeId, slot: number, round: number, command: PaxosCommand, executed: boolean): void;
}

/** What applying one slot produced, for the client waiting for it. */
export type ApplyResult = KvResult;

/**
 * The state half of a Multi-Paxos node: acceptor and replica state kept in step with the disk, the apply loop
 * over the key-value state machine, compaction, serving catch-up, client replies and inspection.
 * {@link PaxosNode} adds the protocol: roles, phases, timers and messages.
 */
export abstract class PaxosCore implements InspectablePaxosNode {
  readonly config: ResolvedPaxosConfig;
  /** The enabled planted bugs (a teaching aid; empty by default). */
  readonly bugs: BugSet;
  protected ctx!: NodeContext<PaxosMessage>;
  protected id: NodeId = "";
  protected store!: PaxosStore;
  acceptor!: Acceptor;
  replica!: Replica;
  role: Role = { kind: "follower" };
  /** The leader this node follows (itself when leading), if any. */
  leaderId: NodeId | null = null;

  constructor(config: PaxosConfig | ResolvedPaxosConfig = {}, protected readonly hooks: PaxosNodeHooks = {}) {
    this.config = resolvePaxosConfig(config);
    this.bugs = this.config.bugs;
  }

  /** Recovers acceptor and replica state from the disk and applies the decisions found there. @throws StorageCorruptionError */
  protected recover(ctx: NodeContext<PaxosMessage>): void {
    this.ctx = ctx;
    this.id = ctx.id;
    this.store = new PaxosStore(ctx.storage);
    const disk = this.store.recover(); // a StorageCorruptionError propagates: the engine fail-stops us
    this.replica = new Replica(this.store, this.config.dedupWindowMs);
    this.replica.recover(disk);
    this.acceptor = new Acceptor(this.store);
    this.acceptor.recover(disk, this.replica.snapshotSlot);
    this.applyReady();
  }

  /** Answers the client waiting for the slot just applied (leader only). */
  protected abstract answerClient(state: LeaderState, pvalue: PValue, result: ApplyResult): void;

  // ---------------------------------------------------------------- inspection

  /** The read-only view observers use (the accepted map is shared, not copied). */
  inspect(): PaxosInspection {
    const r = this.role;
    const ballot = r.kind === "leader" ? r.state.ballot : r.kind === "candidate" ? r.ballot : this.followedBallot;
    return {
      id: this.id, role: r.kind, promised: this.acceptor.promised, ballot, leaderId: this.leaderId,
      accepted: this.acceptor.accepted,
      compactedThrough: this.acceptor.compactedThrough, appliedThrough: this.replica.appliedThrough,
      inflight: r.kind === "leader" ? r.state.proposals.size : 0,
    };
  }

  /** The ballot of the leader this node follows, if any. */
  protected followedBallot: PaxosInspection["ballot"] = null;

  /** Whether this node leads. */
  isLeader(): boolean {
    return this.role.kind === "leader";
  }

  /** Records in the persisted logs (bounded by compaction). */
  persistedRecords(): number {
    return this.store.persistedRecords();
  }

  protected leaderState(): LeaderState | undefined {
    return this.role.kind === "leader" ? this.role.state : undefined;
  }

  /** Acceptors needed for a quorum: a majority of the cluster. */
  protected majority(): number {
    return calculateQuorum(this.ctx.peers.length + 1);
  }

  // ---------------------------------------------------------------- accept

  /**
   * The acceptor accepts `pv` (synced before anything that depends on it leaves) and says so in a
   * `pvalue_accepted` event: observers count acceptances from these events, which reach them even when the node
   * crashes at the end of the step.
   */
  protected accept(pv: PValue): void {
    this.acceptor.accept(pv);
    this.store.sync();
    this.ctx.log("debug", "pvalue_accepted", { term: pv.ballot.round, slot: pv.slot, ballot: pv.ballot, digest: pv.digest });
  }

  // ---------------------------------------------------------------- apply

  /** Applies the decided slots that follow the applied prefix, in order, then maybe compacts. */
  protected applyReady(): void {
    const limit = this.replica.decided.size; // each pass applies one decision: a bound
    for (let k = 0; k < limit; k++) {
      const pv = this.replica.next();
      if (pv === undefined) break;
      this.applyOne(pv);
    }
    this.maybeCompact();
  }

  private applyOne(pv: PValue): void {
    const kv = this.replica.kv;
    const executedBefore = kv.executed;
    const result = this.execute(pv);
    this.replica.appliedThrough = pv.slot;
    this.hooks.onApply?.(this.id, pv.slot, pv.ballot.round, pv.command, kv.executed !== executedBefore);
    this.ctx.log("info", "commit_applied", { term: pv.ballot.round, slot: pv.slot, ballot: `${pv.ballot.round}.${pv.ballot.leader}`, digest: pv.digest });
    const state = this.leaderState();
    if (state !== undefined) this.answerClient(state, pv, result);
  }

  private execute(pv: PValue): ApplyResult {
    const c = pv.command;
    switch (c.kind) {
      case "noop":
        return { ok: true, value: null };
      case "read":
        return { ok: true, value: this.replica.kv.get(c.key) };
      case "kv": {
        // planted bug duplicateExecution: the dedup key names the slot, so the same request in two slots runs twice
        const key = this.bugs.has("duplicateExecution") ? `${c.requestId}#${pv.slot}` : c.requestId;
        return this.replica.kv.apply(key, c.op, c.atMs);
      }
    }
  }

  /** Compacts applied slots into a snapshot once enough piled up (bounds the persisted logs). */
  private maybeCompact(): void {
    const due = this.replica.shouldCompact(this.config.snapshotThresholdSlots);
    // buggify: compact now, below the threshold (any applied prefix may be snapshotted)
    if (!due && !(this.replica.appliedThrough > this.replica.snapshotSlot && this.ctx.buggify("paxos.snapshotNow"))) return;
    const snapshot = this.replica.takeSnapshot();
    const remaining = this.acceptor.compactTo(snapshot.slot);
    this.store.compact(snapshot, remaining, this.replica.decided.values());
    this.store.sync();
  }

  /** Replaces the state up to `snapshot.slot` with a newer snapshot from another node (synced). */
  protected installSnapshot(snapshot: PaxosSnapshot): void {
    this.replica.install(snapshot);
    const remaining = this.acceptor.compactTo(snapshot.slot);
    this.store.compact(snapshot, remaining, this.replica.decided.values());
    this.store.sync();
    this.ctx.log("info", "snapshot_installed", { term: this.acceptor.promised.round, slot: snapshot.slot });
    this.applyReady();
  }

  // ---------------------------------------------------------------- catch-up

  /** Answers a lagging replica from what this node decided: its snapshot when the replica is behind it, then decisions. */
  protected serveCatchup(to: NodeId, fromSlot: number): void {
    const max = this.config.maxDecisionsPerMessage;
    const snapshot = this.replica.snapshot;
    if (snapshot !== undefined && fromSlot <= snapshot.slot) {
      this.ctx.send(to, { type: "snapshot", snapshot, decisions: this.replica.decisionsFrom(snapshot.slot + 1, max) });
      return;
    }
    const decisions = this.replica.decisionsFrom(fromSlot, max);
    if (decisions.length > 0) this.ctx.send(to, { type: "decisions", decisions });
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
