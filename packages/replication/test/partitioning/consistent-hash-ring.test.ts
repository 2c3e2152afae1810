import { ConfigError } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { ConsistentHashRing } from "../../src/partitioning/consistent-hash-ring.js";
import { keysMoved, loadBalance } from "../../src/partitioning/rebalance.js";

const KEYS = Array.from({ length: 20_000 }, (_, i) => `user:${i}`);

describe("ConsistentHashRing (Karger et al.; Dynamo §4.2)", () => {
  it("adding a third node to two moves about a third of 20,000 keys (within 0.05), all of them to the new node", () => {
    const ring = new ConsistentHashRing({ virtualNodes: 128, nodes: ["a", "b"] });
    const before = (k: string) => ring.nodeFor(k);
    const frozen = new Map(KEYS.map((k) => [k, before(k)]));
    ring.addNode("c");
    const report = keysMoved(KEYS, (k) => frozen.get(k)!, (k) => ring.nodeFor(k));
    expect(Math.abs(report.movedFraction - 1 / 3)).toBeLessThan(0.05);
    expect(Object.keys(report.byMove).every((pair) => pair.endsWith("->c"))).toBe(true);
  });

  it("removing a node moves only that node's keys", () => {
    const ring = new ConsistentHashRing({ virtualNodes: 64, nodes: ["a", "b", "c", "d"] });
    const frozen = new Map(KEYS.map((k) => [k, ring.nodeFor(k)]));
    ring.removeNode("b");
    const report = keysMoved(KEYS, (k) => frozen.get(k)!, (k) => ring.nodeFor(k));
    expect(report.moved).toBe([...frozen.values()].filter((n) => n === "b").length);
    expect(Object.keys(report.byMove).every((pair) => pair.startsWith("b->"))).toBe(true);
  });

  it("balance (max/mean keys per node) improves with virtual nodes", () => {
    const nodes = ["a", "b", "c", "d", "e"];
    const ratio = (v: number) => {
      const ring = new ConsistentHashRing({ virtualNodes: v, nodes });
      return loadBalance(KEYS, nodes, (k) => ring.nodeFor(k)).maxOverMean;
    };
    const one = ratio(1);
    const many = ratio(256);
    expect(one).toBeGreaterThan(1.3);
    expect(many).toBeLessThan(1.15);
    expect(many).toBeLessThan(ratio(16));
  });

  it("the preference list is the first n distinct nodes clockwise, starting with the owner", () => {
    const ring = new ConsistentHashRing({ virtualNodes: 16, nodes: ["a", "b", "c", "d", "e"] });
    for (const key of KEYS.slice(0, 200)) {
      const list = ring.preferenceList(key, 3);
      expect(list[0]).toBe(ring.nodeFor(key));
      expect(new Set(list).size).toBe(3);
    }
    expect(ring.preferenceList("x", 9)).toHaveLength(5);
  });

  it("placement does not depend on the order nodes joined; ownership adds up to 1", () => {
    const one = new ConsistentHashRing({ nodes: ["a", "b", "c"] });
    const two = new ConsistentHashRing({ nodes: ["c", "a", "b"] });
    expect(KEYS.slice(0, 500).every((k) => one.nodeFor(k) === two.nodeFor(k))).toBe(true);
    const shares = Object.values(one.ownership());
    expect(shares.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 9);
  });

  it("bad input is a ConfigError naming the field", () => {
    expect(() => new ConsistentHashRing({ virtualNodes: 0 })).toThrow(/ring.virtualNodes/);
    expect(() => new ConsistentHashRing().nodeFor("k")).toThrow(ConfigError);
    expect(() => new ConsistentHashRing({ nodes: ["a"] }).addNode("a")).toThrow(/already on the ring/);
    expect(() => new ConsistentHashRing({ nodes: ["a"] }).removeNode("z")).toThrow(/ring.removeNode.node/);
  });
});
