import type { NodeId } from "@faultline/core";

/**
 * How a leader replicates to one follower (etcd's Progress):
 * - probe: the follower's log position is unknown; at most one AppendEntries until it answers (or a heartbeat);
 * - replicate: the position is known; entries stream optimistically within a bounded in-flight window;
 * - snapshot: an InstallSnapshot is outstanding; nothing else is sent until it is acknowledged or times out.
 */
export type ProgressState = "probe" | "replicate" | "snapshot";

/** A leader's view of one follower. */
export class Progress {
  matchIndex = 0;
  nextIndex: number;
  state: ProgressState = "probe";
  /** In probe state: an append is outstanding. */
  probeSent = false;
  /** Last index of each append with entries in flight, ascending (replicate state). */
  inflight: number[] = [];
  /** Heard from since the last check-quorum round. */
  recentActive = false;
  /** Highest ReadIndex round this follower acknowledged. */
  readAck = 0;
  /** Index of the snapshot in flight and when it was sent (local ms). */
  pendingSnapshot = 0;
  snapshotSentMs = 0;

  constructor(readonly id: NodeId, lastIndex: number) {
    this.nextIndex = lastIndex + 1;
  }

  /** Whether sending more entries must wait. */
  isPaused(maxInflight: number): boolean {
    switch (this.state) {
      case "probe": return this.probeSent;
      case "replicate": return this.inflight.length >= maxInflight;
      case "snapshot": return true;
    }
  }

  becomeProbe(): void {
    this.nextIndex = Math.max(this.matchIndex + 1, this.state === "snapshot" ? this.pendingSnapshot + 1 : this.matchIndex + 1);
    this.state = "probe";
    this.probeSent = false;
    this.inflight = [];
    this.pendingSnapshot = 0;
  }

  becomeReplicate(): void {
    this.state = "replicate";
    this.nextIndex = this.matchIndex + 1;
    this.inflight = [];
    this.pendingSnapshot = 0;
  }

  becomeSnapshot(index: number, nowMs: number): void {
    this.state = "snapshot";
    this.pendingSnapshot = index;
    this.snapshotSentMs = nowMs;
    this.inflight = [];
  }

  /** Records that an append ending at `lastIndex` was sent. */
  sent(lastIndex: number, entryCount: number): void {
    if (this.state === "replicate") {
      if (entryCount > 0) {
        this.nextIndex = lastIndex + 1;
        this.inflight.push(lastIndex);
      }
    } else if (this.state === "probe") {
      this.probeSent = true;
    }
  }

  /** A success up to `index`: returns whether matchIndex advanced. Frees the in-flight slots it covers. */
  maybeUpdate(index: number): boolean {
    let k = 0;
    while (k < this.inflight.length && this.inflight[k]! <= index) k++;
    if (k > 0) this.inflight.splice(0, k);
    this.probeSent = false;
    if (index <= this.matchIndex) return false;
    this.matchIndex = index;
    if (this.nextIndex <= index) this.nextIndex = index + 1;
    return true;
  }

  /**
   * A rejection of the append whose prevLogIndex was `rejected`, with the follower's hint already turned
   * into `hintNext` by the leader. Returns false for a stale rejection (it changes nothing).
   */
  maybeDecrTo(rejected: number, hintNext: number): boolean {
    if (this.state === "replicate") {
      if (rejected <= this.matchIndex) return false; // an old append that was overtaken
    } else if (rejected !== this.nextIndex - 1) {
      return false; // not the probe we are waiting for
    }
    const next = Math.max(this.matchIndex + 1, Math.min(hintNext, rejected));
    this.state = "probe";
    this.inflight = [];
    if (next === this.nextIndex) {
      // the follower rejects an index at or below what it acknowledged: it lost acknowledged entries, which
      // only a planted durability bug allows. Probe again at the next heartbeat rather than at network speed.
      this.probeSent = true;
      return false;
    }
    this.probeSent = false;
    this.nextIndex = next;
    return true;
  }
}
