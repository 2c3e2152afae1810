import type { DurableStorage } from "@faultline/core";
import type { PbEntry } from "./messages.js";

const LOG = "log";
const PROMISED = "promised";

/**
 * A replica's durable state: the log (storage log "log", entry i at position i - 1) and the promised epoch
 * (key "promised"), mirrored in memory. Every change is written through; the caller syncs before it tells
 * anyone (an acknowledgement, a fence reply), so a crash never loses what was promised.
 */
export class ReplicaLog {
  /** The entries, index i at position i - 1. A truncation replaces the array (observers may hold the old one). */
  entries: PbEntry[];
  promised: number;

  constructor(private readonly storage: DurableStorage) {
    this.entries = storage.readAll<PbEntry>(LOG);
    this.promised = storage.get<number>(PROMISED) ?? 0;
  }

  /** Whether the disk held nothing: a first boot. */
  get fresh(): boolean {
    return this.entries.length === 0 && this.storage.get<number>(PROMISED) === undefined;
  }

  get lastIndex(): number {
    return this.entries.length;
  }

  get lastEpoch(): number {
    return this.entries[this.entries.length - 1]?.epoch ?? 0;
  }

  at(index: number): PbEntry | undefined {
    return index >= 1 ? this.entries[index - 1] : undefined;
  }

  /** The epoch of the entry at `index` (0 at index 0: the empty prefix). */
  epochAt(index: number): number | undefined {
    return index === 0 ? 0 : this.at(index)?.epoch;
  }

  promise(epoch: number): void {
    this.promised = epoch;
    this.storage.put(PROMISED, epoch);
  }

  append(entry: PbEntry): void {
    this.entries.push(entry);
    this.storage.append(LOG, entry);
  }

  /** Keeps the first `length` entries. */
  truncate(length: number): void {
    if (length >= this.entries.length) return;
    this.entries = this.entries.slice(0, length);
    this.storage.truncateLog(LOG, length);
  }

  /** Entries from `from` (1-based), at most `max`. */
  slice(from: number, max: number): PbEntry[] {
    return this.entries.slice(from - 1, from - 1 + max);
  }

  sync(): void {
    this.storage.sync();
  }
}
