import { InternalInvariantError, stableJson } from "@faultline/core";
import type { LogEntry, RaftCommand } from "../messages.js";

/**
 * A node's in-memory Raft log after its snapshot: 1-based indices as in the paper. Entries at or below
 * `snapshotIndex` are compacted away; `entries[0]` (if any) has index `snapshotIndex + 1`.
 *
 * The `entries` array only ever grows in place: a truncation or compaction replaces it with a new array,
 * so an observer that kept the old array still sees what it saw (invariants rely on that).
 */
export class RaftLog {
  entries: LogEntry[] = [];
  snapshotIndex = 0;
  snapshotTerm = 0;

  lastIndex(): number {
    return this.snapshotIndex + this.entries.length;
  }

  lastTerm(): number {
    const n = this.entries.length;
    return n === 0 ? this.snapshotTerm : this.entries[n - 1]!.term;
  }

  /** The term of the entry at `index`; undefined when it is compacted (below the snapshot) or beyond the end. */
  term(index: number): number | undefined {
    if (index === this.snapshotIndex) return this.snapshotTerm;
    if (index < this.snapshotIndex || index > this.lastIndex()) return undefined;
    return this.entries[index - this.snapshotIndex - 1]!.term;
  }

  /** The entry at `index`, if present (not compacted). */
  entry(index: number): LogEntry | undefined {
    if (index <= this.snapshotIndex) return undefined;
    return this.entries[index - this.snapshotIndex - 1];
  }

  /** Entries in [from, to] (inclusive), at most `max` of them. `from` must be above the snapshot. */
  slice(from: number, to: number, max: number): LogEntry[] {
    if (from <= this.snapshotIndex) throw new InternalInvariantError(`slice(${from}) reaches into the snapshot at ${this.snapshotIndex}`);
    const end = Math.min(to, this.lastIndex(), from + max - 1);
    return this.entries.slice(from - this.snapshotIndex - 1, end - this.snapshotIndex);
  }

  /** Appends entries that must continue the log at `lastIndex() + 1`. */
  append(entries: readonly LogEntry[]): void {
    for (const e of entries) {
      if (e.index !== this.lastIndex() + 1) throw new InternalInvariantError(`append of index ${e.index} after ${this.lastIndex()}`);
      this.entries.push(e);
    }
  }

  /** Deletes every entry after `index` (which must not be below the snapshot). Replaces the array. */
  truncateAfter(index: number): void {
    if (index < this.snapshotIndex) throw new InternalInvariantError(`truncate after ${index} below snapshot ${this.snapshotIndex}`);
    if (index >= this.lastIndex()) return;
    this.entries = this.entries.slice(0, index - this.snapshotIndex);
  }

  /** Drops the entries up to `index` (covered by a snapshot with last term `term`). Replaces the array. */
  compactTo(index: number, term: number): void {
    if (index <= this.snapshotIndex) return;
    this.entries = index >= this.lastIndex() ? [] : this.entries.slice(index - this.snapshotIndex);
    this.snapshotIndex = index;
    this.snapshotTerm = term;
  }

  /** The first index of the run of entries with term `term` that contains `index` (fast backtracking). */
  firstIndexOfTerm(index: number, term: number): number {
    let i = index;
    while (i - 1 > this.snapshotIndex && this.term(i - 1) === term) i--;
    return i;
  }

  /** The last index whose entry has term `term`, or 0 when the log (after the snapshot) has none. */
  lastIndexOfTerm(term: number): number {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const t = this.entries[i]!.term;
      if (t === term) return this.snapshotIndex + i + 1;
      if (t < term) break; // terms are non-decreasing along a log
    }
    return 0;
  }
}

/** Builds an entry, computing its digest once. */
export function makeEntry(index: number, term: number, command: RaftCommand, atMs: number): LogEntry {
  return { index, term, command, atMs, digest: stableJson(command) };
}

/** Whether a candidate's log (lastIndex, lastTerm) is at least as up to date as ours (§5.4.1). */
export function isUpToDate(candidateLastIndex: number, candidateLastTerm: number, log: RaftLog): boolean {
  const myTerm = log.lastTerm();
  return candidateLastTerm > myTerm || (candidateLastTerm === myTerm && candidateLastIndex >= log.lastIndex());
}
