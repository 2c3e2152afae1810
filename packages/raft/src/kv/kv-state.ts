import { DedupWindow, idempotencyKey } from "@faultline/core";
import type { KvOp } from "../messages.js";

/** The result of applying one write: a value, or a failed compare (the cas did not take effect). */
export type KvResult = { ok: true; value: unknown } | { ok: false; code: "CAS_FAILED"; value: unknown };

/** The serialized form of a {@link KvState} (snapshots). */
export interface KvSnapshotData {
  data: Array<[string, unknown]>;
  dedup: Array<[string, KvResult, number]>;
}

/** Most values one `append` key may accumulate: a bound on state growth. */
export const MAX_APPEND_LENGTH = 100_000;

/**
 * The replicated key-value state machine: get, put, cas and append, with client sessions kept inside the
 * replicated state. A write is remembered by its idempotency key `{requestId}:{f}` in a dedup window keyed
 * by the log entry's time (never a local clock), so every replica agrees, and a retried request that was
 * already applied returns the remembered result instead of executing twice.
 */
export class KvState {
  private data = new Map<string, unknown>();
  private dedup: DedupWindow<KvResult>;

  constructor(private readonly dedupWindowMs: number) {
    this.dedup = new DedupWindow<KvResult>(dedupWindowMs);
  }

  /** The value of `key` (null when absent), as a linearizable read sees it once applied up to its ReadIndex. */
  get(key: string): unknown {
    return this.data.has(key) ? this.data.get(key) : null;
  }

  /** The remembered result of a request, if it was applied within the window. */
  lookup(requestId: string, f: string, atMs: number): KvResult | undefined {
    return this.dedup.lookup(idempotencyKey(requestId, f), atMs);
  }

  /** Applies one write exactly once per idempotency key; `atMs` is the log entry's time. */
  apply(requestId: string, op: Exclude<KvOp, { f: "get" }>, atMs: number): KvResult {
    const key = idempotencyKey(requestId, op.f);
    const seen = this.dedup.lookup(key, atMs);
    if (seen !== undefined) return seen;
    const result = this.execute(op);
    this.dedup.remember(key, result, atMs);
    return result;
  }

  toSnapshot(): KvSnapshotData {
    return { data: [...this.data], dedup: this.dedup.toJSON() };
  }

  restore(snapshot: KvSnapshotData): void {
    this.data = new Map(snapshot.data);
    this.dedup = DedupWindow.fromJSON(snapshot.dedup, this.dedupWindowMs);
  }

  /** Number of keys (tests). */
  get size(): number {
    return this.data.size;
  }

  private execute(op: Exclude<KvOp, { f: "get" }>): KvResult {
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
        const next = list.length >= MAX_APPEND_LENGTH ? list : [...list, op.value];
        this.data.set(op.key, next);
        return { ok: true, value: null };
      }
      default: {
        const never: never = op;
        throw new Error(`unknown kv op ${JSON.stringify(never)}`);
      }
    }
  }
}

/** Value equality for cas: primitives by ===, structured values by their JSON. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
