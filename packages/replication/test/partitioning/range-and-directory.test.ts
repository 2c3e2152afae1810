import { describe, expect, it } from "vitest";
import { DirectoryPartitioner } from "../../src/partitioning/directory-partitioner.js";
import { RangePartitioner } from "../../src/partitioning/range-partitioner.js";
import { keysMoved, loadBalance } from "../../src/partitioning/rebalance.js";

const KEYS = Array.from({ length: 12_000 }, (_, i) => `k${String(i).padStart(5, "0")}`);

describe("range partitioning", () => {
  it("keeps keys in order: a range query touches only the overlapping ranges, clipped", () => {
    const p = new RangePartitioner({ nodes: ["a", "b", "c"], splitPoints: ["g", "p"] });
    expect(p.nodeFor("apple")).toBe("a");
    expect(p.nodeFor("house")).toBe("b");
    expect(p.nodeFor("zebra")).toBe("c");
    expect(p.rangeQuery("e", "k")).toEqual([{ start: "e", end: "g", node: "a" }, { start: "g", end: "k", node: "b" }]);
    expect(p.rangeQuery("q", null)).toEqual([{ start: "q", end: null, node: "c" }]);
  });

  it("splits a hot range where its observed load halves, moving the upper part to the least loaded node", () => {
    const p = new RangePartitioner({ nodes: ["a", "b"], splitPoints: ["m"] });
    for (let i = 0; i < 100; i++) p.recordAccess(`b${String(i).padStart(3, "0")}`); // all load on [ "", m )
    const splits = p.splitHotRanges(60);
    expect(splits).toEqual([{ at: "b050", from: "a", to: "b" }]);
    expect(p.loads()).toEqual([50, 50, 0]);
    expect(p.nodeFor("b049")).toBe("a");
    expect(p.nodeFor("b050")).toBe("b");
  });

  it("adding a node moves about its share of the load, from the most loaded nodes", () => {
    const p = new RangePartitioner({ nodes: ["a", "b"], splitPoints: RangePartitioner.quantiles(KEYS, 2) });
    for (const k of KEYS) p.recordAccess(k);
    const before = p.placement();
    p.addNode("c");
    const report = keysMoved(KEYS, before, (k) => p.nodeFor(k));
    expect(Math.abs(report.movedFraction - 1 / 3)).toBeLessThan(0.02);
    expect(loadBalance(KEYS, ["a", "b", "c"], (k) => p.nodeFor(k)).maxOverMean).toBeLessThan(1.05);
  });

  it("removing a node moves only its ranges", () => {
    const p = new RangePartitioner({ nodes: ["a", "b", "c"], splitPoints: RangePartitioner.quantiles(KEYS, 6) });
    const before = p.placement();
    p.removeNode("b");
    const report = keysMoved(KEYS, before, (k) => p.nodeFor(k));
    expect(Object.keys(report.byMove).every((pair) => pair.startsWith("b->"))).toBe(true);
  });
});

describe("directory partitioning", () => {
  it("adding a node moves exactly its share of the buckets, and only to it", () => {
    const d = new DirectoryPartitioner({ nodes: ["a", "b"], buckets: 256 });
    const before = d.placement();
    const moves = d.addNode("c");
    expect(moves).toHaveLength(85);
    expect(moves.every((m) => m.to === "c")).toBe(true);
    const report = keysMoved(KEYS, before, (k) => d.nodeFor(k));
    expect(Math.abs(report.movedFraction - 1 / 3)).toBeLessThan(0.03);
    const counts = d.entries().reduce<Record<string, number>>((acc, n) => ({ ...acc, [n]: (acc[n] ?? 0) + 1 }), {});
    expect(Math.max(...Object.values(counts)) - Math.min(...Object.values(counts))).toBeLessThanOrEqual(1);
  });

  it("removing a node hands only its buckets to the others", () => {
    const d = new DirectoryPartitioner({ nodes: ["a", "b", "c"], buckets: 64 });
    const owned = d.entries().filter((n) => n === "b").length;
    const moves = d.removeNode("b");
    expect(moves).toHaveLength(owned);
    expect(moves.every((m) => m.from === "b" && m.to !== "b")).toBe(true);
  });
});
