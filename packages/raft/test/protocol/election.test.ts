import { describe, expect, it } from "vitest";
import { cluster, leaderOf, runFor, runUntil } from "./helpers.js";

describe("leader election", () => {
  for (const n of [3, 5, 7]) {
    it(`elects one leader within 1 s with a reliable network (${n} nodes), and the term then stays stable`, () => {
      for (let seed = 1; seed <= 10; seed++) {
        const c = cluster(seed, { nodes: n });
        expect(runUntil(c, 1000, () => leaderOf(c) !== undefined)).toBe(true);
        const leader = leaderOf(c)!;
        const term = leader.currentTerm;
        c.sim.run({ untilMs: 5000 });
        expect(c.leaders().map((l) => l.inspect().id)).toEqual([leader.inspect().id]);
        for (const id of c.nodes) expect(c.node(id)!.currentTerm).toBe(term);
      }
    });
  }
});

/** Elects a leader, lets every follower hear from it, then isolates one follower for 2 s. */
function isolateAFollowerOfTheLeader(c: ReturnType<typeof cluster>) {
  expect(runUntil(c, 1000, () => leaderOf(c) !== undefined)).toBe(true);
  runFor(c, 200); // every follower has heard from the leader
  const leader = leaderOf(c)!;
  const term = leader.currentTerm;
  const follower = c.nodes.find((id) => id !== leader.inspect().id)!;
  c.sim.inject({ kind: "isolate", node: follower });
  runFor(c, 2000);
  return { leader, term, follower };
}

describe("pre-vote and check-quorum", () => {
  it("an isolated follower's pre-votes do not raise its term, and after healing it does not disrupt the leader", () => {
    for (let seed = 1; seed <= 5; seed++) {
      const c = cluster(seed, { nodes: 3 });
      const { leader, term, follower } = isolateAFollowerOfTheLeader(c);
      expect(c.node(follower)!.currentTerm).toBe(term);
      c.sim.inject({ kind: "heal" });
      runFor(c, 2000);
      expect(leaderOf(c)!.inspect().id).toBe(leader.inspect().id);
      expect(leaderOf(c)!.currentTerm).toBe(term);
    }
  });

  it("without pre-vote the isolated follower's term climbs and its return deposes the leader (the seed's leader flapping)", () => {
    let deposed = 0;
    for (let seed = 1; seed <= 5; seed++) {
      const c = cluster(seed, { nodes: 3, raft: { preVote: false } });
      const { leader, term, follower } = isolateAFollowerOfTheLeader(c);
      expect(c.node(follower)!.currentTerm).toBeGreaterThan(term);
      c.sim.inject({ kind: "heal" });
      runFor(c, 2000);
      if (leaderOf(c)!.currentTerm > term) deposed++;
    }
    expect(deposed).toBe(5);
  });

  it("a leader cut off from its followers steps down within two election timeouts (check-quorum)", () => {
    for (let seed = 1; seed <= 5; seed++) {
      const c = cluster(seed, { nodes: 5 });
      expect(runUntil(c, 1000, () => leaderOf(c) !== undefined)).toBe(true);
      const leader = leaderOf(c)!;
      c.sim.inject({ kind: "isolate", node: leader.inspect().id });
      const start = c.sim.nowUs / 1000;
      expect(runUntil(c, 1000, () => !leader.isLeader())).toBe(true);
      expect(c.sim.nowUs / 1000 - start).toBeLessThanOrEqual(2 * 300);
    }
  });

  it("without check-quorum an isolated leader stays leader (a stale leader beside the new one: the seed's split-brain)", () => {
    const c = cluster(1, { nodes: 5, raft: { checkQuorum: false } });
    expect(runUntil(c, 1000, () => leaderOf(c) !== undefined)).toBe(true);
    const leader = leaderOf(c)!;
    c.sim.inject({ kind: "isolate", node: leader.inspect().id });
    runFor(c, 3000);
    expect(leader.isLeader()).toBe(true);
    expect(c.leaders().length).toBe(2); // two leaders, of different terms
    expect(new Set(c.leaders().map((l) => l.currentTerm)).size).toBe(2);
  });
});
