import { describe, expect, it } from "vitest";
import { electionSafety } from "../../src/invariants/election-safety.js";
import { FakeCluster } from "./fake-view.js";

describe("ElectionSafety", () => {
  it("fires when two nodes lead the same term", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], electionSafety());
    expect(c.step({ n1: { role: "leader", currentTerm: 2 } })).toBeUndefined();
    expect(c.step({ n2: { role: "leader", currentTerm: 2 } })).toMatch(/two leaders in term 2: n1 and n2/);
  });

  it("remembers a term's leader after it crashed (over the whole run, not only at one instant)", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], electionSafety());
    c.step({ n1: { role: "leader", currentTerm: 3 } });
    c.step({ n1: "down" });
    expect(c.step({ n3: { role: "leader", currentTerm: 3 } })).toMatch(/term 3: n1 and n3/);
  });

  it("stays quiet for one leader per term, the same leader seen again, and leaders of different terms", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], electionSafety());
    expect(c.step({ n1: { role: "leader", currentTerm: 2 } })).toBeUndefined();
    expect(c.step({ n1: { role: "leader", currentTerm: 2, commitIndex: 0 } })).toBeUndefined();
    expect(c.step({ n2: { role: "candidate", currentTerm: 3 } })).toBeUndefined();
    expect(c.step({ n2: { role: "leader", currentTerm: 3 }, n1: { role: "follower", currentTerm: 3 } })).toBeUndefined();
    expect(c.step({ n1: { role: "leader", currentTerm: 4 } })).toBeUndefined();
  });
});
