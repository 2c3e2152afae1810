import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ConfigError, KvStateMachine, MAX_APPEND_LENGTH, kvOpFromWorkload, kvOpToWorkload, type KvWrite } from "@faultline/core";

describe("KvStateMachine (the kit's replicated key-value state machine)", () => {
  it("executes a write once per idempotency key within the window, keyed by the write's replicated time", () => {
    const kv = new KvStateMachine(1000);
    expect(kv.apply("r1", { f: "append", key: "k", value: 1 }, 0)).toEqual({ ok: true, value: null });
    expect(kv.apply("r1", { f: "append", key: "k", value: 1 }, 500)).toEqual({ ok: true, value: null }); // remembered
    expect(kv.get("k")).toEqual([1]);
    expect(kv.executed).toBe(1);
    kv.apply("r1", { f: "append", key: "k", value: 1 }, 5000); // outside the window: a new execution
    expect(kv.get("k")).toEqual([1, 1]);
    expect(kv.executed).toBe(2);
  });

  it("a cas swaps only on an equal value, compared by stable JSON (key order does not matter); a failed compare is remembered", () => {
    const kv = new KvStateMachine();
    kv.apply("w", { f: "put", key: "k", value: { a: 1, b: [2, 3] } }, 0);
    expect(kv.apply("c1", { f: "cas", key: "k", expected: { b: [2, 3], a: 1 }, value: "swapped" }, 1)).toEqual({ ok: true, value: true });
    expect(kv.apply("c2", { f: "cas", key: "k", expected: "other", value: "no" }, 2)).toEqual({ ok: false, code: "CAS_FAILED", value: "swapped" });
    expect(kv.lookup("c2", "cas", 3)).toMatchObject({ ok: false, code: "CAS_FAILED" });
    expect(kv.apply("c3", { f: "cas", key: "absent", expected: null, value: 7 }, 4)).toEqual({ ok: true, value: true });
    expect(kv.get("absent")).toBe(7);
    expect(kv.get("never")).toBeNull();
  });

  it("snapshot and restore carry the data and the dedup window (a retry after restore is not executed again)", () => {
    const kv = new KvStateMachine(1000);
    kv.apply("r1", { f: "append", key: "k", value: "x" }, 10);
    const copy = new KvStateMachine(1000);
    copy.restore(JSON.parse(JSON.stringify(kv.toSnapshot())));
    expect(copy.get("k")).toEqual(["x"]);
    copy.apply("r1", { f: "append", key: "k", value: "x" }, 20);
    expect(copy.get("k")).toEqual(["x"]);
    expect(() => copy.restore({ data: 1 } as never)).toThrow(ConfigError);
  });

  it("an append list stops growing at MAX_APPEND_LENGTH, and a snapshot taken earlier never sees later appends", () => {
    const kv = new KvStateMachine();
    kv.restore({ data: [["k", Array.from({ length: MAX_APPEND_LENGTH }, (_, i) => i)]], dedup: [] });
    kv.apply("r", { f: "append", key: "k", value: "more" }, 0);
    expect((kv.get("k") as unknown[]).length).toBe(MAX_APPEND_LENGTH);
    const small = new KvStateMachine();
    small.apply("a", { f: "append", key: "k", value: 1 }, 0);
    const snap = small.toSnapshot();
    small.apply("b", { f: "append", key: "k", value: 2 }, 0);
    expect(snap.data).toEqual([["k", [1]]]);
  });

  it("two replicas applying the same writes in the same order agree, whatever the retries (property)", () => {
    const write = fc.oneof(
      fc.record({ f: fc.constant("put" as const), key: fc.constantFrom("a", "b"), value: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ f: fc.constant("append" as const), key: fc.constantFrom("a", "b"), value: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ f: fc.constant("cas" as const), key: fc.constantFrom("a", "b"), expected: fc.integer({ min: 0, max: 3 }), value: fc.integer({ min: 0, max: 3 }) }),
    );
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 6 }), write), { maxLength: 40 }), (ops) => {
      const a = new KvStateMachine(1000);
      const b = new KvStateMachine(1000);
      ops.forEach(([id, op], t) => {
        const ra = a.apply(`r${id}`, op as KvWrite, t * 10);
        const rb = b.apply(`r${id}`, op as KvWrite, t * 10);
        expect(rb).toEqual(ra);
      });
      expect(b.toSnapshot()).toEqual(a.toSnapshot());
    }), { numRuns: 200 });
  });

  it("workload operations map to key-value operations and back (a cas carries [expected, new])", () => {
    expect(kvOpFromWorkload({ f: "cas", key: "k", value: [1, 2] })).toEqual({ f: "cas", key: "k", expected: 1, value: 2 });
    expect(kvOpFromWorkload({ f: "read", key: "k" })).toEqual({ f: "get", key: "k" });
    expect(kvOpFromWorkload({ f: "write", key: "k", value: 3 })).toEqual({ f: "put", key: "k", value: 3 });
    expect(kvOpFromWorkload({ f: "add_voter", key: "k" })).toBeUndefined();
    expect(() => kvOpFromWorkload({ f: "cas", key: "k", value: 1 })).toThrow(/op.value: a cas must carry \[expected, new\]/);
    expect(kvOpToWorkload({ f: "cas", key: "k", expected: 1, value: 2 })).toEqual({ f: "cas", key: "k", value: [1, 2] });
  });
});
