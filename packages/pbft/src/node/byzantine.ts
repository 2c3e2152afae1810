import type { NodeId } from "@faultline/core";
import { checkpointText, hash64, requestDigest, stateDigest, voteText, type Signer } from "../auth.js";
import { NULL_DIGEST, type CheckpointMsg, type Commit, type PbftMessage, type PreparedCert, type PrePrepare, type Prepare, type RequestMsg, type ServiceSnapshot, type StableCheckpoint, type Status, type ViewChange } from "../messages.js";
import type { OrderEntry } from "./new-view.js";
import type { Quorums } from "./quorums.js";

/**
 * The byzantine behaviours a PBFT replica can be switched to (core's `byzantine` fault names one). A
 * byzantine replica keeps running the protocol's code, so it takes part (and leads, when its turn as primary
 * comes), but lies in the way its behaviour says. It can only sign as itself (auth.ts).
 */
export const PBFT_BYZANTINE_BEHAVIORS = {
  silent: "sends nothing at all (a crashed replica that still seems up)",
  equivocate: "as primary, sends different pre-prepares (another request or a null request) for one sequence number to the two halves of the backups, with commits for each; as a backup, echoes every prepare back with a matching prepare and commit",
  wrongDigest: "pre-prepares, prepares, commits and checkpoints carry digests that match nothing",
  conflictingVotes: "sends conflicting prepares and commits: agrees with every replica that sends it a prepare (echoing a prepare and a commit for that digest, whatever it prepared itself) and sends no votes of its own",
  replay: "re-sends its own old messages (stale views and sequence numbers); its view changes withhold its current prepared certificates and replay superseded ones",
  wrongReply: "answers clients with wrong results, at once on receiving a request and after executing it",
  badNewView: "as a new primary, its NEW-VIEW's O omits the prepared requests (null requests in their place)",
  viewChangeFlood: "keeps sending VIEW-CHANGE messages for ever higher views",
  outsideWatermarks: "as primary, numbers requests outside the watermarks (above H and at or below h); as a backup, votes for numbers outside them",
  badCheckpoint: "otherwise correct, signs checkpoints of a wrong state and answers state-transfer requests with a bogus state",
} as const;

/** A byzantine behaviour name. */
export type PbftByzantineBehavior = keyof typeof PBFT_BYZANTINE_BEHAVIORS;

/** The behaviour names, in a fixed order (what the swarm draws from). */
export const PBFT_BYZANTINE_BEHAVIOR_NAMES = Object.keys(PBFT_BYZANTINE_BEHAVIORS) as PbftByzantineBehavior[];

/** What a byzantine behaviour may read of its replica and do through it. */
export interface ByzantineHost {
  readonly id: NodeId;
  readonly peers: readonly NodeId[];
  readonly q: Quorums;
  readonly signer: Signer;
  readonly view: number;
  readonly stable: StableCheckpoint;
  readonly watermarkWindow: number;
  /** A float in [0,1) from the replica's stream. */
  random(): number;
  /** Sends as is, past the behaviour. */
  sendRaw(to: NodeId, msg: PbftMessage): void;
  /** The checkpoint messages the replica holds for `seq` (others' included). */
  checkpointsAt(seq: number): CheckpointMsg[];
  /** The stable checkpoint's service state, if the replica has it. */
  stableState(): ServiceSnapshot | undefined;
  /** Requests it knows that wait to be executed. */
  pendingRequests(): RequestMsg[];
  /** A view change of its own for `view` (current content). */
  ownViewChange(view: number): ViewChange;
}

/** Most prepares an echoing replica remembers having echoed: a bound. */
const ECHO_MEMORY = 10_000;

/** Most old messages a replaying replica keeps: a bound. */
const REPLAY_BUFFER = 256;

/** Checks a behaviour name. */
export function isByzantineBehavior(name: string): name is PbftByzantineBehavior {
  return Object.prototype.hasOwnProperty.call(PBFT_BYZANTINE_BEHAVIORS, name);
}

/**
 * One byzantine replica's lies. The replica hands every outgoing message to {@link outgoing}, tells it what
 * it received ({@link onReceive}), lets it act on the status tick ({@link tick}), and asks it before it sends a
 * NEW-VIEW ({@link alterOrder}) or a VIEW-CHANGE ({@link alterPrepared}).
 */
export class ByzantineActor {
  private readonly sent: PbftMessage[] = [];
  private readonly firstCerts = new Map<number, PreparedCert>();
  private floodView = 0;
  private readonly echoed = new Set<string>();

  constructor(readonly behavior: PbftByzantineBehavior, private readonly host: ByzantineHost) {}

  /** What actually leaves for one outgoing message (`to` undefined: a broadcast), as [destination, message] pairs. */
  outgoing(to: NodeId | undefined, msg: PbftMessage): Array<[NodeId, PbftMessage]> {
    const targets = to === undefined ? this.host.peers : [to];
    if (this.behavior === "silent") return [];
    if (this.behavior === "replay") this.remember(msg);
    const out: Array<[NodeId, PbftMessage]> = [];
    targets.forEach((t, i) => {
      for (const m of this.rewrite(i, msg)) out.push([t, m]);
    });
    return out;
  }

  /** The messages that go to the `index`-th destination (its place among the peers: the halves lied to differ) in place of `msg`. */
  private rewrite(index: number, msg: PbftMessage): PbftMessage[] {
    const h = this.host;
    switch (this.behavior) {
      case "equivocate":
        if (msg.type !== "pre-prepare") return [msg];
        // each half gets its own pre-prepare, and the primary's commit for it at once
        return index % 2 === 1 ? this.otherSide(msg) : [msg, this.vote("commit", msg.view, msg.seq, msg.digest)];
      case "wrongDigest":
        if (msg.type === "pre-prepare") return [this.prePrepare(msg.view, msg.seq, junk(msg.digest), msg.request)];
        if (msg.type === "prepare" || msg.type === "commit") return [this.vote(msg.type, msg.view, msg.seq, junk(msg.digest))];
        if (msg.type === "checkpoint") return [this.checkpoint(msg.seq, junk(msg.digest))];
        return [msg];
      case "conflictingVotes":
        // its own votes would be the first others count from it: it sends only the echoes (onReceive)
        if (msg.type === "prepare" || msg.type === "commit") return [];
        return [msg];
      case "wrongReply":
        if (msg.type === "reply") return [{ ...msg, result: { ok: true, value: `byzantine:${h.id}` } }];
        return [msg];
      case "outsideWatermarks": {
        const shift = index % 2 === 0 ? h.watermarkWindow + 1 : -Math.max(1, msg.type === "pre-prepare" ? msg.seq : 1);
        if (msg.type === "pre-prepare") return [this.prePrepare(msg.view, msg.seq + shift, msg.digest, msg.request)];
        if (msg.type === "prepare" || msg.type === "commit") return [msg, this.vote(msg.type, msg.view, msg.seq + h.watermarkWindow + 1, msg.digest)];
        return [msg];
      }
      case "badCheckpoint":
        if (msg.type === "checkpoint") return [this.checkpoint(msg.seq, stateDigest(bogusState(msg.seq)))];
        return [msg];
      default:
        return [msg];
    }
  }

  /** The other half of an equivocating primary's backups: a different request (or a null one) and a commit for it. */
  private otherSide(pp: PrePrepare): PbftMessage[] {
    const other = this.host.pendingRequests().find((r) => pp.request === null || r.requestId !== pp.request.requestId);
    const alt = other !== undefined ? this.prePrepare(pp.view, pp.seq, requestDigest(other), other) : this.prePrepare(pp.view, pp.seq, NULL_DIGEST, null);
    if (alt.digest === pp.digest) return [pp];
    return [alt, this.vote("commit", pp.view, pp.seq, alt.digest)];
  }

  /** What the byzantine replica does on receiving `msg` from `from`, besides the protocol. */
  onReceive(from: NodeId, msg: PbftMessage): void {
    const h = this.host;
    if ((this.behavior === "equivocate" || this.behavior === "conflictingVotes") && msg.type === "prepare" && msg.replica === from && this.firstEcho(msg)) {
      // agree with whoever asks: a prepare and a commit for the digest the sender prepared (once: two echoing replicas would ping-pong)
      if (h.q.primary(msg.view) !== h.id) h.sendRaw(from, this.vote("prepare", msg.view, msg.seq, msg.digest));
      h.sendRaw(from, this.vote("commit", msg.view, msg.seq, msg.digest));
    } else if (this.behavior === "wrongReply" && msg.type === "request" && msg.noReply !== true) {
      h.sendRaw(msg.client, { type: "reply", view: h.view, requestId: msg.requestId, timestamp: msg.timestamp, replica: h.id, result: { ok: true, value: `byzantine:${h.id}` } });
    } else if (this.behavior === "badCheckpoint" && msg.type === "status") {
      this.sendBogusState(from, msg);
    }
  }

  /** Whether this prepare was not echoed yet (bounded: the memory is dropped when it grows large). */
  private firstEcho(p: Prepare): boolean {
    const key = `${p.replica}|${p.view}|${p.seq}|${p.digest}`;
    if (this.echoed.has(key)) return false;
    if (this.echoed.size >= ECHO_MEMORY) this.echoed.clear();
    this.echoed.add(key);
    return true;
  }

  /** A bogus state transfer: a state of its own making, "proven" by its own checkpoint and the correct ones it holds. */
  private sendBogusState(to: NodeId, status: Status): void {
    const h = this.host;
    const seq = h.stable.seq;
    if (seq === 0 || status.lastExecuted >= seq) return;
    const state = bogusState(seq);
    const digest = stateDigest(state);
    const proof = [this.checkpoint(seq, digest), ...h.checkpointsAt(seq).filter((c) => c.replica !== h.id), ...h.stable.proof.filter((c) => c.replica !== h.id)];
    const unique = proof.filter((c, i) => proof.findIndex((d) => d.replica === c.replica) === i).slice(0, h.q.quorum);
    h.sendRaw(to, { type: "state", stable: { seq, digest, proof: unique }, state, replica: h.id });
  }

  /** The status tick: replays and floods. */
  tick(): void {
    const h = this.host;
    if (this.behavior === "replay" && this.sent.length > 0) {
      for (let k = 0; k < 3; k++) {
        const msg = this.sent[Math.floor(h.random() * this.sent.length)]!;
        h.sendRaw(h.peers[Math.floor(h.random() * h.peers.length)]!, msg);
      }
    } else if (this.behavior === "viewChangeFlood") {
      this.floodView = Math.max(this.floodView, h.view) + 1 + Math.floor(h.random() * 3);
      const vc = h.ownViewChange(this.floodView);
      for (const p of h.peers) h.sendRaw(p, vc);
    }
  }

  /** A new primary's O, as this behaviour sends it: badNewView drops the prepared requests. */
  alterOrder(order: OrderEntry[]): OrderEntry[] {
    if (this.behavior !== "badNewView") return order;
    return order.map((e) => ({ seq: e.seq, digest: NULL_DIGEST, request: null }));
  }

  /**
   * The prepared certificates of its VIEW-CHANGE: a replaying replica replays the superseded ones (the first
   * it had for a number, when a later view prepared something else there) and withholds its current ones.
   */
  alterPrepared(prepared: PreparedCert[]): PreparedCert[] {
    if (this.behavior !== "replay") return prepared;
    const out: PreparedCert[] = [];
    for (const c of prepared) {
      const first = this.firstCerts.get(c.prePrepare.seq);
      if (first !== undefined && first.prePrepare.digest !== c.prePrepare.digest) out.push(first);
    }
    return out;
  }

  /** The replica prepared `cert` (the replaying behaviour keeps the first certificate of each number). */
  onPrepared(cert: PreparedCert): void {
    if (this.behavior !== "replay") return;
    const seq = cert.prePrepare.seq;
    if (!this.firstCerts.has(seq)) this.firstCerts.set(seq, cert);
    if (this.firstCerts.size > REPLAY_BUFFER) this.firstCerts.delete(this.firstCerts.keys().next().value!);
  }

  private remember(msg: PbftMessage): void {
    if (msg.type !== "prepare" && msg.type !== "commit" && msg.type !== "pre-prepare" && msg.type !== "checkpoint" && msg.type !== "view-change") return;
    if (this.sent.length >= REPLAY_BUFFER) this.sent.splice(0, 1 + Math.floor(this.host.random() * REPLAY_BUFFER));
    this.sent.push(msg);
  }

  private prePrepare(view: number, seq: number, digest: string, request: RequestMsg | null): PrePrepare {
    return { type: "pre-prepare", view, seq, digest, request, replica: this.host.id, sig: this.host.signer.sign(voteText("pp", view, seq, digest)) };
  }

  private vote(type: "prepare" | "commit", view: number, seq: number, digest: string): Prepare | Commit {
    const sig = this.host.signer.sign(voteText(type === "prepare" ? "p" : "c", view, seq, digest));
    return { type, view, seq, digest, replica: this.host.id, sig } as Prepare | Commit;
  }

  private checkpoint(seq: number, digest: string): CheckpointMsg {
    return { type: "checkpoint", seq, digest, replica: this.host.id, sig: this.host.signer.sign(checkpointText(seq, digest)) };
  }
}

function junk(digest: string): string {
  return `x${hash64(digest)}`;
}

/** A service state no correct replica ever reaches: key "byzantine" holds the sequence number. */
function bogusState(seq: number): ServiceSnapshot {
  return { kv: { data: [["byzantine", seq]], dedup: [] }, clients: [] };
}
