import { describe, expect, it } from "vitest";
import { commitIndexMonotonic } from "../../src/invariants/commit-index-monotonic.js";
import { entries, FakeCluster } from "./fake-view.js";

describe("CommitIndexMonotonic", () => {
  it("fires when commitIndex goes back within an incarnation", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], commitIndexMonotonic());
    c.step({ n1: { entries: entries([1, 1, 1]), commitIndex: 3 } });
    expect(c.step({ n1: { commitIndex: 2 } })).toMatch(/commitIndex of n1 went back from 3 to 2/);
  });

  it("fires when a restarted node recovers below its durable snapshot", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], commitIndexMonotonic());
    c.step({ n1: { snapshotIndex: 5, snapshotTerm: 1, entries: entries([1], 6), commitIndex: 6 } });
    c.step({ n1: "down" });
    expect(c.step({ n1: { restart: { entries: entries([1, 1, 1]), commitIndex: 0 } } })).toMatch(/n1 restarted with commitIndex 0, below its durable snapshot at index 5/);
  });

  it("stays quiet when a restart loses a snapshot that was never synced", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], commitIndexMonotonic());
    c.step({ n1: { entries: entries([1, 1, 1]), commitIndex: 3 } });
    c.unsynced("n1");
    c.step({ n1: { snapshotIndex: 3, snapshotTerm: 1, entries: [] } });
    c.step({ n1: "down" });
    expect(c.step({ n1: { restart: { entries: entries([1, 1, 1]), commitIndex: 1 } } })).toBeUndefined();
  });

  it("fires when commitIndex runs past the node's log", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], commitIndexMonotonic());
    expect(c.step({ n2: { entries: entries([1, 1]), commitIndex: 4 } })).toMatch(/commitIndex 4 beyond its last log index 2/);
  });

  it("stays quiet when commitIndex grows, and when a restart rebuilds it from the snapshot", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], commitIndexMonotonic());
    expect(c.step({ n1: { entries: entries([1, 1, 1]), commitIndex: 1 } })).toBeUndefined();
    expect(c.step({ n1: { commitIndex: 3 } })).toBeUndefined();
    expect(c.step({ n1: { snapshotIndex: 3, snapshotTerm: 1, entries: [] } })).toBeUndefined();
    expect(c.step({ n1: "down" })).toBeUndefined();
    expect(c.step({ n1: { restart: { snapshotIndex: 3, snapshotTerm: 1, commitIndex: 3 } } })).toBeUndefined();
    expect(c.step({ n1: { entries: entries([2], 4), commitIndex: 4 } })).toBeUndefined();
  });
});
