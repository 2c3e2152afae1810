import { describe, expect, it } from "vitest";
import { cluster, currentLeader, ids, inspect, leaders, runFor, runUntil } from "./harness.js";

describe.each([3, 5, 7])("elections with %i nodes", (n) => {
  it("a leader is elected within 1 s on a reliable network and the term then stays stable", () => {
    for (const seed of [1, 2, 3]) {
      const sim = cluster({ nodes: n, seed });
      const tookMs = runUntil(sim, () => leaders(sim).length === 1, 1000);
      expect(tookMs, `seed ${seed}`).toBeDefined();
      const leader = currentLeader(sim)!;
      const term = inspect(sim, leader)!.currentTerm;
      runFor(sim, 5000);
      expect(leaders(sim)).toEqual([{ id: leader, term }]);
      for (const id of sim.nodeIds) expect(inspect(sim, id)!.currentTerm).toBe(term);
    }
  });

  it("a new leader is elected after the leader is partitioned away, and the old one steps down (check-quorum)", () => {
    const sim = cluster({ nodes: n, seed: 7 });
    runUntil(sim, () => leaders(sim).length === 1, 1000);
    const old = currentLeader(sim)!;
    const oldTerm = inspect(sim, old)!.currentTerm;
    sim.inject({ kind: "isolate", node: old });
    const rest = sim.nodeIds.filter((id) => id !== old);
    expect(runUntil(sim, () => currentLeader(sim, rest) !== undefined, 2000)).toBeDefined();
    runFor(sim, 1000);
    expect(inspect(sim, old)!.role).not.toBe("leader");
    const fresh = currentLeader(sim, rest)!;
    expect(inspect(sim, fresh)!.currentTerm).toBeGreaterThan(oldTerm);
    // healing: the old leader follows the new term without disturbing the new leader (pre-vote)
    sim.inject({ kind: "heal" });
    runFor(sim, 2000);
    expect(currentLeader(sim)).toBe(fresh);
    expect(inspect(sim, old)!.leaderId).toBe(fresh);
  });

  it("no leader is elected in a minority partition, while the majority side keeps one", () => {
    const sim = cluster({ nodes: n, seed: 11 });
    runUntil(sim, () => leaders(sim).length === 1, 1000);
    const f = Math.floor((n - 1) / 2);
    const minority = ids(n).slice(0, f);
    const majority = ids(n).slice(f);
    sim.inject({ kind: "partition", groups: [minority, majority] });
    runFor(sim, 3000);
    for (let t = 0; t < 20; t++) {
      runFor(sim, 100);
      expect(currentLeader(sim, minority)).toBeUndefined();
      expect(currentLeader(sim, majority)).toBeDefined();
    }
  });
});

describe("elections with 7 nodes and three disconnected", () => {
  it("the remaining four still elect a leader", () => {
    const sim = cluster({ nodes: 7, seed: 5 });
    sim.inject({ kind: "partition", groups: [["n1"], ["n2"], ["n3"], ["n4", "n5", "n6", "n7"]] });
    expect(runUntil(sim, () => currentLeader(sim, ["n4", "n5", "n6", "n7"]) !== undefined, 2000)).toBeDefined();
  });
});
