import type { NodeId } from "@faultline/core";
import type { Commit, PreparedCert, PrePrepare, Prepare } from "../messages.js";
import type { Quorums } from "./quorums.js";

/** A committed certificate a replica holds: the pre-prepare and the matching commits it counted. */
export interface CommittedEntry {
  prePrepare: PrePrepare;
  commits: Commit[];
}

/**
 * What a replica knows about one sequence number: the pre-prepare it accepted in each view (one per view:
 * a second, different one from the primary is equivocation and is ignored), the prepares and commits of
 * each view (the first from each replica), its prepared certificate of the highest view, and the committed
 * certificate once it has one. Votes of views before the current one are pruned when a new view starts.
 */
export class Slot {
  readonly prePrepares = new Map<number, PrePrepare>();
  readonly prepares = new Map<number, Map<NodeId, Prepare>>();
  readonly commits = new Map<number, Map<NodeId, Commit>>();
  /** The replica's prepared certificate of the highest view (what its VIEW-CHANGE reports). */
  prepared: PreparedCert | undefined;
  /** Set once committed-local held (or a committed certificate arrived): final for this replica. */
  committed: CommittedEntry | undefined;
  constructor(readonly seq: number) {}

  /** Records a vote; false when the replica already voted in that view (a second vote is ignored). */
  addVote(kind: "prepare" | "commit", vote: Prepare | Commit): boolean {
    const byView = kind === "prepare" ? this.prepares : this.commits;
    let votes = byView.get(vote.view) as Map<NodeId, Prepare | Commit> | undefined;
    if (votes === undefined) byView.set(vote.view, (votes = new Map()));
    if (votes.has(vote.replica)) return false;
    votes.set(vote.replica, vote);
    return true;
  }

  /** The replica's own vote of `kind` in `view`, if it sent one. */
  own(kind: "prepare" | "commit", view: number, me: NodeId): Prepare | Commit | undefined {
    return (kind === "prepare" ? this.prepares : this.commits).get(view)?.get(me);
  }

  /**
   * prepared(m, v, n, i): the accepted pre-prepare of `view` and 2f matching prepares from distinct backups
   * (the primary's own are never counted). Returns the certificate, or undefined.
   */
  preparedIn(view: number, q: Quorums): PreparedCert | undefined {
    const pp = this.prePrepares.get(view);
    if (pp === undefined) return undefined;
    const votes = this.prepares.get(view);
    if (votes === undefined || votes.size < q.preparedVotes) return undefined;
    const matching: Prepare[] = [];
    for (const p of votes.values()) if (p.replica !== pp.replica && q.matches(p.digest, pp.digest)) matching.push(p);
    return matching.length >= q.preparedVotes ? { prePrepare: pp, prepares: matching } : undefined;
  }

  /** committed-local(m, v, n, i): prepared in `view` and 2f+1 matching commits (its own included). */
  committedIn(view: number, q: Quorums): CommittedEntry | undefined {
    const cert = this.preparedIn(view, q);
    const votes = this.commits.get(view);
    if (cert === undefined || votes === undefined || votes.size < q.commitVotes) return undefined;
    const matching: Commit[] = [];
    for (const c of votes.values()) if (q.matches(c.digest, cert.prePrepare.digest)) matching.push(c);
    return matching.length >= q.commitVotes ? { prePrepare: cert.prePrepare, commits: matching } : undefined;
  }

  /** Forgets the votes of views before `view` (messages of older views are never accepted again). */
  pruneBefore(view: number): void {
    for (const map of [this.prePrepares, this.prepares, this.commits] as Map<number, unknown>[]) {
      for (const v of [...map.keys()]) if (v < view) map.delete(v);
    }
  }
}

/** The log of a replica: a slot per sequence number above its low watermark. */
export class MessageLog {
  private readonly slots = new Map<number, Slot>();
  /** The highest sequence number any slot was created for (a replica that knows of work it has not executed). */
  maxSeq = 0;

  /** The slot of `seq`, created when absent. */
  slot(seq: number): Slot {
    let s = this.slots.get(seq);
    if (s === undefined) {
      this.slots.set(seq, (s = new Slot(seq)));
      if (seq > this.maxSeq) this.maxSeq = seq;
    }
    return s;
  }

  get(seq: number): Slot | undefined {
    return this.slots.get(seq);
  }

  /** Discards every slot at or below `seq` (after a stable checkpoint). */
  truncate(seq: number): void {
    for (const s of [...this.slots.keys()]) if (s <= seq) this.slots.delete(s);
  }

  /** Every slot, in sequence order. */
  all(): Slot[] {
    return [...this.slots.values()].sort((a, b) => a.seq - b.seq);
  }

  /** The prepared certificates of every slot. */
  preparedCerts(): PreparedCert[] {
    const out: PreparedCert[] = [];
    for (const s of this.slots.values()) if (s.prepared !== undefined) out.push(s.prepared);
    return out;
  }

  get size(): number {
    return this.slots.size;
  }
}
