import { describe, expect, it } from "vitest";
import { kvWorkload } from "../../src/index.js";
import { cluster, leaderOf, runFor, runUntil } from "./helpers.js";

describe("durability and recovery", () => {
  it("a restarted follower, a restarted leader and a whole-cluster restart all recover from storage and agreement continues", () => {
    for (let seed = 1; seed <= 4; seed++) {
      const c = cluster(seed, { nodes: 3, clients: [{ workload: kvWorkload({ opsPerClient: 200 }), opIntervalMs: 5 }] });
      expect(runUntil(c, 1000, () => leaderOf(c) !== undefined)).toBe(true);
      runFor(c, 300);
      const follower = c.nodes.find((id) => !c.node(id)!.isLeader())!;
      const before = c.node(follower)!.inspect();
      c.sim.inject({ kind: "crash", node: follower });
      runFor(c, 200);
      c.sim.inject({ kind: "restart", node: follower });
      const after = c.node(follower)!.inspect();
      expect(after.currentTerm).toBe(before.currentTerm);
      expect(after.commitIndex).toBeGreaterThanOrEqual(before.commitIndex);
      expect(after.lastApplied).toBe(after.commitIndex); // re-applied from its snapshot and log at start

      const leader = leaderOf(c)!.inspect().id;
      c.sim.inject({ kind: "crash", node: leader });
      runFor(c, 500);
      c.sim.inject({ kind: "restart", node: leader });
      runFor(c, 300);
      for (const id of c.nodes) c.sim.inject({ kind: "crash", node: id });
      runFor(c, 100);
      for (const id of c.nodes) c.sim.inject({ kind: "restart", node: id });
      expect(runUntil(c, 2000, () => leaderOf(c) !== undefined)).toBe(true);
      runFor(c, 3000);
      const ops = c.sim.history.operations();
      expect(ops.filter((o) => o.type === "ok").length).toBeGreaterThan(100);
      const l = leaderOf(c)!;
      expect(runUntil(c, 500, () => c.nodes.every((id) => c.node(id)!.lastApplied === l.commitIndex))).toBe(true);
    }
  });

  it("a node whose disk holds a corrupted record fail-stops at restart instead of running on damaged state", () => {
    const c = cluster(7, { nodes: 3, clients: [{ workload: kvWorkload({ opsPerClient: 20 }) }] });
    runFor(c, 1000);
    c.sim.inject({ kind: "crash", node: "n1" });
    c.sim.inject({ kind: "storage", node: "n1", mode: "corrupt", key: "hard" });
    c.sim.inject({ kind: "restart", node: "n1" });
    expect(c.sim.status("n1")).toBe("failed");
    runFor(c, 1000);
    expect(leaderOf(c)).toBeDefined();
  });
});
