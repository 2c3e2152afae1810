import { describe, expect, it } from "vitest";
import { cluster, runFor, runUntil } from "../protocol/helpers.js";
import { appliedCount, leaderId, one } from "./lab.js";

/** Request messages (the RPCs of the 6.824 count): replies are left out, as the lab counts calls. */
const RPCS = ["vote", "append", "heartbeat", "snapshot", "timeout_now"];

describe("6.824-style lab tests on the kit's API (propose, applied, disconnect/connect, message counts)", () => {
  it("12 pipelined proposals committed in a stable term cost at most (10+1+3)*3 = 42 RPCs, and 1 s idle at most 60 (2B: 'RPC counts aren't too high')", () => {
    const c = cluster(1, { nodes: 3 });
    one(c, 100, 3);
    const leader = leaderId(c);
    const term = c.node(leader)!.currentTerm;
    const rpcs = () => RPCS.reduce((sum, type) => sum + c.sim.messages.sent(undefined, type), 0);
    const before = rpcs();
    const landed = [1, ...Array.from({ length: 11 }, (_, i) => 1000 + i)].map((v) => c.propose(leader, { f: "put", key: "lab", value: v }));
    expect(landed.every((r) => r.accepted && r.term === term)).toBe(true);
    const lastIndex = landed.at(-1)!.accepted ? (landed.at(-1) as { index: number }).index : 0;
    expect(runUntil(c, 2000, () => appliedCount(c, lastIndex, 1010) === 3)).toBe(true);
    expect(c.node(leader)!.currentTerm).toBe(term);
    expect(rpcs() - before).toBeLessThanOrEqual((10 + 1 + 3) * 3);
    const idle = rpcs();
    runFor(c, 1000);
    expect(rpcs() - idle).toBeLessThanOrEqual(3 * 20);
  });

  it("a disconnected leader's uncommitted entries are overwritten after it rejoins (2B: rejoin of partitioned leader)", () => {
    const c = cluster(2, { nodes: 3 });
    one(c, 101, 3);
    const leader1 = leaderId(c);
    c.sim.inject({ kind: "disconnect", node: leader1 });
    const stale = [102, 103, 104].map((v) => c.propose(leader1, { f: "put", key: "lab", value: v }));
    expect(stale.every((r) => r.accepted)).toBe(true); // it still believes it leads
    one(c, 103, 2);
    const leader2 = leaderId(c);
    c.sim.inject({ kind: "disconnect", node: leader2 });
    c.sim.inject({ kind: "connect", node: leader1 });
    one(c, 104, 2);
    c.sim.inject({ kind: "connect", node: leader2 });
    const last = one(c, 105, 3);
    runFor(c, 500);
    // 102 went only to the cut-off leader: it was overwritten everywhere, never applied
    expect(c.nodes.every((id) => c.applied(id).every((a) => a.command.kind !== "kv" || a.command.op.value !== 102))).toBe(true);
    expect(appliedCount(c, last, 105)).toBe(3);
    expect(c.nodes.map((id) => c.applied(id).length)).toEqual(c.nodes.map(() => c.applied(c.nodes[0]!).length));
  });

  it("a leader backs up over 50 conflicting entries quickly after reconnecting (2B: leader backs up quickly over incorrect follower logs)", () => {
    const c = cluster(3, { nodes: 5 });
    one(c, 1, 5);
    const leader1 = leaderId(c);
    const others = c.nodes.filter((id) => id !== leader1);
    const [follower1, ...rest] = others as [string, ...string[]];
    for (const id of rest) c.sim.inject({ kind: "disconnect", node: id });
    for (let v = 1000; v < 1050; v++) c.propose(leader1, { f: "put", key: "lab", value: v }); // never committed
    runFor(c, 500);
    for (const id of [leader1, follower1]) c.sim.inject({ kind: "disconnect", node: id });
    for (const id of rest) c.sim.inject({ kind: "connect", node: id });
    for (let v = 2000; v < 2050; v++) one(c, v, 3);
    const leader2 = leaderId(c);
    const other = rest.find((id) => id !== leader2)!;
    c.sim.inject({ kind: "disconnect", node: other });
    for (let v = 3000; v < 3050; v++) c.propose(leader2, { f: "put", key: "lab", value: v }); // never committed
    runFor(c, 500);
    for (const id of c.nodes) c.sim.inject({ kind: "disconnect", node: id });
    for (const id of [leader1, follower1, other]) c.sim.inject({ kind: "connect", node: id });
    for (let v = 4000; v < 4050; v++) one(c, v, 3);
    for (const id of c.nodes) c.sim.inject({ kind: "connect", node: id });
    const last = one(c, 5000, 5);
    const applied = c.applied(c.nodes[0]!).filter((a) => a.command.kind === "kv").map((a) => (a.command.kind === "kv" ? a.command.op.value : 0));
    expect(applied.filter((v) => (v as number) >= 1000 && (v as number) < 1050)).toEqual([]);
    expect(applied.filter((v) => (v as number) >= 3000 && (v as number) < 3050)).toEqual([]);
    expect(appliedCount(c, last, 5000)).toBe(5);
  });
});
