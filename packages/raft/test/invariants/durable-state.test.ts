import { describe, expect, it } from "vitest";
import { durableState } from "../../src/invariants/durable-state.js";
import { FakeCluster } from "./fake-view.js";

describe("DurableState", () => {
  it("fires when a restarted node recovers an older term than it held with nothing unsynced", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], durableState());
    c.step({ n2: { currentTerm: 5, votedFor: "n1" } });
    c.step({ n2: "down" });
    expect(c.step({ n2: { restart: { currentTerm: 4 } } })).toMatch(/n2 went back from term 5 to 4/);
  });

  it("fires when a restarted node forgot (or changed) the vote it held in its term", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], durableState());
    c.step({ n2: { currentTerm: 3, votedFor: "n1" } });
    c.step({ n2: "down" });
    expect(c.step({ n2: { restart: { currentTerm: 3, votedFor: null } } })).toMatch(/n2 changed its vote in term 3 from n1 to none/);
  });

  it("fires when a step ends with an unsynced write (a reply ran ahead of the disk)", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], durableState());
    c.unsynced("n3");
    expect(c.step({ n3: { currentTerm: 2 } })).toMatch(/n3 ended a step with 1 unsynced write/);
  });

  it("stays quiet when terms grow, votes change only with the term, and restarts recover what was synced", () => {
    const c = new FakeCluster(["n1", "n2", "n3"], durableState());
    expect(c.step({ n1: { currentTerm: 2, votedFor: "n1" } })).toBeUndefined();
    expect(c.step({ n1: { currentTerm: 3, votedFor: null } })).toBeUndefined();
    expect(c.step({ n1: { votedFor: "n2" } })).toBeUndefined();
    expect(c.step({ n1: "down" })).toBeUndefined();
    expect(c.step({ n1: { restart: { currentTerm: 3, votedFor: "n2" } } })).toBeUndefined();
    expect(c.step({ n1: { currentTerm: 4, votedFor: null } })).toBeUndefined();
  });
});
