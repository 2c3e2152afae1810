import type { TraceEvent } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { addProbe, cluster, commitPut, currentLeader, inspect, leaders, node, put, runFor, runUntil } from "./harness.js";

describe.each([3, 5, 7])("snapshots with %i nodes", (n) => {
  it("a follower that fell behind the leader's snapshot catches up through InstallSnapshot, and the persisted log stays bounded", () => {
    const threshold = 20;
    const sim = cluster({ nodes: n, seed: 31, raft: { snapshotThresholdEntries: threshold } });
    const probe = addProbe(sim);
    runUntil(sim, () => leaders(sim).length === 1, 1000);
    const leader = currentLeader(sim)!;
    const lagging = sim.nodeIds.find((id) => id !== leader)!;
    sim.inject({ kind: "isolate", node: lagging });
    for (let k = 0; k < 100; k++) put(sim, probe, leader, `k${k % 7}`, k);
    runUntil(sim, () => inspect(sim, leader)!.commitIndex >= 100, 3000);
    expect(inspect(sim, leader)!.snapshotIndex).toBeGreaterThan(inspect(sim, lagging)!.lastApplied);
    expect(node(sim, leader)!.persistedLogLength()).toBeLessThanOrEqual(threshold + 64);

    let installed = false;
    sim.on("log", (e: TraceEvent) => {
      if (e.node === lagging && e.event === "snapshot_installed") installed = true;
    });
    sim.inject({ kind: "heal" });
    expect(runUntil(sim, () => inspect(sim, lagging)!.lastApplied >= inspect(sim, leader)!.commitIndex, 2000)).toBeDefined();
    expect(installed).toBe(true);
    expect(node(sim, lagging)!.kv.get("k3")).toEqual(node(sim, leader)!.kv.get("k3"));
  });

  it("after a whole-cluster crash, nodes restart from their snapshots and commit indices keep going up", () => {
    const sim = cluster({ nodes: n, seed: 32, raft: { snapshotThresholdEntries: 10 } });
    const probe = addProbe(sim);
    runUntil(sim, () => leaders(sim).length === 1, 1000);
    for (let k = 0; k < 30; k++) expect(commitPut(sim, probe, "s", k)).toBe(true);
    runFor(sim, 200);
    const before = Math.max(...sim.nodeIds.map((id) => inspect(sim, id)!.commitIndex));
    for (const id of sim.nodeIds) sim.inject({ kind: "crash", node: id });
    for (const id of sim.nodeIds) sim.inject({ kind: "restart", node: id });
    for (const id of sim.nodeIds) expect(inspect(sim, id)!.snapshotIndex).toBeGreaterThan(0);
    expect(runUntil(sim, () => leaders(sim).length === 1, 2000)).toBeDefined();
    expect(commitPut(sim, probe, "s", "after")).toBe(true);
    runFor(sim, 200);
    const leader = currentLeader(sim)!;
    expect(inspect(sim, leader)!.commitIndex).toBeGreaterThan(before);
    expect(node(sim, leader)!.kv.get("s")).toBe("after");
  });
});
