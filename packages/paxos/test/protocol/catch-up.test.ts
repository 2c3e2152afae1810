import { describe, expect, it } from "vitest";
import type { PaxosCluster } from "../../src/index.js";
import { cluster, electLeader, runUntil } from "./helpers.js";

/** Cuts `follower` off, commits `count` writes through `leader`, reconnects it; returns the last slot. */
function commitWhileAway(c: PaxosCluster, leader: string, follower: string, count: number): number {
  c.sim.inject({ kind: "disconnect", node: follower });
  let last = 0;
  for (let i = 0; i < count; i++) {
    const r = c.propose(leader, { f: "put", key: "k", value: `w${i}` });
    if (!r.accepted) throw new Error(`refused: ${r.code}`);
    last = r.index;
    runUntil(c, 500, () => c.node(leader)!.inspect().appliedThrough >= last);
  }
  c.sim.inject({ kind: "connect", node: follower });
  return last;
}

describe("catch-up of a lagging replica", () => {
  it("a follower cut off while 40 writes commit gets the decisions re-sent and applies them in order", () => {
    const c = cluster(21, { nodes: 3 });
    const leader = electLeader(c);
    const follower = c.nodes.find((id) => id !== leader)!;
    const last = commitWhileAway(c, leader, follower, 40);
    expect(c.node(follower)!.inspect().appliedThrough).toBeLessThan(last);
    expect(runUntil(c, 2000, () => c.node(follower)!.inspect().appliedThrough >= last)).toBe(true);
    expect(c.sim.messages.sent(undefined, "decisions")).toBeGreaterThan(0);
    expect(c.sim.messages.sent(undefined, "snapshot")).toBe(0);
    expect(c.applied(follower).map((a) => a.index)).toEqual(c.applied(leader).map((a) => a.index));
    expect(c.node(follower)!.replica.kv.get("k")).toBe("w39");
  });

  it("once the leader compacted the slots the follower lacks, it catches up by snapshot, then by decisions", () => {
    const c = cluster(22, { nodes: 3, paxos: { snapshotThresholdSlots: 8 } });
    const leader = electLeader(c);
    const follower = c.nodes.find((id) => id !== leader)!;
    const before = c.node(follower)!.inspect().appliedThrough;
    const last = commitWhileAway(c, leader, follower, 30);
    expect(c.node(leader)!.inspect().compactedThrough).toBeGreaterThan(before);
    expect(runUntil(c, 2000, () => c.node(follower)!.inspect().appliedThrough >= last)).toBe(true);
    expect(c.sim.messages.sent(undefined, "snapshot")).toBeGreaterThan(0);
    expect(c.node(follower)!.replica.kv.get("k")).toBe("w29");
    expect(c.node(follower)!.inspect().compactedThrough).toBeGreaterThan(before);
  });

  it("a restarted node recovers its snapshot and decisions from disk and resumes from there", () => {
    const c = cluster(23, { nodes: 3, paxos: { snapshotThresholdSlots: 8 } });
    const leader = electLeader(c);
    const follower = c.nodes.find((id) => id !== leader)!;
    for (let i = 0; i < 20; i++) c.propose(leader, { f: "put", key: "k", value: `w${i}` });
    expect(runUntil(c, 2000, () => c.node(follower)!.inspect().appliedThrough >= 20)).toBe(true);
    const applied = c.node(follower)!.inspect().appliedThrough;
    c.sim.inject({ kind: "crash", node: follower });
    c.sim.inject({ kind: "restart", node: follower });
    expect(c.node(follower)!.inspect().appliedThrough).toBe(applied); // snapshot + decisions on disk, applied at start
    expect(c.node(follower)!.replica.kv.get("k")).toBe("w19");
    expect(c.persistedBytes(follower)).toBeGreaterThan(0);
  });
});
