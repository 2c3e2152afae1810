import { DedupWindow, idempotencyKey } from "../clients/retry-policy.js";
import { sameValue } from "../checkers/model.js";
import { ConfigError } from "../errors.js";
import type { KvWrite } from "./kv-ops.js";

/** The result of one write: its value, or a failed compare (the cas did not take effect). */
export type KvResult = { ok: true; value: unknown } | { ok: false; code: "CAS_FAILED"; value: unknown };

/** The serialized form of a {@link KvStateMachine}, for snapshots: plain JSON. */
export interface KvSnapshotData {
  data: Array<[string, unknown]>;
  dedup: Array<[string, KvResult, number]>;
}

/** Most values one `append` key may accumulate: a bound on state growth. */
export const MAX_APPEND_LENGTH = 100_000;

/**
 * The replicated key-value state machine every protocol package shares. It knows no protocol: a protocol
 * decides the order of writes (log index, slot, sequence number) and calls {@link apply} in that order on
 * every replica.
 *
 * Exactly-once: a write is remembered by its idempotency key `{requestId}:{f}` in a {@link DedupWindow}
 * keyed by replicated time (the time the protocol stored with the write, never a replica's own clock), so
 * every replica remembers and forgets the same keys, and a retried request that already took effect
 * returns the remembered result instead of executing again.
 *
 * Values compare by `sameValue` (stable JSON for structured values): a cas compares `{a:1,b:2}` equal to
 * `{b:2,a:1}` on every replica alike.
 */
export class KvStateMachine {
  private data = new Map<string, unknown>();
  private dedup: DedupWindow<KvResult>;
  /** Writes executed (not deduplicated), for tests and metrics. */
  executed = 0;

  /** @param dedupWindowMs how long a request's result is remembered, in replicated time. @defaultValue 300000 */
  constructor(private readonly dedupWindowMs = 300_000) {
    this.dedup = new DedupWindow<KvResult>(dedupWindowMs);
  }

  /** The value of `key` (null when absent), as a read sees it once the replica applied everything before it. */
  get(key: string): unknown {
    return this.data.has(key) ? this.data.get(key) : null;
  }

  /** The remembered result of a request, if it was applied within the window before `atMs`. */
  lookup(requestId: string, f: string, atMs: number): KvResult | undefined {
    return this.dedup.lookup(idempotencyKey(requestId, f), atMs);
  }

  /**
   * Applies one write exactly once per idempotency key. `atMs` is the write's replicated time: the same on
   * every replica (for example the time the leader stored in the log entry).
   */
  apply(requestId: string, op: KvWrite, atMs: number): KvResult {
    if (typeof requestId !== "string") throw new ConfigError("kv.requestId", "must be a string", requestId);
    const key = idempotencyKey(requestId, op.f);
    const seen = this.dedup.lookup(key, atMs);
    if (seen !== undefined) return seen;
    const result = this.execute(op);
    this.executed++;
    this.dedup.remember(key, result, atMs);
    return result;
  }

  /** The state as plain JSON (data and the dedup window), for a snapshot. */
  toSnapshot(): KvSnapshotData {
    return { data: [...this.data], dedup: this.dedup.toJSON() };
  }

  /** Replaces the state with a snapshot's. */
  restore(snapshot: KvSnapshotData): void {
    if (snapshot === null || typeof snapshot !== "object" || !Array.isArray(snapshot.data) || !Array.isArray(snapshot.dedup)) {
      throw new ConfigError("kv.snapshot", "must be { data: [key, value][], dedup: [key, result, atMs][] }", snapshot);
    }
    this.data = new Map(snapshot.data);
    this.dedup = DedupWindow.fromJSON(snapshot.dedup, this.dedupWindowMs);
  }

  /** Number of keys. */
  get size(): number {
    return this.data.size;
  }

  private execute(op: KvWrite): KvResult {
    switch (op.f) {
      case "put":
        this.data.set(op.key, op.value);
        return { ok: true, value: null };
      case "cas": {
        const current = this.get(op.key);
        if (!sameValue(current, op.expected)) return { ok: false, code: "CAS_FAILED", value: current };
        this.data.set(op.key, op.value);
        return { ok: true, value: true };
      }
      case "append": {
        const current = this.data.get(op.key);
        const list = Array.isArray(current) ? current : [];
        // a new array per append: a snapshot taken earlier shares the old one and must not see this value
        const next = list.length >= MAX_APPEND_LENGTH ? list : [...list, op.value];
        this.data.set(op.key, next);
        return { ok: true, value: null };
      }
      default: {
        const never: never = op;
        throw new ConfigError("kv.op.f", "must be put, cas or append", (never as { f: unknown }).f);
      }
    }
  }
}
