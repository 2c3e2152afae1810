import { describe, expect, it } from "vitest";
import { leaderCommitRule } from "../../src/invariants/leader-commit-rule.js";
import { entries, FakeCluster } from "./fake-view.js";

describe("LeaderCommitRule", () => {
  it("fires when a leader advances commitIndex to an entry of an earlier term (Figure 8)", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], leaderCommitRule());
    c.step({ n1: { role: "leader", currentTerm: 4, entries: entries([1, 2]), commitIndex: 1 } });
    expect(c.step({ n1: { commitIndex: 2 } })).toMatch(/leader n1 of term 4 advanced commitIndex to 2, an entry of term 2/);
  });

  it("stays quiet when the leader commits an entry of its own term (earlier entries below it commit indirectly)", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], leaderCommitRule());
    c.step({ n1: { role: "leader", currentTerm: 4, entries: entries([1, 2, 4]), commitIndex: 1 } });
    expect(c.step({ n1: { commitIndex: 3 } })).toBeUndefined();
  });

  it("stays quiet about the commitIndex a node brings into its leadership, and about followers", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], leaderCommitRule());
    c.step({ n2: { currentTerm: 3, entries: entries([1, 2]), commitIndex: 0 } });
    expect(c.step({ n2: { commitIndex: 2 } })).toBeUndefined(); // a follower learns commit from its leader
    expect(c.step({ n2: { role: "leader", currentTerm: 4 } })).toBeUndefined();
    expect(c.step({ n2: { entries: entries([1, 2, 4]), commitIndex: 3 } })).toBeUndefined();
  });
});
