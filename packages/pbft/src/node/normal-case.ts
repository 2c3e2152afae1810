import type { NodeId } from "@faultline/core";
import { authentic, requestDigest } from "../auth.js";
import type { CheckpointMsg, Commit, CommitCertMsg, NewView, PrePrepare, Prepare, RequestMsg, Status, ViewChange } from "../messages.js";
import { validCommitCert, validPrePrepare } from "./certs.js";
import type { Slot } from "./message-log.js";
import { ReplicaBase } from "./replica-base.js";

export const TIMER_VIEW_CHANGE = "view-change";
export const TIMER_STATUS = "status";

/**
 * The normal case of a PBFT replica: client requests (a primary numbers them, a backup relays them and waits),
 * pre-prepare, prepare and commit with the prepared and committed-local predicates, committed certificates
 * for replicas that missed votes, the status messages of stuck replicas (what they miss comes back:
 * NEW-VIEW, commit certificates, state), and the view-change timer the waiting requests drive.
 * {@link PbftReplica} adds view changes, recovery and the byzantine switch.
 */
export abstract class NormalCaseReplica extends ReplicaBase {
  protected replicaSet = new Set<NodeId>();
  /** The next sequence number this replica assigns as primary. */
  protected nextSeq = 1;
  /** Requests numbered in this view: request id -> sequence number. */
  protected readonly assigned = new Map<string, number>();
  /** Requests a primary holds back while its window is full. */
  protected waiting: RequestMsg[] = [];
  /** Consecutive view changes without progress: the view-change timeout is T * 2^(failures-1). */
  protected vcFailures = 0;
  protected vcTimerArmed = false;
  /** The NEW-VIEW of the current view (sent or accepted), forwarded to replicas that missed it. */
  protected newView: NewView | undefined;
  /** This replica's VIEW-CHANGE while it waits for the NEW-VIEW. */
  protected myVc: ViewChange | undefined;
  /** The latest checkpoint message beyond the window from each replica. */
  private readonly beyond = new Map<NodeId, CheckpointMsg>();
  private executedAtTick = 0;
  private sawHigherView = false;
  private lastStatusAtMs = -Infinity;
  /** When the primary sent each pre-prepare (consensus latency). */
  protected readonly prePrepareAtMs = new Map<number, number>();

  /** Moves to view `target` (> view): stops the normal case and sends a VIEW-CHANGE. */
  protected abstract startViewChange(target: number): void;

  // ---------------------------------------------------------------- requests

  protected onRequest(from: NodeId, r: RequestMsg): void {
    if (typeof r.client !== "string" || !Number.isInteger(r.timestamp) || !authentic(r)) return this.ctx.probe("pbft.forgedRequestRejected");
    const fromClient = from === r.client;
    if (!fromClient && !this.replicaSet.has(from)) return;
    const last = this.service.lastTimestamp(r.client);
    if (r.timestamp <= last) {
      // executed already: the client may have missed the reply (PBFT resends the last one)
      if (fromClient && r.timestamp === last && r.noReply !== true) this.sendReply(r, this.service.lastResult(r.client)!);
      return;
    }
    if (this.active && this.isPrimary()) return void this.assign(r);
    this.addPending(r);
    if (fromClient && this.active) this.send(this.q.primary(this.view), r); // a backup relays a client's request to the primary
  }

  /** The primary numbers a request and sends its pre-prepare (or holds it back while the window is full). */
  protected assign(r: RequestMsg): number | undefined {
    const known = this.assigned.get(r.requestId);
    if (known !== undefined) return known;
    if (this.nextSeq > this.stable.seq + this.L) {
      if (this.waiting.length < this.config.maxPendingRequests && !this.waiting.some((w) => w.requestId === r.requestId)) this.waiting.push(r);
      return undefined;
    }
    if (this.ctx.buggify("pbft.holdPrePrepare") && this.waiting.length < this.config.maxPendingRequests) {
      this.waiting.push(r); // a slow primary: numbered at the next status tick
      return undefined;
    }
    if (this.ctx.buggify("pbft.skipSequenceNumber") && this.nextSeq + 1 <= this.stable.seq + this.L) this.nextSeq++; // a hole a view change fills
    const seq = this.nextSeq++;
    const pp = this.makePrePrepare(this.view, seq, requestDigest(r), r);
    this.acceptPrePrepare(pp);
    this.prePrepareAtMs.set(seq, this.ctx.now());
    this.broadcast(pp);
    return seq;
  }

  protected acceptPrePrepare(pp: PrePrepare): Slot {
    const slot = this.log.slot(pp.seq);
    slot.prePrepares.set(pp.view, pp);
    this.store.appendVote({ k: "pp", pp });
    if (pp.request !== null) this.assigned.set(pp.request.requestId, pp.seq);
    return slot;
  }

  protected addPending(r: RequestMsg): void {
    if (this.pending.has(r.requestId) || this.pending.size >= this.config.maxPendingRequests) return;
    this.pending.set(r.requestId, r);
    if (this.active && !this.vcTimerArmed) this.armViewChangeTimer();
  }

  // ---------------------------------------------------------------- normal case

  protected onPrePrepare(pp: PrePrepare): void {
    if (pp.view !== this.view || !this.active) return this.noteView(pp.view);
    if (pp.replica !== this.q.primary(this.view) || pp.replica === this.id) return;
    if (!this.inWindow(pp.seq)) return this.ctx.probe("pbft.outsideWatermarksRejected");
    if (!validPrePrepare(pp, this.q)) return this.ctx.probe("pbft.badPrePrepareRejected");
    const slot = this.log.slot(pp.seq);
    const known = slot.prePrepares.get(this.view);
    if (known !== undefined) {
      if (known.digest !== pp.digest) this.ctx.probe("pbft.equivocationSeen");
      return;
    }
    this.acceptPrePrepare(pp);
    if (pp.request !== null && this.service.lastTimestamp(pp.request.client) < pp.request.timestamp) this.addPending(pp.request);
    this.sendVote(slot, "prepare", pp.digest);
    this.advance(slot);
  }

  protected sendVote(slot: Slot, type: "prepare" | "commit", digest: string): void {
    const vote = this.makeVote(type, this.view, slot.seq, digest);
    slot.addVote(type, vote);
    this.broadcast(vote);
    if (this.ctx.buggify("pbft.duplicateVote")) this.broadcast(vote);
  }

  protected onVote(v: Prepare | Commit): void {
    if (v.view !== this.view) return this.noteView(v.view);
    if (!this.inWindow(v.seq)) return this.ctx.probe("pbft.outsideWatermarksRejected");
    if (v.type === "prepare" && v.replica === this.q.primary(this.view)) return;
    if (!authentic(v)) return;
    const slot = this.log.slot(v.seq);
    if (!slot.addVote(v.type, v)) return;
    if (this.active) this.advance(slot); // votes for the view a replica waits to enter are kept for when it does
  }

  /** prepared -> send a commit; committed-local -> execute what can be. */
  protected advance(slot: Slot): void {
    const view = this.view;
    if (slot.own("commit", view, this.id) === undefined) {
      const cert = slot.preparedIn(view, this.q);
      if (cert !== undefined) {
        slot.prepared = cert;
        this.store.appendVote({ k: "cert", cert });
        this.byz?.onPrepared(cert);
        this.sendVote(slot, "commit", cert.prePrepare.digest);
      }
    }
    if (slot.committed === undefined) {
      const entry = slot.committedIn(view, this.q);
      if (entry !== undefined) this.markCommitted(slot, entry, "quorum");
    }
    if (slot.committed !== undefined || this.config.bugs.has("executeOnPrepared")) this.executeReady();
  }

  protected afterExecution(freshInView: boolean): void {
    if (!this.active) return;
    if (freshInView) this.vcFailures = 0;
    if (this.isPrimary()) this.observeLatency();
    if (this.pending.size > 0) this.armViewChangeTimer();
    else this.cancelViewChangeTimer();
  }

  private observeLatency(): void {
    for (const [seq, at] of this.prePrepareAtMs) {
      if (seq > this.lastExecuted) continue;
      this.ctx.metrics.observe("consensus_latency_seconds", { operation_type: "request" }, Math.max(0, this.ctx.now() - at) / 1000);
      this.prePrepareAtMs.delete(seq);
    }
  }

  protected onCommitCert(cc: CommitCertMsg): void {
    const pp = cc?.prePrepare;
    if (pp === undefined || pp === null || !(pp.seq > this.lastExecuted) || !this.inWindow(pp.seq)) return;
    const slot = this.log.slot(pp.seq);
    if (slot.committed !== undefined || !validCommitCert(pp, cc.commits, this.q)) return;
    this.markCommitted(slot, { prePrepare: pp, commits: cc.commits }, "certificate");
    this.ctx.probe("pbft.committedByCertificate");
    this.executeReady();
  }

  // ---------------------------------------------------------------- checkpoints beyond the window, status

  protected noteBeyondWindow(ck: CheckpointMsg): void {
    const prev = this.beyond.get(ck.replica);
    if (prev === undefined || ck.seq > prev.seq) this.beyond.set(ck.replica, ck);
    const above = [...this.beyond.values()].filter((c) => c.seq > this.stable.seq + this.L);
    if (above.length >= this.q.weak && !this.needState) {
      // f+1 replicas (one correct at least) checkpointed beyond this replica's window: it fell behind
      this.needState = true;
      this.ctx.probe("pbft.beyondWindowSeen");
      this.sendStatus();
    }
  }

  protected windowAdvanced(): void {
    for (const [r, c] of this.beyond) if (c.seq <= this.stable.seq + this.L) this.beyond.delete(r);
    if (this.needState) this.sendStatus();
    if (!this.active || !this.isPrimary()) return;
    const held = this.waiting;
    this.waiting = [];
    for (const r of held) if (this.service.lastTimestamp(r.client) < r.timestamp) this.assign(r);
  }

  protected onStatusTick(): void {
    const stuck = this.lastExecuted === this.executedAtTick &&
      (this.pending.size > 0 || this.log.maxSeq > this.lastExecuted || this.needState || !this.active || this.sawHigherView);
    this.executedAtTick = this.lastExecuted;
    this.sawHigherView = false;
    if (stuck) {
      this.sendStatus();
      this.retransmit();
    } else if (this.ctx.buggify("pbft.statusWhenIdle")) this.sendStatus();
    if (this.active && this.isPrimary() && this.waiting.length > 0) this.windowAdvanced(); // requests held back by a slow primary
    else if (this.active && this.vcTimerArmed && this.pending.size > 0 && this.ctx.buggify("pbft.voluntaryViewChange")) this.startViewChange(this.view + 1);
    this.byz?.tick();
    this.ctx.setTimer(TIMER_STATUS, this.config.statusIntervalMs);
  }

  protected sendStatus(): void {
    const now = this.ctx.now();
    if (now - this.lastStatusAtMs < this.config.statusIntervalMs / 2) return;
    this.lastStatusAtMs = now;
    const status: Status = { type: "status", view: this.view, active: this.active, lastExecuted: this.lastExecuted, lowWatermark: this.stable.seq, replica: this.id };
    this.broadcast(status);
  }

  /**
   * A stuck replica sends again its checkpoints above the stable one (a lost checkpoint message can leave a
   * window full for good: nothing above H can be ordered until the checkpoint is stable), and what it said
   * in this view about the numbers it has not executed (or its VIEW-CHANGE).
   */
  private retransmit(): void {
    this.resendCheckpoints();
    if (!this.active) {
      if (this.myVc !== undefined) this.broadcast(this.myVc);
      return;
    }
    const top = Math.min(this.log.maxSeq, this.stable.seq + this.L);
    for (let seq = Math.max(this.lastExecuted, this.stable.seq) + 1; seq <= top; seq++) {
      const slot = this.log.get(seq);
      if (slot === undefined) continue;
      const pp = slot.prePrepares.get(this.view);
      if (pp !== undefined && pp.replica === this.id) this.broadcast(pp);
      for (const kind of ["prepare", "commit"] as const) {
        const mine = slot.own(kind, this.view, this.id);
        if (mine !== undefined) this.broadcast(mine);
      }
    }
  }

  /** Another replica says where it is: help it with the NEW-VIEW it missed, commit certificates and state. */
  protected onStatus(from: NodeId, s: Status): void {
    if (this.newView !== undefined && this.active && (s.view < this.view || (s.view === this.view && !s.active))) this.send(from, this.newView);
    if (!Number.isInteger(s.lastExecuted) || s.lastExecuted >= this.lastExecuted) return;
    const offer = s.lastExecuted < this.stable.seq ? this.stateOffer() : undefined;
    if (offer !== undefined) this.send(from, offer);
    const top = Math.min(this.lastExecuted, s.lowWatermark + this.L, this.stable.seq + this.L);
    for (let seq = Math.max(s.lastExecuted, this.stable.seq) + 1; seq <= top; seq++) {
      const c = this.log.get(seq)?.committed;
      if (c !== undefined) this.send(from, { type: "commit-cert", prePrepare: c.prePrepare, commits: c.commits, replica: this.id });
    }
  }

  /** A message of a later view: this replica missed a NEW-VIEW (its next status asks for it). */
  protected noteView(view: number): void {
    if (view > this.view) this.sawHigherView = true;
  }

  // ---------------------------------------------------------------- the view-change timer

  protected timeoutMs(): number {
    const c = this.config;
    // T while waiting for a request; T, 2T, 4T, ... for each consecutive view change without progress (capped)
    return Math.min(c.maxViewChangeTimeoutMs, c.viewChangeTimeoutMs * 2 ** Math.max(0, this.vcFailures - 1));
  }

  protected armViewChangeTimer(): void {
    this.ctx.setTimer(TIMER_VIEW_CHANGE, this.timeoutMs());
    this.vcTimerArmed = true;
  }

  protected cancelViewChangeTimer(): void {
    if (this.vcTimerArmed) this.ctx.cancelTimer(TIMER_VIEW_CHANGE);
    this.vcTimerArmed = false;
  }
}
