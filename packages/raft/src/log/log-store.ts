import { type DurableStorage, type NodeId } from "@faultline/core";
import type { LogEntry, RaftSnapshot } from "../messages.js";
import { makeEntry, RaftLog } from "./raft-log.js";

/** The persisted vote state ("hard state" in etcd). */
export interface HardState {
  term: number;
  votedFor: NodeId | null;
}

/** Where the live log generation starts. */
interface LogMeta {
  /** Generation: the persisted log is the storage log `log.<gen>`. */
  gen: number;
  /** Raft index of that log's first record. */
  firstIndex: number;
}

/** Everything a node recovers from its disk in `onStart`. */
export interface RecoveredState {
  hard: HardState;
  commitIndex: number;
  snapshot: RaftSnapshot | undefined;
  log: RaftLog;
}

/**
 * A log entry as stored: without its digest, which is the stable JSON of the command again. Storing it
 * doubled each record (its quotes escaped inside the JSON), and encoding log records was the largest single
 * cost of a Raft step; recovery recomputes it.
 */
type StoredEntry = Omit<LogEntry, "digest">;

function stored(e: LogEntry): StoredEntry {
  return { index: e.index, term: e.term, command: e.command, atMs: e.atMs };
}

const KEY_HARD = "hard";
const KEY_COMMIT = "commit";
const KEY_SNAPSHOT = "snapshot";
const KEY_META = "logmeta";

/**
 * The durable layout of a Raft node on {@link DurableStorage}:
 * - `hard` = { term, votedFor }, `commit` = commitIndex, `snapshot` = the latest snapshot;
 * - the log after the snapshot as the append-log `log.<gen>`, whose first record has index `logmeta.firstIndex`.
 *
 * Compaction starts a new generation holding only the entries after the snapshot, and empties the old one,
 * so the persisted log stays bounded and a restart reads only the live generation. Writes here are not
 * synced: callers call {@link sync} before any message that depends on them. A sync is all-or-nothing in
 * the simulator, so one batch (snapshot + new generation + meta) can never be half-applied after a crash.
 */
export class LogStore {
  private meta: LogMeta = { gen: 0, firstIndex: 1 };

  constructor(private readonly storage: DurableStorage) {}

  /** Reads the node's state back. @throws StorageCorruptionError when a record fails its checksum */
  recover(): RecoveredState {
    const s = this.storage;
    const hard = s.get<HardState>(KEY_HARD) ?? { term: 0, votedFor: null };
    const snapshot = s.get<RaftSnapshot>(KEY_SNAPSHOT);
    this.meta = s.get<LogMeta>(KEY_META) ?? { gen: 0, firstIndex: 1 };
    const log = new RaftLog();
    if (snapshot !== undefined) log.compactTo(snapshot.index, snapshot.term);
    const records = s.readAll<StoredEntry>(this.logName());
    for (const record of records) {
      if (record.index <= log.snapshotIndex) continue; // covered by the snapshot
      // a hole means writes were lost after being acknowledged (only a planted bug does that): what follows
      // the hole cannot be trusted, so recovery stops there
      if (record.index !== log.lastIndex() + 1) break;
      log.entries.push(makeEntry(record.index, record.term, record.command, record.atMs));
    }
    const commitIndex = Math.min(Math.max(s.get<number>(KEY_COMMIT) ?? 0, log.snapshotIndex), log.lastIndex());
    return { hard, commitIndex, snapshot, log };
  }

  saveHardState(hard: HardState): void {
    this.storage.put(KEY_HARD, hard);
  }

  saveCommitIndex(index: number): void {
    this.storage.put(KEY_COMMIT, index);
  }

  /** Appends entries that continue the persisted log. */
  appendEntries(entries: readonly LogEntry[]): void {
    for (const e of entries) this.storage.append(this.logName(), stored(e));
  }

  /** Deletes every persisted entry after `index`. */
  truncateAfter(index: number): void {
    this.storage.truncateLog(this.logName(), Math.max(0, index - this.meta.firstIndex + 1));
  }

  /**
   * Persists `snapshot` and rewrites the log as a new generation holding `remaining` (the entries after
   * the snapshot, in order), emptying the old generation.
   */
  saveSnapshot(snapshot: RaftSnapshot, remaining: readonly LogEntry[]): void {
    const old = this.logName();
    this.meta = { gen: this.meta.gen + 1, firstIndex: snapshot.index + 1 };
    this.storage.put(KEY_SNAPSHOT, snapshot);
    for (const e of remaining) this.storage.append(this.logName(), stored(e));
    this.storage.put(KEY_META, this.meta);
    this.storage.truncateLog(old, 0);
  }

  sync(): void {
    this.storage.sync();
  }

  /** Records in the live persisted log generation (for tests of the bound). */
  persistedLength(): number {
    return this.storage.logLength(this.logName());
  }

  private logName(): string {
    return `log.${this.meta.gen}`;
  }
}
