import { ConfigError } from "../errors.js";
import { checkNonNegative } from "../network/config.js";

/** Error codes a client may see, and what the retry policy does with them by default. */
export const RETRYABLE_ERRORS = ["LEADER_NOT_FOUND", "QUORUM_UNREACHABLE", "TIMEOUT", "NETWORK_PARTITION_HEALING"] as const;
export const ABORTING_ERRORS = ["INVALID_TERM", "DUPLICATE_REQUEST", "PERMANENT_FAILURE"] as const;

/** Retry policy options. Every field is documented with its default. */
export interface RetryPolicyOptions {
  /** Attempts in total, the first included. @defaultValue 10 */
  maxAttempts: number;
  /** Delay before the first retry. @defaultValue 50 */
  initialDelayMs: number;
  /** Ceiling of the backoff delay. @defaultValue 10000 */
  maxDelayMs: number;
  /** Growth factor per attempt. @defaultValue 2.0 */
  multiplier: number;
  /** Relative jitter in [0,1]: the delay is scaled by a factor in [1-jitter, 1+jitter]. @defaultValue 0.25 */
  jitter: number;
  /** Codes that are retried. @defaultValue LEADER_NOT_FOUND, QUORUM_UNREACHABLE, TIMEOUT, NETWORK_PARTITION_HEALING */
  retryOn: readonly string[];
  /** Codes that abort at once. @defaultValue INVALID_TERM, DUPLICATE_REQUEST, PERMANENT_FAILURE */
  abortOn: readonly string[];
  /** How long servers remember an idempotency key. @defaultValue 300000 (300 s) */
  dedupWindowMs: number;
}

/** The seed's defaults, filled in one place. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicyOptions> = Object.freeze({
  maxAttempts: 10,
  initialDelayMs: 50,
  maxDelayMs: 10_000,
  multiplier: 2.0,
  jitter: 0.25,
  retryOn: RETRYABLE_ERRORS,
  abortOn: ABORTING_ERRORS,
  dedupWindowMs: 300_000,
});

/** What to do after a failed attempt. */
export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: "abort" | "exhausted" | "unknown-error" };

/**
 * Exponential backoff with jitter. Stateless: callers keep the attempt count, and pass a random source
 * (the client's own stream), so the policy is deterministic and shared by every protocol's client.
 */
export class RetryPolicy {
  readonly options: Readonly<RetryPolicyOptions>;

  constructor(options: Partial<RetryPolicyOptions> = {}) {
    const o: RetryPolicyOptions = { ...DEFAULT_RETRY_POLICY };
    for (const [k, v] of Object.entries(options ?? {})) if (v !== undefined) (o as unknown as Record<string, unknown>)[k] = v; // undefined keeps the default
    if (!Number.isInteger(o.maxAttempts) || o.maxAttempts < 1 || o.maxAttempts > 1000) {
      throw new ConfigError("retry.maxAttempts", "must be an integer from 1 to 1000", o.maxAttempts);
    }
    checkNonNegative(o.initialDelayMs, "retry.initialDelayMs");
    checkNonNegative(o.maxDelayMs, "retry.maxDelayMs");
    if (o.maxDelayMs < o.initialDelayMs) throw new ConfigError("retry.maxDelayMs", "must be >= initialDelayMs", o.maxDelayMs);
    if (!(o.multiplier >= 1)) throw new ConfigError("retry.multiplier", "must be a number >= 1", o.multiplier);
    if (!(o.jitter >= 0 && o.jitter <= 1)) throw new ConfigError("retry.jitter", "must be in [0,1]", o.jitter);
    checkNonNegative(o.dedupWindowMs, "retry.dedupWindowMs");
    checkCodes(o.retryOn, "retry.retryOn");
    checkCodes(o.abortOn, "retry.abortOn");
    this.options = Object.freeze(o);
  }

  /** The backoff before retry number `attempt` (1 = the first retry), jittered with `random()` in [0,1). */
  delayMs(attempt: number, random: () => number): number {
    const o = this.options;
    const base = Math.min(o.maxDelayMs, o.initialDelayMs * Math.pow(o.multiplier, Math.max(0, attempt - 1)));
    const factor = 1 - o.jitter + 2 * o.jitter * random();
    return Math.min(o.maxDelayMs, base * factor);
  }

  /** Decides after attempt number `attempt` (1-based) failed with `code`. */
  decide(code: string, attempt: number, random: () => number): RetryDecision {
    const o = this.options;
    if (o.abortOn.includes(code)) return { retry: false, reason: "abort" };
    if (!o.retryOn.includes(code)) return { retry: false, reason: "unknown-error" };
    if (attempt >= o.maxAttempts) return { retry: false, reason: "exhausted" };
    return { retry: true, delayMs: this.delayMs(attempt, random) };
  }
}

/** The idempotency key of a request: `{request_id}:{operation_type}`. */
export function idempotencyKey(requestId: string, operationType: string): string {
  return `${requestId}:${operationType}`;
}

/**
 * A server-side deduplication window: remembers the result of each idempotency key for `windowMs`,
 * so a retried request is answered from the cache instead of executing twice. Bounded by `maxEntries`
 * (oldest evicted first); entries expire in insertion order, which is time order.
 *
 * For replicated state machines, keep this inside the replicated state (so every replica agrees) and
 * pass the time of the log entry, not a local clock.
 */
export class DedupWindow<R = unknown> {
  private readonly entries = new Map<string, { result: R; atMs: number }>();
  constructor(readonly windowMs: number = DEFAULT_RETRY_POLICY.dedupWindowMs, readonly maxEntries = 100_000) {
    checkNonNegative(windowMs, "dedup.windowMs");
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new ConfigError("dedup.maxEntries", "must be an integer >= 1", maxEntries);
  }

  /** The remembered result for `key`, if still within the window at `nowMs`. */
  lookup(key: string, nowMs: number): R | undefined {
    this.expire(nowMs);
    const entry = this.entries.get(key);
    // expire() stops at the first live entry; an entry remembered out of time order may sit behind it
    return entry !== undefined && nowMs - entry.atMs <= this.windowMs ? entry.result : undefined;
  }

  /** Remembers `result` for `key` at `nowMs`. */
  remember(key: string, result: R, nowMs: number): void {
    this.expire(nowMs);
    this.entries.delete(key);
    this.entries.set(key, { result, atMs: nowMs });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Plain data for snapshots. */
  toJSON(): Array<[string, R, number]> {
    return [...this.entries].map(([k, v]) => [k, v.result, v.atMs]);
  }

  /** Rebuilds a window from {@link toJSON} output. */
  static fromJSON<R>(data: Array<[string, R, number]>, windowMs?: number, maxEntries?: number): DedupWindow<R> {
    const w = new DedupWindow<R>(windowMs, maxEntries);
    for (const [k, r, at] of data) w.entries.set(k, { result: r, atMs: at });
    for (const k of w.entries.keys()) {
      if (w.entries.size <= w.maxEntries) break;
      w.entries.delete(k); // keep the bound: the oldest go first, as in remember()
    }
    return w;
  }

  private expire(nowMs: number): void {
    for (const [k, v] of this.entries) {
      if (nowMs - v.atMs <= this.windowMs) break;
      this.entries.delete(k);
    }
  }
}

function checkCodes(codes: unknown, field: string): void {
  if (!Array.isArray(codes) || codes.some((c) => typeof c !== "string")) throw new ConfigError(field, "must be an array of error-code strings", codes);
}
