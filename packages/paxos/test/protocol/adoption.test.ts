import type { NodeId } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { adopt, makePValue, type Ballot, type PaxosCluster, type PaxosNode, type PValue } from "../../src/index.js";
import { cluster, electLeader, leaderOf, runFor, runUntil } from "./helpers.js";

const b = (round: number, leader: string): Ballot => ({ round, leader });
const put = (value: string): PValue["command"] => ({ kind: "kv", requestId: value, op: { f: "put", key: "k", value }, atMs: 0 });

describe("phase 1 adoption (the rule, as a pure function)", () => {
  it("adopts per slot the value with the highest ballot reported, re-stamped with the new ballot", () => {
    const reports = [
      { from: "n1", accepted: [makePValue(b(1, "n1"), 1, put("old")), makePValue(b(3, "n3"), 2, put("newer"))], compactedThrough: 0 },
      { from: "n2", accepted: [makePValue(b(2, "n2"), 1, put("new")), makePValue(b(1, "n1"), 2, put("older"))], compactedThrough: 0 },
    ];
    const a = adopt(b(5, "n4"), 1, reports);
    expect(a.values.map((v) => [v.slot, v.command.kind === "kv" ? v.command.op.value : "noop", v.ballot])).toEqual([
      [1, "new", b(5, "n4")],
      [2, "newer", b(5, "n4")],
    ]);
    expect(a.nextSlot).toBe(3);
  });

  it("fills slots nobody reported with no-ops, up to the last reported slot", () => {
    const reports = [{ from: "n1", accepted: [makePValue(b(1, "n1"), 4, put("x"))], compactedThrough: 0 }, { from: "n2", accepted: [], compactedThrough: 0 }];
    const a = adopt(b(2, "n2"), 2, reports);
    expect(a.values.map((v) => [v.slot, v.command.kind])).toEqual([[2, "noop"], [3, "noop"], [4, "kv"]]);
    expect(a.nextSlot).toBe(5);
  });

  it("starts above the highest compaction point reported and asks that acceptor to catch it up", () => {
    const reports = [
      { from: "n1", accepted: [makePValue(b(1, "n1"), 12, put("y"))], compactedThrough: 10 },
      { from: "n2", accepted: [makePValue(b(1, "n1"), 9, put("z"))], compactedThrough: 0 },
    ];
    const a = adopt(b(2, "n2"), 5, reports);
    expect(a.startSlot).toBe(11);
    expect(a.values.map((v) => [v.slot, v.command.kind])).toEqual([[11, "noop"], [12, "kv"]]);
    expect(a.catchUp).toEqual({ from: "n1", through: 10 });
  });

  it("with nothing reported, proposes nothing and starts at the first slot it has not applied", () => {
    const a = adopt(b(1, "n1"), 7, [{ from: "n1", accepted: [], compactedThrough: 0 }]);
    expect(a).toEqual({ startSlot: 7, values: [], nextSlot: 7, catchUp: undefined });
  });
});

/** Drops every phase 2a message from `from` to each of `to` (until restore-links). */
function blockAccepts(c: PaxosCluster, from: NodeId, to: readonly NodeId[]): void {
  for (const id of to) c.sim.inject({ kind: "link", from, to: id, types: ["accept"], link: { lossProbability: 1 } });
}

function campaign(c: PaxosCluster, id: NodeId): void {
  c.sim.invokeOn<PaxosNode, void>(id, (n) => n.campaign());
}

function digestAt(c: PaxosCluster, id: NodeId, slot: number): string | undefined {
  return c.node(id)?.inspect().accepted.get(slot)?.digest;
}

describe("phase 1 adoption in a cluster", () => {
  it("a new leader whose quorum reports two values for a slot re-proposes the one of the higher ballot, and every node applies it", () => {
    const c = cluster(3, { nodes: 5 });
    const l1 = electLeader(c);
    const [a, b2, c3, d] = c.nodes.filter((id) => id !== l1) as [NodeId, NodeId, NodeId, NodeId];
    // v1 reaches only l1 and a (a minority), then l1 crashes
    blockAccepts(c, l1, [b2, c3, d]);
    const r1 = c.propose(l1, { f: "put", key: "k", value: "v1" });
    expect(r1.accepted).toBe(true);
    const slot = (r1 as { index: number }).index;
    runFor(c, 20);
    expect(digestAt(c, a, slot)).toMatch(/v1/);
    c.sim.inject({ kind: "crash", node: l1 });
    c.sim.inject({ kind: "restore-links" });
    // b2 leads without a (its quorum reports nothing there) and puts v2 in the same slot, reaching only c3
    c.sim.inject({ kind: "disconnect", node: a });
    campaign(c, b2);
    expect(runUntil(c, 500, () => c.node(b2)!.isLeader())).toBe(true);
    blockAccepts(c, b2, [d]);
    const r2 = c.propose(b2, { f: "put", key: "k", value: "v2" });
    expect(r2).toMatchObject({ accepted: true, index: slot });
    runFor(c, 20);
    expect(digestAt(c, c3, slot)).toMatch(/v2/);
    c.sim.inject({ kind: "crash", node: b2 });
    c.sim.inject({ kind: "restore-links" });
    c.sim.inject({ kind: "connect", node: a });
    // the only quorum left is {a, c3, d}: it reports v1 (older ballot) and v2 (newer); v2 must win
    campaign(c, a);
    const applied = () => [a, c3, d].every((id) => c.applied(id).some((x) => x.index === slot));
    expect(runUntil(c, 5000, applied)).toBe(true);
    for (const id of [a, c3, d]) expect(c.applied(id).find((x) => x.index === slot)!.command).toMatchObject({ kind: "kv", op: { value: "v2" } });
    for (const id of [l1, b2]) c.sim.inject({ kind: "restart", node: id });
    expect(runUntil(c, 3000, () => [l1, b2].every((id) => c.applied(id).some((x) => x.index === slot)))).toBe(true);
    for (const id of [l1, b2]) expect(c.applied(id).find((x) => x.index === slot)!.command).toMatchObject({ op: { value: "v2" } });
    expect(leaderOf(c)).toBeDefined();
  });
});
