import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  gCounterIncrement, gCounterMerge, gCounterValue, orSetAdd, orSetMerge, orSetRemove, orSetValue, pnCounterAdd, pnCounterMerge, pnCounterValue,
  EMPTY_OR_SET, EMPTY_PN_COUNTER, type ORSet, type PNCounter,
} from "../../src/conflict/crdts.js";

/** A replica's history: operations at three replicas, with merges from one to another. */
const steps = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant("op" as const), at: fc.integer({ min: 0, max: 2 }), delta: fc.integer({ min: -3, max: 3 }).filter((d) => d !== 0) }),
    fc.record({ kind: fc.constant("merge" as const), from: fc.integer({ min: 0, max: 2 }), to: fc.integer({ min: 0, max: 2 }) }),
  ),
  { maxLength: 40 },
);

describe("CRDTs (Shapiro et al. 2011): the merge is a join", () => {
  it("G-Counter: merge is commutative, associative, idempotent; the value counts every increment once", () => {
    const a = gCounterIncrement(gCounterIncrement({}, "n1"), "n1", 2);
    const b = gCounterIncrement({}, "n2", 5);
    const c = gCounterIncrement(a, "n3");
    expect(gCounterMerge(a, b)).toEqual(gCounterMerge(b, a));
    expect(gCounterMerge(gCounterMerge(a, b), c)).toEqual(gCounterMerge(a, gCounterMerge(b, c)));
    expect(gCounterMerge(a, a)).toEqual(a);
    expect(gCounterValue(gCounterMerge(gCounterMerge(a, b), c))).toBe(9);
  });

  it("PN-Counter: replicas that exchanged everything agree on the sum of all deltas (property)", () => {
    fc.assert(fc.property(steps, (history) => {
      const replicas: PNCounter[] = [EMPTY_PN_COUNTER, EMPTY_PN_COUNTER, EMPTY_PN_COUNTER];
      let total = 0;
      for (const s of history) {
        if (s.kind === "op") {
          replicas[s.at] = pnCounterAdd(replicas[s.at]!, `n${s.at}`, s.delta);
          total += s.delta;
        } else replicas[s.to] = pnCounterMerge(replicas[s.to]!, replicas[s.from]!);
      }
      const all = replicas.reduce((x, y) => pnCounterMerge(x, y));
      const reversed = [...replicas].reverse().reduce((x, y) => pnCounterMerge(x, y));
      expect(all).toEqual(reversed);
      expect(pnCounterValue(all)).toBe(total);
    }));
  });

  it("OR-Set: a concurrent add wins over a remove that did not see it; a remove wins over the adds it saw", () => {
    const base = orSetAdd(EMPTY_OR_SET as ORSet<string>, "x", { node: "n1", counter: 1 });
    const removed = orSetRemove(base, "x");
    const readded = orSetAdd(base, "x", { node: "n2", counter: 1 });
    expect(orSetValue(orSetMerge(removed, readded))).toEqual(["x"]);
    expect(orSetValue(orSetMerge(readded, removed))).toEqual(["x"]);
    expect(orSetValue(orSetMerge(removed, base))).toEqual([]);
    expect(orSetMerge(removed, base)).toEqual(orSetMerge(base, removed));
  });

  it("OR-Set: merge is commutative and idempotent over random histories (property)", () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.boolean(), fc.constantFrom("a", "b", "c"), fc.integer({ min: 0, max: 2 })), { maxLength: 30 }), (ops) => {
      const replicas: ORSet<string>[] = [EMPTY_OR_SET, EMPTY_OR_SET, EMPTY_OR_SET];
      const counters = [0, 0, 0];
      for (const [at, add, elem, mergeFrom] of ops) {
        replicas[at] = add ? orSetAdd(replicas[at]!, elem, { node: `n${at}`, counter: ++counters[at]! }) : orSetRemove(replicas[at]!, elem);
        replicas[at] = orSetMerge(replicas[at]!, replicas[mergeFrom]!);
      }
      const [a, b, c] = replicas as [ORSet<string>, ORSet<string>, ORSet<string>];
      expect(orSetMerge(a, b)).toEqual(orSetMerge(b, a));
      expect(orSetMerge(orSetMerge(a, b), c)).toEqual(orSetMerge(a, orSetMerge(b, c)));
      expect(orSetMerge(a, a)).toEqual(a);
    }));
  });
});
