import { describe, expect, it } from "vitest";
import { cluster, currentLeader, inspect, leaders, runFor, runUntil } from "./harness.js";

/** Isolates one follower for 3 s, heals, and reports whether the leader's term moved. */
function rejoinAfterIsolation(n: number, preVote: boolean, seed: number): { disrupted: boolean; termRaisedBy: number } {
  const sim = cluster({ nodes: n, seed, raft: { preVote, checkQuorum: preVote } });
  runUntil(sim, () => leaders(sim).length === 1, 1000);
  runFor(sim, 500);
  const leader = currentLeader(sim)!;
  const term = inspect(sim, leader)!.currentTerm;
  const follower = sim.nodeIds.find((id) => id !== leader)!;
  expect(inspect(sim, follower)!.currentTerm).toBe(term);
  sim.inject({ kind: "isolate", node: follower });
  runFor(sim, 3000);
  const termRaisedBy = inspect(sim, follower)!.currentTerm;
  sim.inject({ kind: "heal" });
  runFor(sim, 2000);
  const after = currentLeader(sim)!;
  return { disrupted: after !== leader || inspect(sim, after)!.currentTerm !== term, termRaisedBy: termRaisedBy - term };
}

/** Cuts the leader off from everyone for 3 s and counts how long two nodes both believe they lead. */
function isolatedLeader(n: number, checkQuorum: boolean, seed: number): { twoLeadersAtEnd: boolean } {
  const sim = cluster({ nodes: n, seed, raft: { checkQuorum, preVote: checkQuorum } });
  runUntil(sim, () => leaders(sim).length === 1, 1000);
  const leader = currentLeader(sim)!;
  sim.inject({ kind: "isolate", node: leader });
  runFor(sim, 3000);
  return { twoLeadersAtEnd: leaders(sim).length >= 2 };
}

describe.each([3, 5, 7])("pre-vote and check-quorum with %i nodes", (n) => {
  it("without pre-vote a follower rejoining after a partition disrupts the healthy leader (leader flapping)", () => {
    const r = rejoinAfterIsolation(n, false, 3);
    expect(r.termRaisedBy).toBeGreaterThan(0);
    expect(r.disrupted).toBe(true);
  });

  it("with pre-vote a rejoining follower neither raised its term nor disrupts the leader", () => {
    const r = rejoinAfterIsolation(n, true, 3);
    expect(r.termRaisedBy).toBe(0);
    expect(r.disrupted).toBe(false);
  });

  it("without check-quorum a leader cut off from everyone stays leader beside the new one (split brain)", () => {
    expect(isolatedLeader(n, false, 4).twoLeadersAtEnd).toBe(true);
  });

  it("with check-quorum a leader cut off from everyone steps down", () => {
    expect(isolatedLeader(n, true, 4).twoLeadersAtEnd).toBe(false);
  });
});
