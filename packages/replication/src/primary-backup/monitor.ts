import type { NodeBehavior, NodeContext, NodeId } from "@faultline/core";
import type { ResolvedPrimaryBackupConfig } from "./config.js";
import type { PbFenceReply, PbMessage, PbPong } from "./messages.js";

type Phase =
  | { kind: "watching" }
  | { kind: "fencing"; epoch: number; sinceMs: number; replies: Map<NodeId, { lastIndex: number; lastEpoch: number }>; quorumAtMs: number | undefined }
  | { kind: "promoting"; epoch: number; chosen: NodeId; sinceMs: number };

const TIMER_PING = "ping";
const EPOCH = "epoch";

/** What the monitor is doing, for observers and tests. */
export interface MonitorInspection {
  epoch: number;
  primary: NodeId | undefined;
  phase: Phase["kind"];
}

/**
 * The failover monitor (a Sentinel or an orchestrator): pings the replicas, and when the primary has been
 * silent for `failoverTimeoutMs` it fails over. It takes a new epoch (on disk first), asks every replica to
 * promise it (the fence), and once `fenceQuorum` replicas promised, promotes the one with the most complete
 * log (highest last epoch, then longest). The fence quorum meets every set of replicas that acknowledged a
 * write, so in sync and semi-sync modes the new primary holds every acknowledged write; and every replica that
 * promised refuses the old primary from then on. The monitor is one process: while it is down or cut off,
 * no failover happens.
 */
export class FailoverMonitor implements NodeBehavior<PbMessage> {
  private ctx!: NodeContext<PbMessage>;
  private epoch = 0;
  private primary: NodeId | undefined;
  private lastPrimaryPongMs = 0;
  private phase: Phase = { kind: "watching" };

  constructor(private readonly config: ResolvedPrimaryBackupConfig) {}

  inspect(): MonitorInspection {
    return { epoch: this.epoch, primary: this.primary, phase: this.phase.kind };
  }

  onStart(ctx: NodeContext<PbMessage>): void {
    this.ctx = ctx;
    const stored = ctx.storage.get<number>(EPOCH);
    this.epoch = stored ?? 1;
    // at first boot the initial primary holds epoch 1; after a restart the pongs say who is primary
    this.primary = stored === undefined ? this.config.initialPrimary : undefined;
    this.lastPrimaryPongMs = ctx.now();
    ctx.setTimer(TIMER_PING, this.config.pingMs);
  }

  onTimer(ctx: NodeContext<PbMessage>, name: string): void {
    this.ctx = ctx;
    if (name !== TIMER_PING) return;
    for (const r of this.config.replicas) ctx.send(r, { type: "pb_ping" });
    this.evaluate();
    ctx.setTimer(TIMER_PING, this.config.pingMs);
  }

  onMessage(ctx: NodeContext<PbMessage>, from: NodeId, msg: PbMessage): void {
    this.ctx = ctx;
    if (msg.type === "pb_pong") this.onPong(from, msg);
    else if (msg.type === "pb_fence_reply") this.onFenceReply(from, msg);
    else if (msg.type === "client_request") {
      // a client that guessed the monitor: point it at the primary
      const hint = this.primary !== undefined ? { leaderHint: this.primary } : {};
      ctx.send(from, { type: "client_reply", requestId: msg.requestId, attempt: msg.attempt, ok: false, code: "LEADER_NOT_FOUND", ...hint });
    }
  }

  private evaluate(): void {
    const now = this.ctx.now();
    const p = this.phase;
    if (p.kind === "watching" && now - this.lastPrimaryPongMs > this.config.failoverTimeoutMs) return this.startFailover();
    if (p.kind === "fencing" && p.quorumAtMs !== undefined && now - p.quorumAtMs >= this.config.fenceGatherMs) return this.promote(p);
    if (p.kind !== "watching" && now - p.sinceMs > this.config.fenceTimeoutMs) return this.startFailover();
  }

  private onPong(from: NodeId, msg: PbPong): void {
    if (msg.promised > this.epoch) this.learnEpoch(msg.promised);
    if (msg.primaryOf === this.epoch) {
      this.primary = from;
      this.lastPrimaryPongMs = this.ctx.now();
      if (this.phase.kind !== "watching") this.ctx.probe("pb.failoverCompleted");
      this.phase = { kind: "watching" };
    } else if (msg.primaryOf !== null && msg.primaryOf < this.epoch) {
      // an old primary still acting: fence it, so it learns the new epoch and steps down
      this.ctx.probe("pb.stalePrimarySeen");
      this.ctx.send(from, { type: "pb_fence", epoch: this.epoch });
    }
  }

  private onFenceReply(from: NodeId, msg: PbFenceReply): void {
    const p = this.phase;
    if (!msg.ok) {
      if (msg.epoch > this.epoch) this.learnEpoch(msg.epoch);
      return;
    }
    if (p.kind !== "fencing" || msg.epoch !== p.epoch) return;
    p.replies.set(from, { lastIndex: msg.lastIndex, lastEpoch: msg.lastEpoch });
    if (p.replies.size >= this.config.fenceQuorum && p.quorumAtMs === undefined) p.quorumAtMs = this.ctx.now();
    if (p.replies.size === this.config.replicas.length) this.promote(p);
  }

  private startFailover(): void {
    this.epoch++;
    this.ctx.storage.put(EPOCH, this.epoch);
    this.ctx.storage.sync(); // an epoch is never handed out twice, across restarts too
    this.primary = undefined;
    this.phase = { kind: "fencing", epoch: this.epoch, sinceMs: this.ctx.now(), replies: new Map(), quorumAtMs: undefined };
    this.ctx.log("warn", "failover_started", { epoch: this.epoch });
    this.ctx.probe("pb.failoverStarted");
    for (const r of this.config.replicas) this.ctx.send(r, { type: "pb_fence", epoch: this.epoch });
  }

  /** Promotes the replica with the most complete log among those that promised (ties: the first by id). */
  private promote(p: Extract<Phase, { kind: "fencing" }>): void {
    let chosen: NodeId | undefined;
    let best = { lastIndex: -1, lastEpoch: -1 };
    for (const id of [...p.replies.keys()].sort()) {
      const r = p.replies.get(id)!;
      if (r.lastEpoch > best.lastEpoch || (r.lastEpoch === best.lastEpoch && r.lastIndex > best.lastIndex)) [chosen, best] = [id, r];
    }
    this.ctx.log("info", "failover_promoting", { epoch: p.epoch, chosen, lastIndex: best.lastIndex });
    this.phase = { kind: "promoting", epoch: p.epoch, chosen: chosen!, sinceMs: this.ctx.now() };
    this.ctx.send(chosen!, { type: "pb_promote", epoch: p.epoch });
  }

  private learnEpoch(epoch: number): void {
    this.epoch = epoch;
    this.ctx.storage.put(EPOCH, epoch);
    this.ctx.storage.sync();
  }
}
