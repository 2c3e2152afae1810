import type { TraceEvent } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { kvWorkload } from "../../src/index.js";
import { cluster, leaderOf, runFor, runUntil } from "./helpers.js";

describe("log compaction and InstallSnapshot", () => {
  it("a follower cut off while the log is compacted catches up through InstallSnapshot", () => {
    for (let seed = 1; seed <= 3; seed++) {
      const c = cluster(seed, {
        nodes: 3, raft: { snapshotThresholdEntries: 20 },
        clients: [{ workload: kvWorkload({ opsPerClient: 400, readRatio: 0 }), opIntervalMs: 1 }],
      });
      expect(runUntil(c, 1000, () => leaderOf(c) !== undefined)).toBe(true);
      const lagging = c.nodes.find((id) => !c.node(id)!.isLeader())!;
      c.sim.inject({ kind: "isolate", node: lagging });
      const leader = leaderOf(c)!;
      expect(runUntil(c, 5000, () => leader.log.snapshotIndex > c.node(lagging)!.log.lastIndex() + 20)).toBe(true);
      let installs = 0;
      c.sim.on("log", (e: TraceEvent) => { if (e.node === lagging && e.event === "snapshot_installed") installs++; });
      c.sim.inject({ kind: "heal" });
      expect(runUntil(c, 1000, () => c.node(lagging)!.commitIndex >= leader.log.snapshotIndex)).toBe(true);
      expect(installs).toBeGreaterThanOrEqual(1);
      runFor(c, 3000);
      const l = leaderOf(c)!;
      expect(runUntil(c, 500, () => c.node(lagging)!.lastApplied === l.commitIndex)).toBe(true);
      expect(c.node(lagging)!.kv.toSnapshot().data).toEqual(l.kv.toSnapshot().data);
    }
  });

  it("the persisted log stays bounded by the snapshot threshold in a long run, and a whole-cluster restart recovers from snapshots", () => {
    const c = cluster(11, {
      nodes: 3, raft: { snapshotThresholdEntries: 50 },
      clients: [1, 2, 3].map(() => ({ workload: kvWorkload({ opsPerClient: 1500, readRatio: 0 }), opIntervalMs: 1 })),
    });
    let maxPersisted = 0;
    for (let t = 0; t < 20; t++) {
      runFor(c, 500);
      for (const id of c.nodes) maxPersisted = Math.max(maxPersisted, c.node(id)!.persistedLogLength());
    }
    const l = leaderOf(c)!;
    expect(l.commitIndex).toBeGreaterThan(1500);
    expect(maxPersisted).toBeLessThanOrEqual(50 + 64);
    const commits = c.nodes.map((id) => c.node(id)!.commitIndex);
    for (const id of c.nodes) c.sim.inject({ kind: "crash", node: id });
    for (const id of c.nodes) c.sim.inject({ kind: "restart", node: id });
    c.nodes.forEach((id, i) => {
      expect(c.node(id)!.log.snapshotIndex).toBeGreaterThan(0);
      expect(c.node(id)!.commitIndex).toBeGreaterThanOrEqual(commits[i]!);
    });
    expect(runUntil(c, 2000, () => leaderOf(c) !== undefined)).toBe(true);
  });
});
