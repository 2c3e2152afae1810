import { describe, expect, it } from "vitest";
import { durableState } from "../../src/invariants/index.js";
import { FakeCluster, bal, pv } from "./fake-view.js";

const N = ["n1", "n2", "n3"];

describe("DurableState", () => {
  it("fires when a step ends with an unsynced write (a reply ran ahead of the disk)", () => {
    const c = new FakeCluster(N, durableState());
    c.unsynced("n3");
    expect(c.step({ n3: { promised: bal(1, "n1") } })).toMatch(/n3 ended a step with 1 unsynced write/);
  });

  it("fires when a restart loses an accepted pvalue", () => {
    const c = new FakeCluster(N, durableState());
    expect(c.step({ n2: { promised: bal(2, "n1"), accepts: [pv(5, bal(2, "n1"), "v")] } })).toBeUndefined();
    expect(c.step({ n2: "down" })).toBeUndefined();
    expect(c.step({ n2: { restart: { promised: bal(2, "n1") } } })).toMatch(/n2 restarted without its acceptance of slot 5 at ballot 2.n1 \(it recovered nothing\)/);
  });

  it("fires when a restart recovers a lower promise", () => {
    const c = new FakeCluster(N, durableState());
    expect(c.step({ n2: { promised: bal(2, "n1") } })).toBeUndefined();
    expect(c.step({ n2: { silentRestart: { promised: bal(1, "n1") } } })).toMatch(/n2 restarted with promise 1.n1, below the 2.n1 it had promised/);
  });

  it("stays quiet when restarts recover what was accepted (or compacted it), and every step ends synced", () => {
    const c = new FakeCluster(N, durableState());
    const v = pv(5, bal(2, "n1"), "v");
    expect(c.step({ n2: { promised: bal(2, "n1"), accepts: [v, pv(6, bal(2, "n1"), "w")] } })).toBeUndefined();
    expect(c.step({ n2: "down" })).toBeUndefined();
    expect(c.step({ n2: { restart: { promised: bal(2, "n1"), accepted: new Map([[5, v]]), compactedThrough: 0 } } })).toMatch(/slot 6/);
    const d = new FakeCluster(N, durableState());
    expect(d.step({ n2: { promised: bal(2, "n1"), accepts: [v] } })).toBeUndefined();
    expect(d.step({ n2: { compactedThrough: 5 } })).toBeUndefined();
    expect(d.step({ n2: { restart: { promised: bal(2, "n1"), compactedThrough: 5 } } })).toBeUndefined();
  });
});
