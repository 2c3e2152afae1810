import type { NodeContext, NodeId } from "@faultline/core";
import { checkpointText, signerFor, stateDigest, voteText, type Signer } from "../auth.js";
import type { ResolvedPbftConfig } from "../config.js";
import type {
  CheckpointMsg, Commit, Digest, PbftCommand, PbftMessage, PrePrepare, Prepare, ReplyResult, RequestMsg, ServiceSnapshot, StableCheckpoint, StateMsg,
} from "../messages.js";
import type { ByzantineActor } from "./byzantine.js";
import { validStableCheckpoint } from "./certs.js";
import { MessageLog, type CommittedEntry, type Slot } from "./message-log.js";
import { ReplicaStore, type VoteRecord } from "./persistence.js";
import type { Quorums } from "./quorums.js";
import { Service, initialStateDigest } from "./service.js";

/** Hooks a cluster helper gives its replicas. */
export interface PbftReplicaHooks {
  /** Every sequence number the replica executes (null requests included), in order, across its restarts. */
  onExecute?(node: NodeId, seq: number, view: number, command: PbftCommand): void;
}

/**
 * The state of a PBFT replica and the parts of the protocol that do not depend on views: the outbox (sync,
 * then send), signing, execution in sequence order, checkpoints and their stability, and state transfer.
 * {@link PbftReplica} adds the message handlers, the normal case and view changes.
 */
export abstract class ReplicaBase {
  protected ctx!: NodeContext<PbftMessage>;
  q!: Quorums;
  signer!: Signer;
  protected store!: ReplicaStore;
  protected readonly service: Service;
  readonly log = new MessageLog();
  view = 0;
  /** False while waiting for the NEW-VIEW of `view`. */
  active = true;
  lastExecuted = 0;
  stable: StableCheckpoint = { seq: 0, digest: initialStateDigest(), proof: [] };
  /** The service state at `stable`, when this replica has it (it may learn of a stable checkpoint before it has its state). */
  protected stableSnapshot: ServiceSnapshot | undefined;
  /** This replica's checkpoints above the stable one: seq -> state digest and state. */
  protected readonly ownCheckpoints = new Map<number, { digest: Digest; state: ServiceSnapshot }>();
  /** Checkpoint messages inside the window, by sequence number and sender. */
  protected readonly checkpointVotes = new Map<number, Map<NodeId, CheckpointMsg>>();
  /** Requests waiting to be executed (their timer drives view changes). */
  protected readonly pending = new Map<string, RequestMsg>();
  /** Set when the replica knows it misses state it cannot get from the normal case (a stable checkpoint beyond its execution). */
  protected needState = false;
  byz: ByzantineActor | undefined;
  private outbox: Array<NodeId | undefined> = [];
  private outMsgs: PbftMessage[] = [];

  constructor(readonly config: ResolvedPbftConfig, protected readonly hooks: PbftReplicaHooks) {
    this.service = new Service(config.dedupWindowSeqs);
    this.stableSnapshot = this.service.snapshot();
  }

  get id(): NodeId {
    return this.signer.id;
  }

  protected get L(): number {
    return this.config.watermarkWindow;
  }

  /** h < seq <= H. */
  protected inWindow(seq: number): boolean {
    return Number.isInteger(seq) && seq > this.stable.seq && seq <= this.stable.seq + this.L;
  }

  protected isPrimary(): boolean {
    return this.q.primary(this.view) === this.id;
  }

  // ---------------------------------------------------------------- outbox

  protected initContext(ctx: NodeContext<PbftMessage>): void {
    this.ctx = ctx;
    this.signer = signerFor(ctx.id);
    this.store = new ReplicaStore(ctx.storage);
  }

  protected send(to: NodeId, msg: PbftMessage): void {
    this.outbox.push(to);
    this.outMsgs.push(msg);
  }

  protected broadcast(msg: PbftMessage): void {
    this.outbox.push(undefined);
    this.outMsgs.push(msg);
  }

  /** Ends a handler: what it wrote becomes durable, then its messages leave (through the byzantine behaviour, if any). */
  protected flush(): void {
    if (this.store.dirty) this.store.sync();
    const tos = this.outbox;
    const msgs = this.outMsgs;
    if (tos.length === 0) return;
    this.outbox = [];
    this.outMsgs = [];
    for (let i = 0; i < tos.length; i++) {
      const to = tos[i];
      const msg = msgs[i]!;
      if (this.byz !== undefined) {
        for (const [t, m] of this.byz.outgoing(to, msg)) this.ctx.send(t, m);
      } else if (to === undefined) this.ctx.broadcast(msg);
      else this.ctx.send(to, msg);
    }
  }

  // ---------------------------------------------------------------- signed messages of this replica

  protected makePrePrepare(view: number, seq: number, digest: Digest, request: RequestMsg | null): PrePrepare {
    return { type: "pre-prepare", view, seq, digest, request, replica: this.id, sig: this.signer.sign(voteText("pp", view, seq, digest)) };
  }

  protected makeVote(type: "prepare" | "commit", view: number, seq: number, digest: Digest): Prepare | Commit {
    const sig = this.signer.sign(voteText(type === "prepare" ? "p" : "c", view, seq, digest));
    return { type, view, seq, digest, replica: this.id, sig } as Prepare | Commit;
  }

  // ---------------------------------------------------------------- execution

  /** Records that the replica committed `entry` at `slot` (committed-local, or a committed certificate). */
  protected markCommitted(slot: Slot, entry: CommittedEntry, via: "quorum" | "certificate"): void {
    slot.committed = entry;
    const pp = entry.prePrepare;
    this.ctx.log("info", "committed", { view: pp.view, seq: pp.seq, digest: pp.digest, requestId: pp.request?.requestId ?? null, via });
  }

  /** Executes every committed sequence number after the last executed one, in order. */
  protected executeReady(): void {
    let executed = false;
    let fresh = false;
    for (let k = 0; k <= this.L; k++) {
      const seq = this.lastExecuted + 1;
      if (seq <= this.stable.seq) break; // the state up to the stable checkpoint comes by state transfer
      const slot = this.log.get(seq);
      // planted bug executeOnPrepared: a prepared request is executed before it is committed-local
      const pp = slot?.committed?.prePrepare ?? (this.config.bugs.has("executeOnPrepared") ? slot?.prepared?.prePrepare : undefined);
      if (pp === undefined) break;
      executed = true;
      fresh = this.executeOne(seq, pp) || fresh;
    }
    if (executed) this.afterExecution(fresh);
  }

  private executeOne(seq: number, pp: PrePrepare): boolean {
    this.lastExecuted = seq;
    const r = pp.request;
    let fresh = false;
    if (r === null) {
      this.ctx.log("info", "executed", { seq, view: pp.view, digest: pp.digest, requestId: null, fresh: false });
      this.hooks.onExecute?.(this.id, seq, pp.view, { kind: "null" });
    } else {
      const ex = this.service.execute(r, seq);
      fresh = ex.fresh;
      this.dropPending(r.client, r.timestamp);
      this.ctx.log("info", "executed", {
        seq, view: pp.view, digest: pp.digest, requestId: r.requestId, client: r.client, timestamp: r.timestamp, result: ex.result, fresh,
      });
      this.hooks.onExecute?.(this.id, seq, pp.view, { kind: "request", requestId: r.requestId, client: r.client, timestamp: r.timestamp, op: r.op });
      if (r.noReply !== true) this.sendReply(r, ex.result);
    }
    if (seq % this.config.checkpointInterval === 0) this.takeCheckpoint(seq);
    return fresh;
  }

  /** After executing: the view-change timer restarts while requests still wait, and stops otherwise. */
  protected abstract afterExecution(freshInView: boolean): void;

  protected sendReply(r: RequestMsg, result: ReplyResult): void {
    this.send(r.client, { type: "reply", view: this.view, requestId: r.requestId, timestamp: r.timestamp, replica: this.id, result });
  }

  /** Forgets the waiting requests of `client` up to `timestamp` (executed, here or by the state this replica installed). */
  protected dropPending(client: NodeId, timestamp: number): void {
    for (const [id, r] of this.pending) if (r.client === client && r.timestamp <= timestamp) this.pending.delete(id);
  }

  // ---------------------------------------------------------------- checkpoints

  private takeCheckpoint(seq: number): void {
    const state = this.service.snapshot();
    const digest = stateDigest(state);
    this.ownCheckpoints.set(seq, { digest, state });
    this.ctx.log("info", "checkpoint_taken", { seq, digest });
    const ck = this.checkpointMessage(seq, digest);
    this.broadcast(ck);
    this.addCheckpointVote(ck);
  }

  private checkpointMessage(seq: number, digest: Digest): CheckpointMsg {
    return { type: "checkpoint", seq, digest, replica: this.id, sig: this.signer.sign(checkpointText(seq, digest)) };
  }

  /** Sends again this replica's checkpoints above its stable one (bounded: at most L / K of them). */
  protected resendCheckpoints(): void {
    for (const [seq, own] of this.ownCheckpoints) if (seq > this.stable.seq) this.broadcast(this.checkpointMessage(seq, own.digest));
  }

  /** Counts a checkpoint message (its own or a verified one); a quorum of matching ones makes the checkpoint stable. */
  protected addCheckpointVote(ck: CheckpointMsg): void {
    if (ck.seq <= this.stable.seq) return;
    if (ck.seq > this.stable.seq + this.L) return this.noteBeyondWindow(ck);
    let votes = this.checkpointVotes.get(ck.seq);
    if (votes === undefined) this.checkpointVotes.set(ck.seq, (votes = new Map()));
    if (votes.has(ck.replica)) return;
    votes.set(ck.replica, ck);
    this.checkStable(ck.seq, votes);
  }

  /** A checkpoint above the high watermark: f+1 of them (one correct replica at least) mean this replica fell behind. */
  protected abstract noteBeyondWindow(ck: CheckpointMsg): void;

  private checkStable(seq: number, votes: Map<NodeId, CheckpointMsg>): void {
    if (votes.size < this.q.quorum) return;
    const own = this.ownCheckpoints.get(seq)?.digest;
    for (const candidate of own !== undefined ? [own, ...[...votes.values()].map((v) => v.digest)] : [...votes.values()].map((v) => v.digest)) {
      const proof = [...votes.values()].filter((v) => this.q.checkpointMatches(v.digest, candidate));
      if (proof.length >= this.q.quorum) return this.makeStable({ seq, digest: candidate, proof });
    }
  }

  /** A checkpoint became stable: it is the new low watermark; the log below it is garbage; a replica without its state fetches it. */
  protected makeStable(st: StableCheckpoint): void {
    if (st.seq <= this.stable.seq) return;
    this.stable = st;
    const own = this.ownCheckpoints.get(st.seq);
    this.stableSnapshot = own !== undefined && own.digest === st.digest ? own.state : undefined;
    if (own !== undefined && own.digest !== st.digest) this.ctx.probe("pbft.ownCheckpointDiverged");
    this.log.truncate(st.seq);
    for (const s of [...this.checkpointVotes.keys()]) if (s <= st.seq) this.checkpointVotes.delete(s);
    for (const s of [...this.ownCheckpoints.keys()]) if (s < st.seq) this.ownCheckpoints.delete(s);
    this.ctx.log("info", "checkpoint_stable", { seq: st.seq, digest: st.digest });
    this.ctx.probe("pbft.checkpointStable");
    if (this.stableSnapshot !== undefined) this.persistStable();
    if (this.lastExecuted < st.seq) {
      this.needState = true;
      this.ctx.probe("pbft.behindStableCheckpoint");
    }
    this.windowAdvanced();
  }

  /** The low watermark moved: a primary may number the requests it held back. */
  protected abstract windowAdvanced(): void;

  /** Writes the stable checkpoint with its state, and rewrites the vote log without what it made garbage. */
  protected persistStable(): void {
    this.store.saveStable(this.stable, this.stableSnapshot!);
    const records: VoteRecord[] = [];
    for (const slot of this.log.all()) {
      if (slot.prepared !== undefined) records.push({ k: "cert", cert: slot.prepared });
      const pp = slot.prePrepares.get(this.view);
      if (pp !== undefined) records.push({ k: "pp", pp });
    }
    this.store.rewriteVotes(records);
  }

  // ---------------------------------------------------------------- state transfer

  /** A stable checkpoint's state from another replica: installed when its proof holds and the state matches its digest. */
  protected handleState(msg: StateMsg): void {
    const st = msg.stable;
    if (st === null || typeof st !== "object" || !(st.seq > this.lastExecuted)) return;
    if (!validStableCheckpoint(st, this.q) || stateDigest(msg.state) !== st.digest) {
      this.ctx.probe("pbft.badStateRejected");
      return;
    }
    this.service.restore(msg.state);
    this.lastExecuted = st.seq;
    this.ownCheckpoints.set(st.seq, { digest: st.digest, state: msg.state });
    for (const [client, timestamp] of msg.state.clients) this.dropPending(client, timestamp);
    this.ctx.log("info", "state_transferred", { seq: st.seq, digest: st.digest });
    this.ctx.probe("pbft.stateTransferred");
    this.needState = false;
    if (st.seq > this.stable.seq) this.makeStable(st);
    else {
      this.stableSnapshot = msg.state;
      this.persistStable();
    }
    this.executeReady();
  }

  /** The state message this replica can offer (its stable checkpoint and its state), if it has the state. */
  protected stateOffer(): StateMsg | undefined {
    if (this.stable.seq === 0 || this.stableSnapshot === undefined) return undefined;
    return { type: "state", stable: this.stable, state: this.stableSnapshot, replica: this.id };
  }

  /** Restores what the disk holds: the stable checkpoint and its state. */
  protected recoverStable(stable: StableCheckpoint, state: ServiceSnapshot): void {
    this.service.restore(state);
    this.stable = stable;
    this.stableSnapshot = state;
    this.lastExecuted = stable.seq;
    this.ownCheckpoints.set(stable.seq, { digest: stable.digest, state });
  }
}
