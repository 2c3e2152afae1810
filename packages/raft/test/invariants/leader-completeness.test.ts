import { describe, expect, it } from "vitest";
import { leaderCompleteness } from "../../src/invariants/leader-completeness.js";
import { applied, entries, FakeCluster } from "./fake-view.js";

describe("LeaderCompleteness", () => {
  it("fires when a node leads a later term without an entry committed earlier", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], leaderCompleteness());
    c.step({ n1: { role: "leader", currentTerm: 2, entries: entries([1, 2]), commitIndex: 2, lastApplied: 2 } }, [applied("n1", 2, 1, 1), applied("n1", 2, 2, 2)]);
    expect(c.step({ n3: { role: "leader", currentTerm: 3, entries: entries([1]) } })).toMatch(/leader n3 of term 3 lacks index 2 \(term 2, cmd2@2\).*log ends at 1/);
  });

  it("fires when an entry becomes known committed while a higher-term leader lacks it", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], leaderCompleteness());
    c.step({ n3: { role: "leader", currentTerm: 4, entries: entries([1, 4]) } });
    // a node in term 4 applies a different index 2: some leader of term >= 4 must hold it
    expect(c.step({}, [applied("n2", 4, 2, 2)])).toMatch(/leader n3 of term 4 lacks index 2.*has \(term 4\)/);
  });

  it("fires when a leader's snapshot ends in another term at a committed index", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], leaderCompleteness());
    c.step({}, [applied("n1", 2, 3, 2)]);
    expect(c.step({ n2: { role: "leader", currentTerm: 5, snapshotIndex: 3, snapshotTerm: 4 } })).toMatch(/snapshot ends in term 4/);
  });

  it("stays quiet for complete leaders, stale lower-term leaders, and compacted prefixes", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], leaderCompleteness());
    expect(c.step({ n1: { role: "leader", currentTerm: 2, entries: entries([1, 2]) } }, [applied("n1", 2, 1, 1), applied("n1", 2, 2, 2)])).toBeUndefined();
    // a leader of term 1 (stale, deposed but unaware) may lack it: the entry was committed in term 2
    expect(c.step({ n3: { role: "leader", currentTerm: 1, entries: entries([1]) } })).toBeUndefined();
    expect(c.step({ n2: { role: "leader", currentTerm: 3, entries: entries([1, 2, 3]) } })).toBeUndefined();
    expect(c.step({ n2: { role: "leader", currentTerm: 7, snapshotIndex: 2, snapshotTerm: 2, entries: entries([3], 3) } })).toBeUndefined();
  });
});
