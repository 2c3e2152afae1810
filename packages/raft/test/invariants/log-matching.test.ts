import { describe, expect, it } from "vitest";
import { logMatching } from "../../src/invariants/log-matching.js";
import { entries, FakeCluster } from "./fake-view.js";

describe("LogMatching", () => {
  it("fires when two logs carry different commands under the same index and term", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], logMatching());
    c.step({ n1: { entries: entries([1, 1]) } });
    expect(c.step({ n2: { entries: entries([1, 1], 1, { 2: "x" }) } })).toMatch(/entry \(index 2, term 1\) differs/);
  });

  it("fires when two logs agree on (index, term) but differ before it", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], logMatching());
    c.step({ n1: { entries: entries([1, 1, 3]) } });
    expect(c.step({ n2: { entries: entries([1, 2, 3], 1, { 3: "cmd3@3" }) } })).toMatch(/index 2 has term 2, on n1 term 1/);
  });

  it("fires across time: an (index, term) pair rewritten with another command later in the run", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], logMatching());
    c.step({ n1: { entries: entries([1, 2]) } });
    c.step({ n1: { entries: entries([1]) } });
    expect(c.step({ n1: { entries: entries([1, 2], 1, { 2: "y" }) } })).toMatch(/differs/);
  });

  it("stays quiet for diverging uncommitted suffixes of different terms, and snapshots", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], logMatching());
    expect(c.step({ n1: { entries: entries([1, 1, 2, 2]) }, n2: { entries: entries([1, 1, 3]) } })).toBeUndefined();
    expect(c.step({ n1: { entries: entries([1, 1, 3, 3]) } })).toBeUndefined();
    expect(c.step({ n3: { snapshotIndex: 2, snapshotTerm: 1, entries: entries([3, 3], 3) } })).toBeUndefined();
    expect(c.step({ n3: { snapshotIndex: 4, snapshotTerm: 3, entries: entries([4], 5) } })).toBeUndefined();
  });
});
