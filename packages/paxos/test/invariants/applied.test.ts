import { describe, expect, it } from "vitest";
import { appliedAgreement, appliedChosen, appliedContiguous } from "../../src/invariants/index.js";
import { FakeCluster, applied, bal, pv } from "./fake-view.js";

const N = ["n1", "n2", "n3"];

describe("AppliedAgreement", () => {
  it("fires when two replicas apply different commands at one slot", () => {
    const c = new FakeCluster(N, appliedAgreement());
    expect(c.step({ n1: { appliedThrough: 1 } }, [applied("n1", 1, "a")])).toBeUndefined();
    expect(c.step({ n2: { appliedThrough: 1 } }, [applied("n2", 1, "b")])).toMatch(/slot 1: n2 applied b but n1 applied a/);
  });

  it("stays quiet when replicas apply the same commands, a restarted one again", () => {
    const c = new FakeCluster(N, appliedAgreement());
    expect(c.step({ n1: { appliedThrough: 2 } }, [applied("n1", 1, "a"), applied("n1", 2, "b")])).toBeUndefined();
    expect(c.step({ n2: { appliedThrough: 2 } }, [applied("n2", 1, "a"), applied("n2", 2, "b")])).toBeUndefined();
    expect(c.step({ n1: { restart: { appliedThrough: 1 } } }, [applied("n1", 2, "b")])).toBeUndefined();
  });
});

describe("AppliedContiguous", () => {
  it("fires when a replica skips a slot", () => {
    const c = new FakeCluster(N, appliedContiguous());
    expect(c.step({ n1: { appliedThrough: 1 } }, [applied("n1", 1, "a")])).toBeUndefined();
    expect(c.step({ n1: { appliedThrough: 3 } }, [applied("n1", 3, "c")])).toMatch(/n1 applied slot 3 right after slot 1/);
  });

  it("fires when a snapshot install moves the applied state back", () => {
    const c = new FakeCluster(N, appliedContiguous());
    expect(c.step({ n1: { appliedThrough: 2 } }, [applied("n1", 1, "a"), applied("n1", 2, "b")])).toBeUndefined();
    expect(c.step({ n1: { appliedThrough: 1 } }, [{ node: "n1", event: "snapshot_installed", data: { term: 1, slot: 1 } }])).toMatch(/installed a snapshot of slot 1, behind its applied slot 2/);
  });

  it("fires when appliedThrough disagrees with the applies announced", () => {
    const c = new FakeCluster(N, appliedContiguous());
    expect(c.step({ n1: { appliedThrough: 1 } }, [applied("n1", 1, "a")])).toBeUndefined();
    expect(c.step({ n1: { appliedThrough: 2 } })).toMatch(/n1 reports appliedThrough 2 but announced applies up to 1/);
  });

  it("stays quiet across snapshots and restarts that resume from the recovered state", () => {
    const c = new FakeCluster(N, appliedContiguous());
    expect(c.step({ n1: { appliedThrough: 1 } }, [applied("n1", 1, "a")])).toBeUndefined();
    expect(c.step({ n1: { appliedThrough: 10 } }, [{ node: "n1", event: "snapshot_installed", data: { term: 1, slot: 10 } }])).toBeUndefined();
    expect(c.step({ n1: { appliedThrough: 11 } }, [applied("n1", 11, "k")])).toBeUndefined();
    expect(c.step({ n1: "down" })).toBeUndefined();
    // recovery: a snapshot of slot 8 on disk, then the decisions 9..11 applied again at start
    expect(c.step({ n1: { restart: { appliedThrough: 11 } } }, [applied("n1", 9, "i"), applied("n1", 10, "j"), applied("n1", 11, "k")])).toBeUndefined();
    expect(c.step({ n1: { appliedThrough: 12 } }, [applied("n1", 12, "l")])).toBeUndefined();
  });
});

describe("AppliedChosen", () => {
  it("fires when a replica applies a value that no majority accepted", () => {
    const c = new FakeCluster(N, appliedChosen());
    expect(c.step({ n1: { accepts: [pv(1, bal(1, "n1"), "a")] } })).toBeUndefined();
    expect(c.step({ n1: { appliedThrough: 1 } }, [applied("n1", 1, "a")])).toMatch(/n1 applied a \(ballot 1.n1\) at slot 1, but nothing was chosen there/);
  });

  it("fires when a replica applies a value other than the chosen one", () => {
    const c = new FakeCluster(N, appliedChosen());
    expect(c.step({ n1: { accepts: [pv(1, bal(1, "n1"), "a")] }, n2: { accepts: [pv(1, bal(1, "n1"), "a")] } })).toBeUndefined();
    expect(c.step({ n3: { appliedThrough: 1 } }, [applied("n3", 1, "b")])).toMatch(/n3 applied b .* at slot 1, but the chosen value is a \(ballot 1.n1\)/);
  });

  it("stays quiet when replicas apply chosen values", () => {
    const c = new FakeCluster(N, appliedChosen());
    expect(c.step({ n1: { accepts: [pv(1, bal(1, "n1"), "a")] }, n2: { accepts: [pv(1, bal(1, "n1"), "a")] } })).toBeUndefined();
    expect(c.step({ n1: { appliedThrough: 1 } }, [applied("n1", 1, "a")])).toBeUndefined();
    expect(c.step({ n3: { appliedThrough: 1 } }, [applied("n3", 1, "a")])).toBeUndefined();
  });
});
