import { describe, expect, it } from "vitest";
import { chosenStable, chosenUnique } from "../../src/invariants/index.js";
import { FakeCluster, bal, pv } from "./fake-view.js";

const N = ["n1", "n2", "n3"];

describe("ChosenUnique", () => {
  it("fires when two different values each reach a majority in one slot (at different ballots)", () => {
    const c = new FakeCluster(N, chosenUnique());
    expect(c.step({ n1: { accepts: [pv(1, bal(1, "n1"), "a")] }, n2: { accepts: [pv(1, bal(1, "n1"), "a")] } })).toBeUndefined();
    expect(c.step({ n3: { accepts: [pv(1, bal(2, "n3"), "b")] } })).toBeUndefined();
    expect(c.step({ n2: { accepts: [pv(1, bal(2, "n3"), "b")] } })).toMatch(/slot 1: a was chosen at ballot 1.n1 and b at ballot 2.n3/);
  });

  it("stays quiet when the same value is chosen again at a higher ballot, and when other values stay in a minority", () => {
    const c = new FakeCluster(N, chosenUnique());
    expect(c.step({ n1: { accepts: [pv(1, bal(1, "n1"), "a")] }, n2: { accepts: [pv(1, bal(1, "n1"), "a")] } })).toBeUndefined();
    expect(c.step({ n3: { accepts: [pv(1, bal(2, "n3"), "a")] }, n1: { accepts: [pv(1, bal(2, "n3"), "a")] } })).toBeUndefined();
    expect(c.step({ n3: { accepts: [pv(2, bal(1, "n1"), "x")] } })).toBeUndefined();
    expect(c.step({ n1: { accepts: [pv(2, bal(3, "n1"), "y")] } })).toBeUndefined();
  });

  it("counts an acceptance announced by a node that crashed at the end of its step", () => {
    const c = new FakeCluster(N, chosenUnique());
    expect(c.step({ n1: { accepts: [pv(1, bal(1, "n1"), "a")] }, n2: { accepts: [pv(1, bal(1, "n1"), "a")] } })).toBeUndefined();
    c.step({ n3: { accepts: [pv(1, bal(2, "n3"), "b")] } });
    // n2 accepts b and crashes at the end of the same step: its state is gone, its event is not
    expect(c.step({ n2: { accepts: [pv(1, bal(2, "n3"), "b")] } }, [], ["n2"])).toMatch(/slot 1: a was chosen/);
  });

  it("counts an acceptor once per (ballot, value), even when it reports it again after a restart", () => {
    const c = new FakeCluster(N, chosenUnique());
    expect(c.step({ n1: { accepts: [pv(1, bal(1, "n1"), "a")] } })).toBeUndefined();
    expect(c.step({ n1: "down" })).toBeUndefined();
    expect(c.step({ n1: { restart: {} } })).toBeUndefined();
    expect(c.step({ n1: { accepts: [pv(1, bal(1, "n1"), "a")] } })).toBeUndefined();
    expect(c.step({ n2: { accepts: [pv(1, bal(2, "n2"), "b")] }, n3: { accepts: [pv(1, bal(2, "n2"), "b")] } })).toBeUndefined();
  });
});

describe("ChosenStable", () => {
  it("fires when, after a value is chosen, an acceptor accepts another value at a higher ballot", () => {
    const c = new FakeCluster(N, chosenStable());
    expect(c.step({ n1: { accepts: [pv(4, bal(1, "n1"), "a")] }, n2: { accepts: [pv(4, bal(1, "n1"), "a")] } })).toBeUndefined();
    expect(c.step({ n3: { accepts: [pv(4, bal(2, "n3"), "b")] } })).toMatch(/slot 4: a was chosen at ballot 1.n1, but n3 accepted b at the higher ballot 2.n3/);
  });

  it("fires when a value becomes chosen at a ballot below an acceptance of another value (a late majority)", () => {
    const c = new FakeCluster(N, chosenStable());
    expect(c.step({ n3: { accepts: [pv(4, bal(2, "n3"), "b")] } })).toBeUndefined();
    expect(c.step({ n1: { accepts: [pv(4, bal(1, "n1"), "a")] } })).toBeUndefined();
    expect(c.step({ n2: { accepts: [pv(4, bal(1, "n1"), "a")] } })).toMatch(/slot 4: a is chosen at ballot 1.n1, but n3 accepted b at the higher ballot 2.n3/);
  });

  it("stays quiet when higher ballots carry the chosen value, and lower ones may differ", () => {
    const c = new FakeCluster(N, chosenStable());
    expect(c.step({ n3: { accepts: [pv(4, bal(1, "n3"), "old")] } })).toBeUndefined();
    expect(c.step({ n1: { accepts: [pv(4, bal(2, "n1"), "a")] }, n2: { accepts: [pv(4, bal(2, "n1"), "a")] } })).toBeUndefined();
    expect(c.step({ n3: { accepts: [pv(4, bal(5, "n3"), "a")] } })).toBeUndefined();
  });
});
