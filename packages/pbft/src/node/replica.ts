import { ConfigError, type KvWrite, type NodeBehavior, type NodeContext, type NodeId, type ProposeResult } from "@faultline/core";
import { authentic, newViewText, requestText, signerFor, viewChangeText } from "../auth.js";
import { clusterShape, naturalOrder, resolvePbftConfig, type PbftConfig, type ResolvedPbftConfig } from "../config.js";
import type { InspectablePbftReplica, PbftInspection } from "../inspect.js";
import type { NewView, PbftMessage, PreparedCert, PrePrepare, RequestMsg, ViewChange } from "../messages.js";
import { ByzantineActor, isByzantineBehavior, PBFT_BYZANTINE_BEHAVIORS, type ByzantineHost } from "./byzantine.js";
import { validPrePrepare, validViewChange } from "./certs.js";
import type { Slot } from "./message-log.js";
import { computeNewView, matchesPlan, preparedSet, type NewViewPlan } from "./new-view.js";
import { quorums } from "./quorums.js";
import { NormalCaseReplica, TIMER_STATUS, TIMER_VIEW_CHANGE } from "./normal-case.js";
import type { PbftReplicaHooks } from "./replica-base.js";

const KEY_BYZANTINE = "byzantine";

/**
 * A PBFT replica (Castro & Liskov, OSDI'99 and TOCS 2002) running the shared key-value service, as a
 * Faultline {@link NodeBehavior}: the normal case (pre-prepare, prepare, commit; execution in sequence
 * order), checkpoints with watermarks and state transfer, and view changes (VIEW-CHANGE with the stable
 * checkpoint and prepared certificates, NEW-VIEW with V and O, O recomputed by the backups, timeouts that
 * double per failed view change, the f+1 join rule). A `byzantine` fault switches it to one of
 * {@link PBFT_BYZANTINE_BEHAVIORS}.
 *
 * Every handler ends in `flush()`: what it wrote to disk is synced before any message it produced leaves.
 * The layers: {@link ReplicaBase} (state, outbox, execution, checkpoints, state transfer), then
 * {@link NormalCaseReplica} (requests, the three phases, status), then this class (the handlers, view
 * changes, recovery from disk, the byzantine switch, inspection and the cluster API).
 */
export class PbftReplica extends NormalCaseReplica implements NodeBehavior<PbftMessage>, InspectablePbftReplica {
  /** The latest VIEW-CHANGE of each replica (its own included). */
  private readonly latestVc = new Map<NodeId, ViewChange>();

  constructor(config: ResolvedPbftConfig, hooks: PbftReplicaHooks = {}) {
    super(config, hooks);
  }

  // ---------------------------------------------------------------- NodeBehavior

  onStart(ctx: NodeContext<PbftMessage>): void {
    this.initContext(ctx);
    const replicas = this.config.replicas ?? naturalOrder([ctx.id, ...ctx.peers]);
    const shape = clusterShape(replicas.length, this.config.faultTolerance);
    this.q = quorums(replicas, shape.f, shape.quorum, this.config.bugs);
    this.replicaSet = new Set(replicas);
    this.recover();
    ctx.setTimer(TIMER_STATUS, this.config.statusIntervalMs);
    this.flush();
  }

  onMessage(ctx: NodeContext<PbftMessage>, from: NodeId, msg: PbftMessage): void {
    this.ctx = ctx;
    if (msg === null || typeof msg !== "object") return;
    this.byz?.onReceive(from, msg);
    this.dispatch(from, msg);
    this.flush();
  }

  onTimer(ctx: NodeContext<PbftMessage>, name: string): void {
    this.ctx = ctx;
    if (name === TIMER_VIEW_CHANGE) this.onViewChangeTimer();
    else if (name === TIMER_STATUS) this.onStatusTick();
    this.flush();
  }

  onByzantine(ctx: NodeContext<PbftMessage>, behavior: string): void {
    this.ctx = ctx;
    if (!isByzantineBehavior(behavior)) {
      throw new ConfigError("byzantine.behavior", `must be a PBFT behaviour (${Object.keys(PBFT_BYZANTINE_BEHAVIORS).join(", ")})`, behavior);
    }
    this.byz = new ByzantineActor(behavior, this.byzantineHost());
    ctx.storage.put(KEY_BYZANTINE, behavior); // it stays byzantine across restarts
    ctx.log("warn", "byzantine", { behavior });
    this.flush();
  }

  private dispatch(from: NodeId, msg: PbftMessage): void {
    switch (msg.type) {
      case "request": return this.onRequest(from, msg);
      case "pre-prepare": return void (msg.replica === from && this.onPrePrepare(msg));
      case "prepare": case "commit": return void (msg.replica === from && this.onVote(msg));
      case "checkpoint": return void (msg.replica === from && authentic(msg) && this.addCheckpointVote(msg));
      case "view-change": return void (msg.replica === from && this.onViewChange(from, msg));
      case "new-view": return this.onNewView(msg);
      case "status": return void (msg.replica === from && this.replicaSet.has(from) && this.onStatus(from, msg));
      case "commit-cert": return this.onCommitCert(msg);
      case "state": return this.handleState(msg);
      case "reply": return;
      default: return;
    }
  }

  // ---------------------------------------------------------------- view changes

  private onViewChangeTimer(): void {
    this.vcTimerArmed = false;
    if (this.active && this.pending.size === 0) return;
    if (!this.active) this.ctx.metrics.inc("leader_elections_total", { result: "timeout" });
    this.startViewChange(this.view + 1);
  }

  /** Moves to view `target` (> view): stops the normal case and sends a VIEW-CHANGE. */
  protected startViewChange(target: number): void {
    if (target <= this.view) return;
    this.view = target;
    this.active = false;
    this.vcFailures++;
    this.newView = undefined;
    this.prePrepareAtMs.clear(); // a primary no more: its proposals' latencies are not measured
    if (this.vcFailures > 1) this.ctx.probe("pbft.timeoutDoubled");
    this.myVc = this.ownViewChange(target);
    this.latestVc.set(this.id, this.myVc);
    this.store.saveView({ view: target, active: false });
    this.broadcast(this.myVc);
    this.cancelViewChangeTimer();
    this.ctx.log("info", "view_change_started", { view: target });
    this.maybeArmNewViewTimer();
    this.maybeSendNewView();
  }

  /**
   * A replica waiting for the NEW-VIEW of its view starts its timer only once 2f+1 replicas asked for that view
   * or a later one (Castro & Liskov §4.5.2): a replica that ran ahead alone waits for the others instead of
   * moving on and on, and the ones behind it count it, so they move up to it.
   */
  private maybeArmNewViewTimer(): void {
    if (this.active || this.vcTimerArmed) return;
    let asking = 0;
    for (const vc of this.latestVc.values()) if (vc.view >= this.view) asking++;
    if (asking >= this.q.quorum) this.armViewChangeTimer();
  }

  /** <VIEW-CHANGE, v, n, C, P, i> of this replica for `view`. */
  private ownViewChange(view: number): ViewChange {
    let prepared = preparedSet(this.log.preparedCerts(), this.stable.seq, this.L);
    if (this.byz !== undefined) prepared = this.byz.alterPrepared(prepared);
    const body = { view, stable: this.stable, prepared };
    return { type: "view-change", ...body, replica: this.id, sig: this.signer.sign(viewChangeText(body)) };
  }

  private onViewChange(from: NodeId, vc: ViewChange): void {
    if (!validViewChange(vc, this.q, this.L)) return this.ctx.probe("pbft.badViewChangeRejected");
    if (vc.view < this.view || (vc.view === this.view && this.active)) {
      if (this.active && this.newView !== undefined) this.send(from, this.newView); // it missed our NEW-VIEW
      return;
    }
    const prev = this.latestVc.get(from);
    if (prev === undefined || vc.view >= prev.view) this.latestVc.set(from, vc);
    this.maybeJoin();
    this.maybeArmNewViewTimer();
    this.maybeSendNewView();
  }

  /** The f+1 rule: when f+1 other replicas ask for views above ours, join the smallest of those views. */
  private maybeJoin(): void {
    const above: number[] = [];
    for (const [r, vc] of this.latestVc) if (r !== this.id && vc.view > this.view) above.push(vc.view);
    if (above.length < this.q.weak) return;
    above.sort((a, b) => b - a);
    this.ctx.probe("pbft.joinedViewChange");
    this.startViewChange(above[this.q.weak - 1]!);
  }

  /** The new primary, once it holds 2f+1 view changes for its view, computes O and sends NEW-VIEW. */
  private maybeSendNewView(): void {
    if (this.active || this.newView !== undefined || this.q.primary(this.view) !== this.id) return;
    const V: ViewChange[] = [];
    for (const r of this.q.replicas) {
      const vc = this.latestVc.get(r);
      if (vc !== undefined && vc.view === this.view) V.push(vc);
    }
    if (V.length < this.q.quorum) return;
    const plan = computeNewView(V, this.config.bugs);
    const order = this.byz !== undefined ? this.byz.alterOrder(plan.order) : plan.order;
    const prePrepares = order.map((e) => this.makePrePrepare(this.view, e.seq, e.digest, e.request));
    const body = { view: this.view, viewChanges: V, prePrepares };
    const nv: NewView = { type: "new-view", ...body, replica: this.id, sig: this.signer.sign(newViewText(body)) };
    this.broadcast(nv);
    this.ctx.metrics.inc("leader_elections_total", { result: "success" });
    this.installNewView(nv, plan);
  }

  /** A backup checks a NEW-VIEW: signed by the view's primary, V a quorum of valid view changes, O recomputed from V. */
  private onNewView(nv: NewView): void {
    if (nv === null || typeof nv !== "object" || !Number.isInteger(nv.view)) return;
    if (nv.view < this.view || (nv.view === this.view && this.active)) return;
    if (nv.replica !== this.q.primary(nv.view) || !authentic(nv)) return;
    const V = this.validSetV(nv);
    if (V === undefined) return this.rejectNewView(nv, "V is not a quorum of valid view changes");
    const plan = computeNewView(V, this.config.bugs);
    // planted bug trustNewView: O is taken as the primary sent it, not recomputed from V
    if (!this.config.bugs.has("trustNewView") && !matchesPlan(nv.prePrepares, plan)) return this.rejectNewView(nv, "O does not match V");
    if (!Array.isArray(nv.prePrepares) || !nv.prePrepares.every((pp) => pp.view === nv.view && validPrePrepare(pp, this.q))) {
      return this.rejectNewView(nv, "O holds an invalid pre-prepare");
    }
    this.installNewView(nv, plan);
  }

  private validSetV(nv: NewView): ViewChange[] | undefined {
    if (!Array.isArray(nv.viewChanges) || nv.viewChanges.length > this.q.n) return undefined;
    const senders = new Set<NodeId>();
    for (const vc of nv.viewChanges) {
      if (vc?.view !== nv.view || senders.has(vc.replica) || !validViewChange(vc, this.q, this.L)) return undefined;
      senders.add(vc.replica);
    }
    return senders.size >= this.q.quorum ? nv.viewChanges : undefined;
  }

  private rejectNewView(nv: NewView, reason: string): void {
    this.ctx.probe("pbft.newViewRejected");
    this.ctx.log("warn", "new_view_rejected", { view: nv.view, reason });
  }

  /** Enters the new view: its checkpoint, the pre-prepares of O (backups prepare them), then the waiting requests. */
  private installNewView(nv: NewView, plan: NewViewPlan): void {
    this.view = nv.view;
    this.active = true;
    this.newView = nv;
    this.myVc = undefined;
    this.store.saveView({ view: this.view, active: true });
    for (const slot of this.log.all()) slot.pruneBefore(this.view);
    this.assigned.clear();
    this.nextSeq = Math.max(plan.maxSeq, plan.checkpoint.seq, this.stable.seq, ...nv.prePrepares.map((p) => p.seq)) + 1;
    let nulls = 0;
    const accepted: Slot[] = [];
    for (const pp of nv.prePrepares) {
      if (pp.request === null) nulls++;
      if (pp.seq > Math.max(this.stable.seq, plan.checkpoint.seq)) accepted.push(this.acceptPrePrepare(pp));
    }
    // O starts above the new view's checkpoint: adopting it (a primary may then number held-back requests after O)
    if (plan.checkpoint.seq > this.stable.seq) this.makeStable(plan.checkpoint);
    const primary = this.isPrimary();
    if (!primary) for (const slot of accepted) this.sendVote(slot, "prepare", slot.prePrepares.get(this.view)!.digest);
    for (const [r, vc] of this.latestVc) if (vc.view <= this.view) this.latestVc.delete(r);
    this.logNewView(nv, plan, nulls);
    if (this.pending.size > 0) this.armViewChangeTimer();
    else {
      this.cancelViewChangeTimer();
      this.vcFailures = 0;
    }
    this.resubmitPending(primary);
    for (const slot of this.log.all()) if (slot.prePrepares.has(this.view)) this.advance(slot);
  }

  private logNewView(nv: NewView, plan: NewViewPlan, nulls: number): void {
    this.ctx.log("info", "new_view_installed", {
      view: nv.view, minSeq: plan.checkpoint.seq, maxSeq: plan.maxSeq, seqs: nv.prePrepares.map((p) => p.seq), nulls,
    });
    this.ctx.probe("pbft.newViewInstalled");
    if (plan.conflicts > 0) this.ctx.probe("pbft.newViewChoseAmongConflicts");
    if (nulls > 0) this.ctx.probe("pbft.newViewFilledNull");
    if (nv.prePrepares.length > nulls) this.ctx.probe("pbft.newViewCarriedRequest");
  }

  /** After a view change: the new primary numbers the requests still waiting; backups send theirs to it. */
  private resubmitPending(primary: boolean): void {
    const waiting = [...this.pending.values(), ...this.waiting];
    this.waiting = [];
    for (const r of waiting) {
      if (this.service.lastTimestamp(r.client) >= r.timestamp) continue;
      if (primary) this.assign(r);
      else this.send(this.q.primary(this.view), r);
    }
  }
  // ---------------------------------------------------------------- recovery

  private recover(): void {
    const byzantine = this.ctx.storage.get<string>(KEY_BYZANTINE);
    if (byzantine !== undefined && isByzantineBehavior(byzantine)) this.byz = new ByzantineActor(byzantine, this.byzantineHost());
    const disk = this.store.load();
    if (disk.stable !== undefined) this.recoverStable(disk.stable.stable, disk.stable.state);
    if (disk.view !== undefined) [this.view, this.active] = [disk.view.view, disk.view.active];
    for (const rec of disk.votes) {
      if (rec.k === "pp") this.recoverPrePrepare(rec.pp);
      else if (rec.cert.prePrepare.seq > this.stable.seq) this.recoverCert(rec.cert);
    }
    this.nextSeq = Math.max(this.nextSeq, this.stable.seq + 1);
    if (disk.view !== undefined || disk.votes.length > 0) this.ctx.probe("pbft.recoveredFromDisk");
    if (!this.active) {
      this.myVc = this.ownViewChange(this.view);
      this.latestVc.set(this.id, this.myVc);
      this.broadcast(this.myVc);
    }
  }

  private recoverPrePrepare(pp: PrePrepare): void {
    if (pp.seq <= this.stable.seq) return;
    const slot = this.log.slot(pp.seq);
    slot.prePrepares.set(pp.view, pp);
    if (pp.view !== this.view) return;
    if (pp.request !== null) this.assigned.set(pp.request.requestId, pp.seq);
    if (pp.replica === this.id) this.nextSeq = Math.max(this.nextSeq, pp.seq + 1);
    else slot.addVote("prepare", this.makeVote("prepare", pp.view, pp.seq, pp.digest)); // the prepare it sent (same signature)
  }

  private recoverCert(cert: PreparedCert): void {
    const slot = this.log.slot(cert.prePrepare.seq);
    if (slot.prepared === undefined || cert.prePrepare.view >= slot.prepared.prePrepare.view) slot.prepared = cert;
    const pp = cert.prePrepare;
    if (pp.view === this.view) slot.addVote("commit", this.makeVote("commit", pp.view, pp.seq, pp.digest)); // the commit it sent
  }

  // ---------------------------------------------------------------- byzantine host, inspection, cluster API

  private byzantineHost(): ByzantineHost {
    const self = this;
    return {
      get id() { return self.id; },
      get peers() { return self.ctx.peers; },
      get q() { return self.q; },
      get signer() { return self.signer; },
      get view() { return self.view; },
      get stable() { return self.stable; },
      get watermarkWindow() { return self.L; },
      random: () => self.ctx.random(),
      sendRaw: (to, msg) => self.ctx.send(to, msg),
      checkpointsAt: (seq) => [...(self.checkpointVotes.get(seq)?.values() ?? [])],
      stableState: () => self.stableSnapshot,
      pendingRequests: () => [...self.pending.values()],
      ownViewChange: (view) => self.ownViewChange(view),
    };
  }

  get isByzantine(): boolean {
    return this.byz !== undefined;
  }

  inspect(): PbftInspection {
    return {
      id: this.id, byzantine: this.byz?.behavior, view: this.view, active: this.active, primary: this.q.primary(this.view),
      lowWatermark: this.stable.seq, highWatermark: this.stable.seq + this.L, stableDigest: this.stable.digest,
      lastExecuted: this.lastExecuted, pendingRequests: this.pending.size,
    };
  }

  /**
   * Submits a write as a request of its own (client `client`, no reply), the cluster API's propose: the active
   * primary numbers it (index = sequence number, term = view); a full window refuses with WINDOW_FULL. A
   * backup (or a replica in a view change) refuses with NOT_LEADER and the primary it believes in, and does
   * what PBFT's backups do with a client's request: it relays it to that primary and waits for it to execute
   * (its view-change timer runs), so the request may still execute later.
   */
  proposeWrite(write: KvWrite, client: string): ProposeResult {
    const fields = { client, timestamp: 0, op: write, noReply: true };
    const r: RequestMsg = { type: "request", requestId: client, attempt: 1, ...fields, sig: signerFor(client).sign(requestText(fields)) };
    if (!this.active || !this.isPrimary()) {
      this.addPending(r);
      if (this.active) this.send(this.q.primary(this.view), r);
      this.flush();
      return { accepted: false, code: "NOT_LEADER", leaderHint: this.q.primary(this.view) };
    }
    if (this.nextSeq > this.stable.seq + this.L) return { accepted: false, code: "WINDOW_FULL" };
    const seq = this.assign(r)!;
    this.flush();
    return { accepted: true, index: seq, term: this.view };
  }
}

/** A factory of PBFT replicas with `config` (validated once, here) for `sim.addNodes`. @throws ConfigError */
export function createPbftReplica(config: PbftConfig = {}, hooks: PbftReplicaHooks = {}): (id: NodeId) => PbftReplica {
  const resolved = resolvePbftConfig(config);
  return () => new PbftReplica(resolved, hooks);
}
