import { describe, expect, it } from "vitest";
import { stateMachineSafety } from "../../src/invariants/state-machine-safety.js";
import { applied, FakeCluster } from "./fake-view.js";

describe("StateMachineSafety", () => {
  it("fires when two nodes apply different entries at one index", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], stateMachineSafety());
    expect(c.step({}, [applied("n1", 2, 1, 2, "put x=1")])).toBeUndefined();
    expect(c.step({}, [applied("n2", 3, 1, 3, "put x=2")])).toMatch(/index 1: n2 applied \(term 3\) put x=2 but n1 applied \(term 2\) put x=1/);
  });

  it("fires when the same command sits in a different term (a different entry)", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], stateMachineSafety());
    c.step({}, [applied("n1", 2, 1, 2, "put x=1")]);
    expect(c.step({}, [applied("n3", 4, 1, 4, "put x=1")])).toMatch(/index 1/);
  });

  it("fires across a restart: the node re-applies a different entry than before its crash", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], stateMachineSafety());
    c.step({}, [applied("n1", 2, 1, 2, "a")]);
    c.step({ n1: "down" });
    c.step({ n1: { restart: { currentTerm: 2 } } });
    expect(c.step({}, [applied("n1", 3, 1, 3, "b")])).toMatch(/index 1/);
  });

  it("fires when a snapshot disagrees with an applied entry's term", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], stateMachineSafety());
    c.step({}, [applied("n1", 2, 5, 2)]);
    expect(c.step({}, [{ node: "n2", event: "snapshot_installed", data: { term: 3, snapshotIndex: 5, snapshotTerm: 3 } }])).toMatch(/snapshot/);
  });

  it("counts each event once when an injected fault is checked under the same step number", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], stateMachineSafety());
    expect(c.step({}, [applied("n1", 2, 1, 2, "a")])).toBeUndefined();
    expect(c.step({}, [applied("n2", 2, 1, 2, "a")], true)).toBeUndefined();
    expect(c.step({}, [applied("n3", 2, 1, 3, "b")], true)).toMatch(/index 1/);
  });

  it("stays quiet when every node applies the same entries, re-applies after a restart, or installs a matching snapshot", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], stateMachineSafety());
    expect(c.step({}, [applied("n1", 2, 1, 2), applied("n1", 2, 2, 2)])).toBeUndefined();
    expect(c.step({}, [applied("n2", 2, 1, 2), applied("n2", 3, 2, 2)])).toBeUndefined();
    expect(c.step({}, [applied("n1", 5, 1, 2)])).toBeUndefined();
    expect(c.step({}, [{ node: "n3", event: "snapshot_installed", data: { term: 3, snapshotIndex: 2, snapshotTerm: 2 } }])).toBeUndefined();
  });
});
