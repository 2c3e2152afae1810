import { describe, expect, it } from "vitest";
import type { PaxosBug, PaxosNode } from "../../src/index.js";
import { paxosCluster } from "../../src/index.js";
import { RELIABLE, cluster, electLeader, runUntil } from "./helpers.js";

describe("acceptor durability", () => {
  it("a restarted acceptor keeps its promise and its accepted pvalues, and ends every step synced", () => {
    const c = cluster(71, { nodes: 3 });
    const leader = electLeader(c);
    const r = c.propose(leader, { f: "put", key: "k", value: "v" });
    const follower = c.nodes.find((id) => id !== leader)!;
    runUntil(c, 100, () => c.node(follower)!.inspect().accepted.size > 0);
    const before = c.node(follower)!.inspect();
    expect(c.sim.storage(follower).unsyncedWrites).toBe(0);
    c.sim.inject({ kind: "crash", node: follower });
    c.sim.inject({ kind: "restart", node: follower });
    const after = c.node(follower)!.inspect();
    expect(after.promised).toEqual(before.promised);
    expect(after.accepted.get((r as { index: number }).index)).toEqual(before.accepted.get((r as { index: number }).index));
  });

  /** An acceptor promises a candidate's ballot in phase 1 (a prepare only), then restarts. */
  function promiseThenRestart(bugs: PaxosBug[]) {
    const c = paxosCluster({ nodes: 3, paxos: { bugs }, simulation: { seed: 72, network: RELIABLE } });
    electLeader(c);
    const [a, b] = c.nodes.filter((id) => !c.node(id)!.isLeader());
    c.sim.invokeOn<PaxosNode, void>(a!, (n) => n.campaign());
    runUntil(c, 20, () => c.node(b!)!.inspect().promised.leader === a);
    const promised = c.node(b!)!.inspect().promised;
    c.sim.inject({ kind: "crash", node: b! });
    c.sim.inject({ kind: "restart", node: b! });
    return { promised, recovered: c.node(b!)!.inspect().promised };
  }

  it("a promise made in phase 1 survives a restart", () => {
    const { promised, recovered } = promiseThenRestart([]);
    expect(recovered).toEqual(promised);
  });

  it("with promiseNotPersisted the restarted acceptor forgets it (what PromiseMonotonic catches)", () => {
    const { promised, recovered } = promiseThenRestart(["promiseNotPersisted"]);
    expect(recovered.round).toBeLessThan(promised.round);
  });

  it("a proposer never reuses a ballot across restarts: its own phase 1 promise is on disk first", () => {
    const c = cluster(73, { nodes: 3 });
    const leader = electLeader(c);
    const ballot = c.node(leader)!.leaderBallot()!;
    c.sim.inject({ kind: "crash", node: leader });
    c.sim.inject({ kind: "restart", node: leader });
    c.sim.invokeOn<PaxosNode, void>(leader, (n) => n.campaign());
    expect(c.node(leader)!.inspect().ballot!.round).toBeGreaterThan(ballot.round);
  });
});
