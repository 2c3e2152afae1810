import { ConfigError, StorageCorruptionError } from "../errors.js";
import { crc32 } from "./checksum.js";
import { NodeHalted } from "../node/halt.js";

/**
 * One stored record: its serialized bytes and the checksum of the bytes as written.
 *
 * The checksum is taken lazily, when a fault is about to damage the record: until then the bytes are the
 * bytes written, so a read cannot fail its check, and a CRC over every write (a tenth of a Raft step) bought
 * nothing. Reads of a damaged record fail exactly as with an eager checksum.
 */
interface StoredRecord {
  bytes: string;
  checksum: number | undefined;
}

/** A pending (unsynced) write, replayed in order on top of the synced state when read. */
type PendingWrite =
  | { op: "put"; key: string; record: StoredRecord }
  | { op: "delete"; key: string }
  | { op: "append"; log: string; record: StoredRecord }
  | { op: "truncate"; log: string; length: number };

/**
 * A node's simulated disk: a key-value map plus named append-only logs, with an explicit {@link sync}.
 *
 * Values are serialized as JSON when written (so later mutation of the caller's object cannot reach
 * the disk) and checked against a CRC-32 when read: a corrupted record throws {@link StorageCorruptionError}.
 * Writes are visible to reads at once, but only synced writes survive a crash.
 */
export interface DurableStorage {
  /** The value stored under `key`, or undefined. @throws StorageCorruptionError */
  get<T = unknown>(key: string): T | undefined;
  /** Writes `value` (JSON-serializable) under `key`. Durable after the next sync(). */
  put(key: string, value: unknown): void;
  /** Removes `key`. Durable after the next sync(). */
  delete(key: string): void;
  /** Appends one record to the named log; returns its 0-based position. */
  append(log: string, value: unknown): number;
  /** Number of records in the named log. */
  logLength(log: string): number;
  /** The record at `position` of the named log. @throws StorageCorruptionError */
  readLog<T = unknown>(log: string, position: number): T;
  /** Every record of the named log, in order. @throws StorageCorruptionError */
  readAll<T = unknown>(log: string): T[];
  /** Keeps the first `length` records of the named log, discarding the rest. */
  truncateLog(log: string, length: number): void;
  /** Makes every write so far durable. */
  sync(): void;
  /** Number of writes not yet synced. */
  readonly unsyncedWrites: number;
}

/** The most unsynced writes a node may accumulate before a sync: a bound, not a tuning knob. */
export const MAX_UNSYNCED_WRITES = 1_000_000;

/** The engine's implementation of {@link DurableStorage}, with the fault hooks the engine needs. */
export class SimulatedStorage implements DurableStorage {
  private readonly synced = new Map<string, StoredRecord>();
  private readonly syncedLogs = new Map<string, StoredRecord[]>();
  private pending: PendingWrite[] = [];
  /** The view that reads see: synced state plus pending writes. Rebuilt lazily after a crash. */
  private readonly live = new Map<string, StoredRecord>();
  private readonly liveLogs = new Map<string, StoredRecord[]>();
  /** Counters for metrics and tests. */
  syncCount = 0;
  bytesWritten = 0;
  /**
   * Engine hook: called after each sync that made a write durable, while a trigger watches this disk's
   * syncs; undefined otherwise, so an unwatched sync pays one check.
   */
  syncObserver: (() => void) | undefined = undefined;
  /**
   * Set (to the node's id) while a handler whose node a trigger crashed mid-handler unwinds: its writes and
   * syncs would outlive the crash, so they are refused with the {@link NodeHalted} signal.
   */
  haltedNode: string | undefined = undefined;

  get unsyncedWrites(): number {
    return this.pending.length;
  }

  get<T = unknown>(key: string): T | undefined {
    const record = this.live.get(key);
    return record === undefined ? undefined : (decode(record, key) as T);
  }

  put(key: string, value: unknown): void {
    this.refuseIfHalted();
    const record = encode(value, key);
    this.live.set(key, record);
    this.pushPending({ op: "put", key, record });
  }

  delete(key: string): void {
    this.refuseIfHalted();
    this.live.delete(key);
    this.pushPending({ op: "delete", key });
  }

  append(log: string, value: unknown): number {
    this.refuseIfHalted();
    const record = encode(value, `${log}[]`);
    const entries = this.liveLog(log);
    entries.push(record);
    this.pushPending({ op: "append", log, record });
    return entries.length - 1;
  }

  logLength(log: string): number {
    return this.liveLogs.get(log)?.length ?? 0;
  }

  readLog<T = unknown>(log: string, position: number): T {
    const record = this.liveLogs.get(log)?.[position];
    if (record === undefined) throw new ConfigError("position", `must be a record position of log ${JSON.stringify(log)}`, position);
    return decode(record, `${log}[${position}]`) as T;
  }

  readAll<T = unknown>(log: string): T[] {
    const entries = this.liveLogs.get(log) ?? [];
    return entries.map((record, i) => decode(record, `${log}[${i}]`) as T);
  }

  truncateLog(log: string, length: number): void {
    this.refuseIfHalted();
    const entries = this.liveLog(log);
    if (!Number.isInteger(length) || length < 0) throw new ConfigError("length", "must be an integer >= 0", length);
    if (length >= entries.length) return;
    entries.length = length;
    this.pushPending({ op: "truncate", log, length });
  }

  sync(): void {
    this.refuseIfHalted();
    if (this.pending.length === 0) return;
    for (const write of this.pending) applyWrite(write, this.synced, this.syncedLogs);
    this.pending = [];
    this.syncCount++;
    if (this.syncObserver !== undefined) this.syncObserver();
  }

  /** Crash: every unsynced write is lost; reads see the synced state again. */
  crash(): void {
    this.pending = [];
    this.rebuildLive();
  }

  /**
   * Storage fault: the unsynced suffix is lost now, without the process being told (the "fsyncgate" model:
   * the kernel dropped dirty pages). A protocol that syncs before every reply that depends on a write survives it.
   */
  loseUnsynced(): number {
    const lost = this.pending.length;
    this.crash();
    return lost;
  }

  /**
   * Storage fault: flips one character of a synced record so that its checksum no longer matches.
   * `pick` chooses among the candidate record names, sorted for determinism; a given `key` (a key, or
   * `log[i]`) names the record instead. Returns the name, or undefined when nothing was corrupted
   * (nothing is stored, or `key` names no synced record).
   */
  corrupt(pick: (names: readonly string[]) => string, key?: string): string | undefined {
    const names: string[] = [];
    for (const k of this.synced.keys()) names.push(k);
    for (const [log, entries] of this.syncedLogs) for (let i = 0; i < entries.length; i++) names.push(`${log}[${i}]`);
    if (names.length === 0) return undefined;
    names.sort();
    if (key !== undefined && !names.includes(key)) return undefined; // never damage a record the fault did not name
    const target = key ?? pick(names);
    const record = this.findSynced(target);
    if (record === undefined) return undefined;
    const flipped = record.bytes.length === 0 ? "\u0001" : flipFirstChar(record.bytes);
    record.checksum ??= crc32(record.bytes); // of the bytes as written, before the damage
    record.bytes = flipped; // the checksum stays: the next read detects the damage
    this.rebuildLive();
    return target;
  }

  /**
   * Bytes of the synced state (what survives a crash): every key and log name and every encoded record, in
   * UTF-8. Computed on demand (a walk over the disk), for tests and size budgets, not for hot paths.
   */
  syncedBytes(): number {
    let bytes = 0;
    for (const [key, record] of this.synced) bytes += utf8Length(key) + utf8Length(record.bytes);
    for (const [log, records] of this.syncedLogs) {
      bytes += utf8Length(log);
      for (const record of records) bytes += utf8Length(record.bytes);
    }
    return bytes;
  }

  /** A deterministic digest of the synced state, for tests that compare disks. */
  syncedSnapshot(): { keys: Record<string, string>; logs: Record<string, string[]> } {
    const keys: Record<string, string> = {};
    for (const k of [...this.synced.keys()].sort()) keys[k] = this.synced.get(k)!.bytes;
    const logs: Record<string, string[]> = {};
    for (const l of [...this.syncedLogs.keys()].sort()) logs[l] = this.syncedLogs.get(l)!.map((r) => r.bytes);
    return { keys, logs };
  }

  /** A node that a trigger crashed mid-handler writes and syncs nothing more while its handler unwinds. */
  private refuseIfHalted(): void {
    if (this.haltedNode !== undefined) throw new NodeHalted(this.haltedNode);
  }

  private findSynced(name: string): StoredRecord | undefined {
    const direct = this.synced.get(name);
    if (direct !== undefined) return direct;
    const match = /^(.*)\[(\d+)\]$/.exec(name);
    return match ? this.syncedLogs.get(match[1]!)?.[Number(match[2])] : undefined;
  }

  private pushPending(write: PendingWrite): void {
    if (this.pending.length >= MAX_UNSYNCED_WRITES) {
      throw new ConfigError("storage", `more than ${MAX_UNSYNCED_WRITES} unsynced writes: call sync()`);
    }
    this.pending.push(write);
    this.bytesWritten += write.op === "put" || write.op === "append" ? write.record.bytes.length : 0;
  }

  private liveLog(log: string): StoredRecord[] {
    let entries = this.liveLogs.get(log);
    if (entries === undefined) {
      entries = [];
      this.liveLogs.set(log, entries);
    }
    return entries;
  }

  private rebuildLive(): void {
    this.live.clear();
    this.liveLogs.clear();
    for (const [k, v] of this.synced) this.live.set(k, v);
    for (const [l, entries] of this.syncedLogs) this.liveLogs.set(l, entries.slice());
    for (const write of this.pending) applyWrite(write, this.live, this.liveLogs);
  }
}

function applyWrite(write: PendingWrite, keys: Map<string, StoredRecord>, logs: Map<string, StoredRecord[]>): void {
  switch (write.op) {
    case "put":
      keys.set(write.key, write.record);
      return;
    case "delete":
      keys.delete(write.key);
      return;
    case "append": {
      let entries = logs.get(write.log);
      if (entries === undefined) logs.set(write.log, (entries = []));
      entries.push(write.record);
      return;
    }
    case "truncate": {
      const entries = logs.get(write.log);
      if (entries !== undefined && entries.length > write.length) entries.length = write.length;
      return;
    }
  }
}

function encode(value: unknown, field: string): StoredRecord {
  let bytes: string | undefined;
  try {
    bytes = JSON.stringify(value);
  } catch (error) {
    throw new ConfigError(field, `value must be JSON-serializable: ${(error as Error).message}`);
  }
  if (bytes === undefined) throw new ConfigError(field, "value must be JSON-serializable", value);
  return { bytes, checksum: undefined };
}

function decode(record: StoredRecord, name: string): unknown {
  if (record.checksum !== undefined && crc32(record.bytes) !== record.checksum) throw new StorageCorruptionError(name);
  return JSON.parse(record.bytes);
}

function flipFirstChar(bytes: string): string {
  return String.fromCharCode(bytes.charCodeAt(0) ^ 0x20) + bytes.slice(1);
}

/** The UTF-8 length of a string (surrogate pairs count 4 bytes), without encoding it. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
