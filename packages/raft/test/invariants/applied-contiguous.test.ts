import { describe, expect, it } from "vitest";
import { appliedContiguous } from "../../src/invariants/applied-contiguous.js";
import { applied, entries, FakeCluster } from "./fake-view.js";

const log3 = { entries: entries([1, 1, 1]), commitIndex: 3 };

describe("AppliedContiguous", () => {
  it("fires when a node skips an index", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], appliedContiguous());
    c.step({ n1: { ...log3, lastApplied: 1 } }, [applied("n1", 1, 1, 1)]);
    expect(c.step({ n1: { lastApplied: 3 } }, [applied("n1", 1, 3, 1)])).toMatch(/n1 applied index 3 right after index 1/);
  });

  it("fires when an apply repeats an index in one incarnation", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], appliedContiguous());
    c.step({ n1: { ...log3, lastApplied: 2 } }, [applied("n1", 1, 1, 1), applied("n1", 1, 2, 1)]);
    expect(c.step({ n1: {} }, [applied("n1", 1, 2, 1)])).toMatch(/applied index 2 right after index 2/);
  });

  it("fires when a snapshot install moves the applied state back", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], appliedContiguous());
    c.step({ n1: { ...log3, lastApplied: 3 } }, [applied("n1", 1, 1, 1), applied("n1", 1, 2, 1), applied("n1", 1, 3, 1)]);
    expect(c.step({ n1: { snapshotIndex: 2, snapshotTerm: 1, entries: entries([1], 3), lastApplied: 2 } }, [{ node: "n1", event: "snapshot_installed", data: { term: 1, snapshotIndex: 2, snapshotTerm: 1 } }])).toMatch(/snapshot at index 2, behind its applied index 3/);
  });

  it("stays quiet when a node restarted between steps (no restart event) re-applies from its snapshot", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], appliedContiguous());
    c.step({ n1: { ...log3, lastApplied: 3 } }, [applied("n1", 1, 1, 1), applied("n1", 1, 2, 1), applied("n1", 1, 3, 1)]);
    c.step({ n1: "down" });
    c.step({ n1: { silentRestart: { entries: entries([1, 1, 1]), commitIndex: 3, lastApplied: 3 } } });
    expect(c.step({ n1: { entries: entries([1, 1, 1, 1]), commitIndex: 4, lastApplied: 4 } }, [applied("n1", 1, 4, 1)])).toBeUndefined();
  });

  it("stays quiet when invariants run again under the same step number after an injected fault", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], appliedContiguous());
    c.step({ n1: { ...log3, lastApplied: 1 } }, [applied("n1", 1, 1, 1)]);
    expect(c.step({ n2: {} }, [], true)).toBeUndefined();
    expect(c.step({ n1: { lastApplied: 2 } }, [applied("n1", 1, 2, 1)])).toBeUndefined();
  });

  it("fires when a node applies beyond its commitIndex", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], appliedContiguous());
    c.step({ n1: { entries: entries([1, 1, 1]), commitIndex: 1, lastApplied: 1 } }, [applied("n1", 1, 1, 1)]);
    expect(c.step({ n1: { lastApplied: 2 } }, [applied("n1", 1, 2, 1)])).toMatch(/beyond its commitIndex 1/);
  });

  it("stays quiet for in-order applies, a snapshot jump forward, and re-applying from the snapshot after a restart", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], appliedContiguous());
    expect(c.step({ n1: { ...log3, lastApplied: 2 } }, [applied("n1", 1, 1, 1), applied("n1", 1, 2, 1)])).toBeUndefined();
    expect(c.step({ n1: { lastApplied: 3 } }, [applied("n1", 1, 3, 1)])).toBeUndefined();
    expect(c.step({ n2: { snapshotIndex: 3, snapshotTerm: 1, commitIndex: 3, lastApplied: 3 } }, [{ node: "n2", event: "snapshot_installed", data: { term: 1, snapshotIndex: 3, snapshotTerm: 1 } }])).toBeUndefined();
    expect(c.step({ n1: "down" })).toBeUndefined();
    expect(c.step({ n1: { restart: { snapshotIndex: 1, snapshotTerm: 1, entries: entries([1, 1], 2), commitIndex: 1, lastApplied: 1 } } })).toBeUndefined();
    expect(c.step({ n1: { commitIndex: 3, lastApplied: 3 } }, [applied("n1", 1, 2, 1), applied("n1", 1, 3, 1)])).toBeUndefined();
  });
});
