import type { RaftInspection } from "../inspect.js";

/** How a node's log changed since the previous look. Indices are Raft log indices (1-based). */
export interface LogChange {
  /** The lowest index whose entry is new or different; `newLast + 1` when nothing was added or rewritten. */
  firstChanged: number;
  /** The last index before and after. */
  oldLast: number;
  newLast: number;
  /** Snapshot index before and after. */
  oldSnapshotIndex: number;
  newSnapshotIndex: number;
}

/**
 * A shadow copy of one node's log (terms and digests after its snapshot), diffed against each new inspection.
 *
 * The diff assumes what Raft does to a log: append at the end, truncate a suffix, or compact a prefix into a
 * snapshot. It walks down from the shorter of the two last indices until an entry matches, so its cost is
 * the size of the change, not of the log. (A node that rewrote a middle entry while keeping every later
 * entry identical would escape the diff; Raft has no operation that does this.)
 */
export class LogShadow {
  private base = 0;
  private terms: number[] = [];
  private digests: string[] = [];

  /** Diffs `insp` against the shadow into `out` (reused: this runs after every step), then makes the shadow equal to it. */
  update(insp: RaftInspection, out: LogChange): LogChange {
    const oldLast = this.base + this.terms.length;
    const oldSnapshotIndex = this.base;
    const s = insp.snapshotIndex;
    const entries = insp.entries;
    const newLast = s + entries.length;
    if (s < this.base) {
      // the snapshot went back (a restart from an older snapshot): everything after it counts as changed
      this.reset(s);
    } else if (s > this.base) {
      this.compact(s);
    }
    let j = Math.min(newLast, this.base + this.terms.length);
    while (j > this.base) {
      const k = j - this.base - 1;
      const e = entries[j - s - 1]!;
      if (this.terms[k] === e.term && this.digests[k] === e.digest) break;
      j--;
    }
    const firstChanged = j + 1;
    this.terms.length = j - this.base;
    this.digests.length = j - this.base;
    for (let idx = firstChanged; idx <= newLast; idx++) {
      const e = entries[idx - s - 1]!;
      this.terms.push(e.term);
      this.digests.push(e.digest);
    }
    out.firstChanged = firstChanged;
    out.oldLast = oldLast;
    out.newLast = newLast;
    out.oldSnapshotIndex = oldSnapshotIndex;
    out.newSnapshotIndex = s;
    return out;
  }

  private reset(base: number): void {
    this.base = base;
    this.terms = [];
    this.digests = [];
  }

  private compact(s: number): void {
    const drop = s - this.base;
    if (drop >= this.terms.length) return this.reset(s);
    this.terms = this.terms.slice(drop);
    this.digests = this.digests.slice(drop);
    this.base = s;
  }
}
