import { describe, expect, it } from "vitest";
import { ABORTING_ERRORS, ConfigError, DEFAULT_RETRY_POLICY, DedupWindow, RETRYABLE_ERRORS, RandomStream, RetryPolicy, idempotencyKey } from "@faultline/core";

const mid = () => 0.5; // jitter factor exactly 1

describe("retry policy", () => {
  it("has the seed's defaults: 10 attempts, 50 ms, 10 s, x2, jitter 0.25, 300 s dedup window", () => {
    const p = new RetryPolicy();
    expect(p.options).toEqual({
      maxAttempts: 10,
      initialDelayMs: 50,
      maxDelayMs: 10_000,
      multiplier: 2,
      jitter: 0.25,
      retryOn: ["LEADER_NOT_FOUND", "QUORUM_UNREACHABLE", "TIMEOUT", "NETWORK_PARTITION_HEALING"],
      abortOn: ["INVALID_TERM", "DUPLICATE_REQUEST", "PERMANENT_FAILURE"],
      dedupWindowMs: 300_000,
    });
    expect(DEFAULT_RETRY_POLICY).toEqual(p.options);
    expect(Object.isFrozen(p.options)).toBe(true);
  });

  it("backs off exponentially from 50 ms, doubling, up to the 10 s ceiling", () => {
    const p = new RetryPolicy();
    const delays = Array.from({ length: 10 }, (_, i) => p.delayMs(i + 1, mid));
    expect(delays).toEqual([50, 100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000]);
  });

  it("jitter scales each delay by a factor within [1 - jitter, 1 + jitter], never above the ceiling", () => {
    const p = new RetryPolicy();
    const rng = new RandomStream("jitter", "client");
    for (let attempt = 1; attempt <= 12; attempt++) {
      const base = Math.min(10_000, 50 * 2 ** (attempt - 1));
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < 500; i++) {
        const d = p.delayMs(attempt, () => rng.float());
        lo = Math.min(lo, d);
        hi = Math.max(hi, d);
      }
      expect(lo).toBeGreaterThanOrEqual(base * 0.75);
      expect(hi).toBeLessThanOrEqual(Math.min(10_000, base * 1.25));
      expect(hi - lo).toBeGreaterThan(0); // it does jitter
    }
    expect(p.delayMs(1, () => 0)).toBe(37.5);
    expect(new RetryPolicy({ jitter: 0 }).delayMs(3, () => 0.99)).toBe(200);
  });

  it("retries the retryable codes and aborts on the aborting ones", () => {
    const p = new RetryPolicy();
    for (const code of RETRYABLE_ERRORS) expect(p.decide(code, 1, mid)).toEqual({ retry: true, delayMs: 50 });
    for (const code of ABORTING_ERRORS) expect(p.decide(code, 1, mid)).toEqual({ retry: false, reason: "abort" });
    expect(p.decide("DISK_ON_FIRE", 1, mid)).toEqual({ retry: false, reason: "unknown-error" });
  });

  it("gives up after maxAttempts attempts in total (the first included)", () => {
    const p = new RetryPolicy();
    let attempt = 1;
    const delays: number[] = [];
    for (;;) {
      const d = p.decide("TIMEOUT", attempt, mid);
      if (!d.retry) {
        expect(d.reason).toBe("exhausted");
        break;
      }
      delays.push(d.delayMs);
      attempt++;
    }
    expect(attempt).toBe(10);
    expect(delays.length).toBe(9);
    expect(new RetryPolicy({ maxAttempts: 1 }).decide("TIMEOUT", 1, mid)).toEqual({ retry: false, reason: "exhausted" });
  });

  it("custom retry-on and abort-on lists replace the defaults; abort wins over retry", () => {
    const p = new RetryPolicy({ retryOn: ["BUSY", "TIMEOUT"], abortOn: ["TIMEOUT"] });
    expect(p.decide("BUSY", 1, mid).retry).toBe(true);
    expect(p.decide("TIMEOUT", 1, mid)).toEqual({ retry: false, reason: "abort" });
    expect(p.decide("LEADER_NOT_FOUND", 1, mid)).toEqual({ retry: false, reason: "unknown-error" });
  });

  it("an option given as undefined keeps its default", () => {
    expect(new RetryPolicy({ maxAttempts: undefined, jitter: undefined }).options.maxAttempts).toBe(10);
  });

  it("bad options are ConfigErrors naming the field", () => {
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ maxAttempts: 0 }, "retry.maxAttempts"],
      [{ maxAttempts: 2.5 }, "retry.maxAttempts"],
      [{ initialDelayMs: -1 }, "retry.initialDelayMs"],
      [{ maxDelayMs: 10, initialDelayMs: 50 }, "retry.maxDelayMs"],
      [{ multiplier: 0.5 }, "retry.multiplier"],
      [{ jitter: 1.5 }, "retry.jitter"],
      [{ dedupWindowMs: -5 }, "retry.dedupWindowMs"],
      [{ retryOn: "TIMEOUT" }, "retry.retryOn"],
      [{ abortOn: [1] }, "retry.abortOn"],
    ];
    for (const [options, field] of bad) {
      let err: unknown;
      try { new RetryPolicy(options); } catch (e) { err = e; }
      expect(err, JSON.stringify(options)).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).field).toBe(field);
    }
  });
});

describe("idempotency and deduplication", () => {
  it("the idempotency key is {request_id}:{operation_type}", () => {
    expect(idempotencyKey("req-17", "write")).toBe("req-17:write");
  });

  it("a remembered result is returned within the 300 s default window and forgotten after it", () => {
    const w = new DedupWindow<string>();
    expect(w.windowMs).toBe(300_000);
    w.remember("r1:write", "ok-1", 1000);
    expect(w.lookup("r1:write", 1000)).toBe("ok-1");
    expect(w.lookup("r1:write", 301_000)).toBe("ok-1"); // exactly 300 s later: still inside
    expect(w.lookup("r1:write", 301_001)).toBeUndefined();
    expect(w.size).toBe(0);
  });

  it("remembering a key again refreshes it; expiry stops at the first live entry", () => {
    const w = new DedupWindow<number>(100);
    w.remember("a", 1, 0);
    w.remember("b", 2, 50);
    w.remember("a", 3, 60);
    expect(w.lookup("b", 151)).toBeUndefined();
    expect(w.lookup("a", 151)).toBe(3);
  });

  it("an entry older than the window is never returned, even when remembered out of time order", () => {
    const w = new DedupWindow<number>(100);
    w.remember("new", 1, 500);
    w.remember("old", 2, 400); // a caller whose clock stepped back
    expect(w.lookup("old", 550)).toBeUndefined();
    expect(w.lookup("new", 550)).toBe(1);
  });

  it("is bounded: beyond maxEntries the oldest entry is evicted", () => {
    const w = new DedupWindow<number>(1_000_000, 3);
    for (let i = 0; i < 5; i++) w.remember(`k${i}`, i, i);
    expect(w.size).toBe(3);
    expect(w.lookup("k0", 10)).toBeUndefined();
    expect(w.lookup("k1", 10)).toBeUndefined();
    expect(w.lookup("k4", 10)).toBe(4);
  });

  it("round-trips through plain JSON, and a restored window keeps its bound", () => {
    const w = new DedupWindow<string>(1000, 10);
    w.remember("a", "x", 1);
    w.remember("b", "y", 2);
    const data = JSON.parse(JSON.stringify(w.toJSON())) as Array<[string, string, number]>;
    const back = DedupWindow.fromJSON(data, 1000, 10);
    expect(back.toJSON()).toEqual(w.toJSON());
    expect(back.lookup("b", 500)).toBe("y");
    const squeezed = DedupWindow.fromJSON(data, 1000, 1);
    expect(squeezed.size).toBe(1);
    expect(squeezed.lookup("b", 3)).toBe("y");
  });

  it("bad window options are ConfigErrors", () => {
    expect(() => new DedupWindow(-1)).toThrow(/dedup.windowMs/);
    expect(() => new DedupWindow(10, 0)).toThrow(/dedup.maxEntries/);
  });
});
