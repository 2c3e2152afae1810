import { describe, expect, it } from "vitest";
import { leaderAppendOnly } from "../../src/invariants/leader-append-only.js";
import { entries, FakeCluster } from "./fake-view.js";

describe("LeaderAppendOnly", () => {
  it("fires when a leader truncates its own log", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], leaderAppendOnly());
    c.step({ n1: { role: "leader", currentTerm: 2, entries: entries([1, 2, 2]) } });
    expect(c.step({ n1: { entries: entries([1, 2]) } })).toMatch(/leader n1 of term 2 rewrote or removed its own entries from index 3/);
  });

  it("fires when a leader overwrites an entry in place", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], leaderAppendOnly());
    c.step({ n1: { role: "leader", currentTerm: 2, entries: entries([1, 2, 2]) } });
    expect(c.step({ n1: { entries: entries([1, 2, 2], 1, { 3: "other" }) } })).toMatch(/from index 3/);
  });

  it("stays quiet for appends, compaction into a snapshot, and log changes outside leadership", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], leaderAppendOnly());
    expect(c.step({ n1: { role: "leader", currentTerm: 2, entries: entries([1, 2]) } })).toBeUndefined();
    expect(c.step({ n1: { entries: entries([1, 2, 2, 2]) } })).toBeUndefined();
    expect(c.step({ n1: { snapshotIndex: 2, snapshotTerm: 2, entries: entries([2, 2], 3) } })).toBeUndefined();
    // deposed: a follower may lose its uncommitted suffix
    expect(c.step({ n1: { role: "follower", currentTerm: 3, entries: entries([2], 3) } })).toBeUndefined();
    // a new term's leadership starts from the log it has
    expect(c.step({ n1: { role: "leader", currentTerm: 5, entries: entries([2, 5], 3) } })).toBeUndefined();
    expect(c.step({ n1: "down" })).toBeUndefined();
    expect(c.step({ n1: { restart: { currentTerm: 5, snapshotIndex: 2, snapshotTerm: 2, entries: entries([2], 3) } } })).toBeUndefined();
  });
});
