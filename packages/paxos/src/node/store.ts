import type { DurableStorage } from "@faultline/core";
import { ZERO_BALLOT, type Ballot } from "../ballot.js";
import type { PaxosSnapshot, PValue } from "../messages.js";

const KEY_PROMISED = "paxos.promised";
const KEY_SNAPSHOT = "paxos.snapshot";
const LOG_ACCEPTED = "paxos.accepted";
const LOG_DECIDED = "paxos.decided";

/** What a node finds on its disk at start. */
export interface RecoveredState {
  promised: Ballot;
  /** Every accepted pvalue record, oldest first (several per slot; the highest ballot wins). */
  accepted: PValue[];
  /** Every decision record, oldest first. */
  decided: PValue[];
  snapshot: PaxosSnapshot | undefined;
}

/**
 * The disk layout of a Multi-Paxos node: the acceptor's promise (a key) and accepted pvalues (an append-only
 * log), the replica's decisions (an append-only log) and snapshot (a key). Compaction rewrites both logs
 * (truncate, then append what remains); the engine applies a sync's writes all together, so a crash sees the
 * old logs or the new ones. Callers sync before anything that depends on a write leaves the node.
 */
export class PaxosStore {
  constructor(private readonly disk: DurableStorage) {}

  /** Reads everything back. @throws StorageCorruptionError (the engine then fail-stops the node) */
  recover(): RecoveredState {
    return {
      promised: this.disk.get<Ballot>(KEY_PROMISED) ?? ZERO_BALLOT,
      accepted: this.disk.readAll<PValue>(LOG_ACCEPTED),
      decided: this.disk.readAll<PValue>(LOG_DECIDED),
      snapshot: this.disk.get<PaxosSnapshot>(KEY_SNAPSHOT),
    };
  }

  savePromise(ballot: Ballot): void {
    this.disk.put(KEY_PROMISED, ballot);
  }

  appendAccepted(pvalue: PValue): void {
    this.disk.append(LOG_ACCEPTED, pvalue);
  }

  appendDecided(pvalue: PValue): void {
    this.disk.append(LOG_DECIDED, pvalue);
  }

  /** Replaces the snapshot and keeps only the given pvalues and decisions (those above the snapshot). */
  compact(snapshot: PaxosSnapshot, accepted: Iterable<PValue>, decided: Iterable<PValue>): void {
    this.disk.put(KEY_SNAPSHOT, snapshot);
    rewrite(this.disk, LOG_ACCEPTED, accepted);
    rewrite(this.disk, LOG_DECIDED, decided);
  }

  sync(): void {
    this.disk.sync();
  }

  /** Records in the two logs (bounded by compaction). */
  persistedRecords(): number {
    return this.disk.logLength(LOG_ACCEPTED) + this.disk.logLength(LOG_DECIDED);
  }
}

function rewrite(disk: DurableStorage, log: string, records: Iterable<PValue>): void {
  disk.truncateLog(log, 0);
  for (const r of records) disk.append(log, r);
}
