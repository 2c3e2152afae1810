import { describe, expect, it } from "vitest";
import { promiseMonotonic } from "../../src/invariants/index.js";
import { FakeCluster, bal, pv } from "./fake-view.js";

const N = ["n1", "n2", "n3"];

describe("PromiseMonotonic", () => {
  it("fires when a promise goes back", () => {
    const c = new FakeCluster(N, promiseMonotonic());
    expect(c.step({ n2: { promised: bal(3, "n1") } })).toBeUndefined();
    expect(c.step({ n2: { promised: bal(2, "n3") } })).toMatch(/n2's promise went back from ballot 3.n1 to 2.n3/);
  });

  it("fires when a restart recovers a lower promise (it was not on disk)", () => {
    const c = new FakeCluster(N, promiseMonotonic());
    expect(c.step({ n2: { promised: bal(3, "n1") } })).toBeUndefined();
    expect(c.step({ n2: "down" })).toBeUndefined();
    expect(c.step({ n2: { restart: { promised: bal(1, "n1") } } })).toMatch(/n2's promise went back across a restart from ballot 3.n1 to 1.n1/);
  });

  it("fires on a restart between steps too (an injected fault leaves no events)", () => {
    const c = new FakeCluster(N, promiseMonotonic());
    expect(c.step({ n2: { promised: bal(3, "n1") } })).toBeUndefined();
    expect(c.step({ n2: { silentRestart: {} } })).toMatch(/n2's promise went back across a restart/);
  });

  it("fires when an acceptor accepts below the promise it held", () => {
    const c = new FakeCluster(N, promiseMonotonic());
    expect(c.step({ n2: { promised: bal(3, "n3") } })).toBeUndefined();
    expect(c.step({ n2: { accepts: [pv(7, bal(2, "n1"), "v")] } })).toMatch(/n2 accepted v in slot 7 at ballot 2.n1, below its promise 3.n3/);
  });

  it("stays quiet while promises rise, restarts keep them, and acceptances are at or above them", () => {
    const c = new FakeCluster(N, promiseMonotonic());
    expect(c.step({ n2: { promised: bal(1, "n1") } })).toBeUndefined();
    expect(c.step({ n2: { promised: bal(1, "n1"), accepts: [pv(1, bal(1, "n1"), "v")] } })).toBeUndefined();
    expect(c.step({ n2: { promised: bal(2, "n3"), accepts: [pv(2, bal(2, "n3"), "w")] } })).toBeUndefined();
    expect(c.step({ n2: "down" })).toBeUndefined();
    expect(c.step({ n2: { restart: { promised: bal(2, "n3") } } })).toBeUndefined();
    expect(c.step({ n2: { promised: bal(4, "n1") } })).toBeUndefined();
  });
});
