import { describe, expect, it } from "vitest";
import type { RaftBug } from "../../src/bugs.js";
import { addProbe, cluster, currentLeader, inspect, put, runFor, runUntil } from "../scenarios/harness.js";

/**
 * The follower side of uncappedCommitIndex. This package's own leader never exposes it: it sends heartbeats as
 * separate messages whose commit is capped at what the follower is known to hold, and its conflict-term
 * backtracking always starts an AppendEntries at the first conflicting entry. A leader that follows the paper's
 * Figure 2 literally sends heartbeats as empty AppendEntries; here a scripted process plays that leader for one
 * message, with the real leader's term and commit index, after the real cluster moved on:
 * - A (term a) replicates two entries to F only ({A,F} | {B,C,D}), then crashes: F's suffix is stale;
 * - L wins a later term among B, C, D and commits different entries at those indices;
 * - F, still cut off from the cluster, gets an empty AppendEntries in L's term whose prevLogIndex matches the
 *   last entry F shares with L, and leaderCommit covers F's stale suffix.
 * A correct follower commits only up to the last entry the message vouched for (prevLogIndex here).
 */
function runUncapped(bugs: RaftBug[]) {
  const sim = cluster({ nodes: 5, seed: 3, raft: { bugs } });
  const probe = addProbe(sim);
  runUntil(sim, () => currentLeader(sim) !== undefined, 2000);
  runFor(sim, 300);
  const a = currentLeader(sim)!;
  const [f, ...bcd] = sim.nodeIds.filter((id) => id !== a) as [string, ...string[]];
  const shared = inspect(sim, a)!.commitIndex;
  sim.inject({ kind: "partition", groups: [[a, f], bcd] });
  put(sim, probe, a, "x", "stale-1");
  put(sim, probe, a, "x", "stale-2");
  runUntil(sim, () => inspect(sim, f)!.entries.length >= shared + 2, 1000);
  sim.inject({ kind: "crash", node: a });
  runUntil(sim, () => currentLeader(sim, bcd) !== undefined, 3000);
  const l = currentLeader(sim, bcd)!;
  put(sim, probe, l, "x", "new-1");
  runUntil(sim, () => inspect(sim, l)!.lastApplied >= shared + 2, 2000);
  const fi = inspect(sim, f)!;
  const leaderTerm = inspect(sim, l)!.currentTerm;
  sim.at(sim.nowUs / 1000, () => probe.sendRaw(f, {
    type: "append", term: leaderTerm, prevLogIndex: shared, prevLogTerm: fi.entries[shared - 1]!.term, entries: [], leaderCommit: shared + 2,
  }));
  const outcome = sim.run({ untilMs: sim.nowUs / 1000 + 100 });
  return { outcome, staleOnF: fi.entries.length - shared, fCommit: inspect(sim, f)?.commitIndex ?? -1, shared };
}

describe("planted bug uncappedCommitIndex (hand-built: a Figure 2 leader's empty AppendEntries)", () => {
  it("a follower that takes leaderCommit without capping it at its last new entry applies stale entries (State Machine Safety)", () => {
    const r = runUncapped(["uncappedCommitIndex"]);
    expect(r.staleOnF).toBe(2);
    expect(r.outcome.kind).toBe("safety");
    expect(r.outcome.invariant).toBe("StateMachineSafety");
  });

  it("the correct follower caps commitIndex at the last entry the message vouched for, and passes the same schedule", () => {
    const r = runUncapped([]);
    expect(r.staleOnF).toBe(2);
    expect(r.outcome.kind, r.outcome.message).toBe("ok");
    expect(r.fCommit).toBe(r.shared);
  });
});
