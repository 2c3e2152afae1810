import type { DurableStorage } from "@faultline/core";
import type { PreparedCert, PrePrepare, ServiceSnapshot, StableCheckpoint } from "../messages.js";

/** The view a replica is in, and whether it is active in it (false: it sent a VIEW-CHANGE for it and waits for the NEW-VIEW). */
export interface DurableView {
  view: number;
  active: boolean;
}

/** A record of the replica's votes: a pre-prepare it accepted (and prepared), or a prepared certificate (and its commit). */
export type VoteRecord = { k: "pp"; pp: PrePrepare } | { k: "cert"; cert: PreparedCert };

const KEY_VIEW = "view";
const KEY_STABLE = "stable";
const LOG_VOTES = "votes";

/**
 * What a PBFT replica keeps on disk, so that a crash and restart never make it contradict what it said
 * before: its view (a replica that asked for view v+1 never goes back to v), the pre-prepares it accepted
 * (so it never prepares a different request at the same view and number), its prepared certificates (so
 * its next VIEW-CHANGE still reports them: a committed request survives view changes only if the correct
 * replicas that prepared it remember) and its last stable checkpoint with the service state. Everything is
 * written before the messages that depend on it leave (the replica syncs, then sends).
 *
 * What a restart loses is what it may lose: the service state above the stable checkpoint (re-executed from
 * committed certificates, or replaced by state transfer) and the votes of others.
 */
export class ReplicaStore {
  constructor(private readonly storage: DurableStorage) {}

  /** Whether anything was written since the last sync. */
  get dirty(): boolean {
    return this.storage.unsyncedWrites > 0;
  }

  saveView(v: DurableView): void {
    this.storage.put(KEY_VIEW, v);
  }

  saveStable(stable: StableCheckpoint, state: ServiceSnapshot): void {
    this.storage.put(KEY_STABLE, { stable, state });
  }

  appendVote(record: VoteRecord): void {
    this.storage.append(LOG_VOTES, record);
  }

  /** Replaces the vote log with `records` (after a stable checkpoint made the rest garbage). */
  rewriteVotes(records: readonly VoteRecord[]): void {
    this.storage.truncateLog(LOG_VOTES, 0);
    for (const r of records) this.storage.append(LOG_VOTES, r);
  }

  sync(): void {
    this.storage.sync();
  }

  load(): { view: DurableView | undefined; stable: { stable: StableCheckpoint; state: ServiceSnapshot } | undefined; votes: VoteRecord[] } {
    return {
      view: this.storage.get<DurableView>(KEY_VIEW),
      stable: this.storage.get<{ stable: StableCheckpoint; state: ServiceSnapshot }>(KEY_STABLE),
      votes: this.storage.readAll<VoteRecord>(LOG_VOTES),
    };
  }
}
