import { describe, expect, it } from "vitest";
import { cluster, runFor, runUntil } from "../protocol/helpers.js";
import { appliedCount, labValues, leaderId, one } from "./lab.js";

/** Phase 1 and phase 2 requests (the RPCs of a 6.824-style count): replies are left out. */
const RPCS = ["prepare", "accept", "heartbeat", "catchup"];

describe("lab tests on the kit's API (propose, applied, persistedBytes, disconnect/connect, message counts)", () => {
  it("agreement despite a follower cut off and back (2B: basic agreement, fail agree)", () => {
    const c = cluster(1, { nodes: 3 });
    one(c, 101, 3);
    const leader = leaderId(c);
    const follower = c.nodes.find((id) => id !== leader)!;
    c.sim.inject({ kind: "disconnect", node: follower });
    one(c, 102, 2);
    one(c, 103, 2);
    c.sim.inject({ kind: "connect", node: follower });
    const last = one(c, 104, 3);
    expect(appliedCount(c, last, 104)).toBe(3);
    expect(labValues(c, follower)).toEqual([101, 102, 103, 104]);
  });

  it("a cut-off leader's proposals never apply; the others elect a leader and commit; after it rejoins all agree", () => {
    const c = cluster(2, { nodes: 3 });
    one(c, 201, 3);
    const old = leaderId(c);
    c.sim.inject({ kind: "disconnect", node: old });
    const stale = [202, 203].map((v) => c.propose(old, { f: "put", key: "lab", value: v }));
    expect(stale.every((r) => r.accepted)).toBe(true); // it still believes it leads
    one(c, 204, 2);
    c.sim.inject({ kind: "connect", node: old });
    const last = one(c, 205, 3);
    runFor(c, 300);
    for (const id of c.nodes) expect(labValues(c, id).filter((v) => v === 202 || v === 203)).toEqual([]);
    expect(appliedCount(c, last, 205)).toBe(3);
    const slots = (id: string) => c.applied(id).map((a) => a.index);
    expect(slots(c.nodes[1]!)).toEqual(slots(c.nodes[0]!));
  });

  it("no agreement without a majority; it resumes once the majority is back (2B: no agreement if too many followers disconnect)", () => {
    const c = cluster(3, { nodes: 5 });
    one(c, 301, 5);
    const leader = leaderId(c);
    const cut = c.nodes.filter((id) => id !== leader).slice(0, 3);
    for (const id of cut) c.sim.inject({ kind: "disconnect", node: id });
    const r = c.propose(leader, { f: "put", key: "lab", value: 302 });
    expect(r.accepted).toBe(true);
    expect(runUntil(c, 1000, () => appliedCount(c, (r as { index: number }).index, 302) > 0)).toBe(false);
    for (const id of cut) c.sim.inject({ kind: "connect", node: id });
    one(c, 303, 5);
  });

  it("12 proposals committed in a stable leadership cost at most 12 phase-2 rounds plus heartbeats, and 1 s idle only heartbeats", () => {
    const c = cluster(4, { nodes: 3 });
    one(c, 400, 3);
    const leader = leaderId(c);
    const round = c.node(leader)!.leaderBallot()!.round;
    const rpcs = () => RPCS.reduce((sum, type) => sum + c.sim.messages.sent(undefined, type), 0);
    const before = rpcs();
    const landed = Array.from({ length: 12 }, (_, i) => c.propose(leader, { f: "put", key: "lab", value: 1000 + i }));
    expect(landed.every((r) => r.accepted && r.term === round)).toBe(true);
    const last = (landed.at(-1) as { index: number }).index;
    const startMs = c.sim.nowUs / 1000;
    expect(runUntil(c, 2000, () => appliedCount(c, last, 1011) === 3)).toBe(true);
    const beats = Math.ceil((c.sim.nowUs / 1000 - startMs) / 50) + 1;
    expect(rpcs() - before).toBeLessThanOrEqual(12 * 2 + beats * 2);
    const idle = rpcs();
    runFor(c, 1000);
    expect(rpcs() - idle).toBeLessThanOrEqual(2 * 21);
  });

  it("compaction bounds what a node keeps on disk: its logs stay short, and it persists far less than without", () => {
    const run = (snapshotThresholdSlots: number) => {
      const c = cluster(5, { nodes: 3, paxos: { snapshotThresholdSlots } });
      one(c, 500, 3);
      const leader = leaderId(c);
      const records: number[] = [];
      for (let batch = 0; batch < 4; batch++) {
        for (let i = 0; i < 50; i++) c.propose(leader, { f: "put", key: "lab", value: batch * 100 + i });
        runFor(c, 500);
        records.push(c.node(leader)!.persistedRecords());
      }
      expect(c.applied(leader).length).toBeGreaterThan(200);
      return { records, bytes: c.persistedBytes(leader) };
    };
    const compacted = run(16);
    const full = run(1_000_000);
    expect(Math.max(...compacted.records)).toBeLessThanOrEqual(2 * 16);
    expect(full.records.at(-1)).toBeGreaterThan(400);
    expect(compacted.bytes).toBeLessThan(full.bytes / 2);
  });
});
