import type { NodeId } from "@faultline/core";

/** A linearizable read waiting at the leader. */
export interface PendingRead {
  client: NodeId;
  requestId: string;
  attempt: number;
  key: string;
  /** The commit index the read must see; -1 until the leader has committed an entry of its own term. */
  readIndex: number;
  /** The heartbeat round that must confirm leadership after the read arrived; 0 when not yet started. */
  seq: number;
  /** Confirmed by a quorum (or by a valid lease). */
  confirmed: boolean;
}

/**
 * The ReadIndex protocol (thesis §6.4): a read records the commit index when it arrives, the leader proves
 * it is still leader by a heartbeat round that a quorum acknowledges, and the read is served once the state
 * machine has applied up to the recorded index. Rounds are numbered; one round confirms every read that
 * arrived before it started. At most one round is started for reads while another is in flight: reads that
 * arrive meanwhile join the next one (or the next heartbeat's), which batches reads under load. The queue is
 * bounded by the leader's request limit.
 */
export class ReadIndexQueue {
  readonly reads: PendingRead[] = [];
  /** Number of the latest heartbeat round sent. */
  seq = 0;
  /** Highest round a quorum acknowledged. */
  confirmedSeq = 0;
  /** Local send time of each round not yet confirmed (lease bookkeeping), oldest first. */
  private readonly sentMs: Array<[number, number]> = [];

  get size(): number {
    return this.reads.length;
  }

  /** Whether a round was sent that a quorum has not acknowledged yet. */
  get roundInFlight(): boolean {
    return this.seq > this.confirmedSeq;
  }

  /** Starts a new round; every read still waiting for one joins it. Returns its number. */
  startRound(nowMs: number): number {
    this.seq++;
    for (const r of this.reads) if (r.seq === 0) r.seq = this.seq;
    this.sentMs.push([this.seq, nowMs]);
    if (this.sentMs.length > 1024) this.sentMs.shift(); // bounded: very old unconfirmed rounds do not matter
    return this.seq;
  }

  /** A quorum acknowledged round `seq`: confirms the reads of that round and earlier; returns the round's send time. */
  confirm(seq: number): number | undefined {
    if (seq <= this.confirmedSeq) return undefined;
    this.confirmedSeq = seq;
    let sentAt: number | undefined;
    while (this.sentMs.length > 0 && this.sentMs[0]![0] <= seq) {
      const [s, at] = this.sentMs.shift()!;
      if (s === seq) sentAt = at;
    }
    for (const r of this.reads) if (r.seq !== 0 && r.seq <= seq) r.confirmed = true;
    return sentAt;
  }

  /** Assigns the read index to reads that waited for the leader's first commit in its term. */
  assignReadIndex(commitIndex: number): void {
    for (const r of this.reads) if (r.readIndex < 0) r.readIndex = commitIndex;
  }

  /** Whether some read waits for a round to start. */
  hasUnroundedReads(): boolean {
    return this.reads.some((r) => r.seq === 0);
  }

  /** Removes and returns the reads that can be served with state applied up to `lastApplied`. */
  takeReady(lastApplied: number): PendingRead[] {
    const ready: PendingRead[] = [];
    let w = 0;
    for (const r of this.reads) {
      if (r.confirmed && r.readIndex >= 0 && r.readIndex <= lastApplied) ready.push(r);
      else this.reads[w++] = r;
    }
    this.reads.length = w;
    return ready;
  }

  /** Removes every read (the leader stepped down). */
  drain(): PendingRead[] {
    return this.reads.splice(0, this.reads.length);
  }
}
