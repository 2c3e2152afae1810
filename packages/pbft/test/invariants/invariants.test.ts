import { describe, expect, it } from "vitest";
import {
  checkpointAgreement, clientResult, commitAgreement, durableView, executeOnce, executedPrefixAgreement, newViewNoGaps,
} from "../../src/invariants/index.js";
import { ev, FakeCluster } from "./fake-view.js";

const N = ["n1", "n2", "n3", "n4"];

describe("CommitAgreement", () => {
  it("fires when two correct replicas commit different requests at one sequence number, even in different views", () => {
    const c = new FakeCluster(N, commitAgreement());
    expect(c.step([ev.committed("n1", 5, "ra", 0), ev.committed("n2", 5, "ra", 0)])).toBeUndefined();
    expect(c.step([ev.committed("n3", 5, "rb", 2)])).toMatch(/sequence number 5: n3 committed rb in view 2 but n1 committed ra in view 0/);
  });

  it("passes commits of one request in several views, and ignores a byzantine replica's claims", () => {
    const c = new FakeCluster(N, commitAgreement());
    expect(c.step([ev.committed("n1", 5, "ra", 0), ev.committed("n2", 5, "ra", 3)])).toBeUndefined();
    expect(c.step([], { byzantine: ["n4"] })).toBeUndefined();
    expect(c.step([ev.committed("n4", 5, "rz", 3)])).toBeUndefined();
  });
});

describe("ExecutedPrefixAgreement", () => {
  it("fires when correct replicas execute different requests at one number", () => {
    const c = new FakeCluster(N, executedPrefixAgreement());
    c.step([ev.executed("n1", 1, "ra"), ev.executed("n2", 1, "ra")]);
    expect(c.step([ev.executed("n3", 1, "null", { requestId: null, fresh: false })])).toMatch(/sequence number 1: n3 executed null but n1 executed ra/);
  });

  it("fires when a replica skips a number, but not after a state transfer or a restart", () => {
    const c = new FakeCluster(N, executedPrefixAgreement());
    c.step([ev.executed("n1", 1, "ra"), ev.executed("n1", 2, "rb")]);
    expect(c.step([ev.executed("n1", 4, "rd")])).toMatch(/n1 executed sequence number 4 right after 2/);
    const d = new FakeCluster(N, executedPrefixAgreement());
    d.step([ev.executed("n1", 1, "ra")]);
    expect(d.step([ev.checkpoint("n1", 8, "s8", "state_transferred"), ev.executed("n1", 9, "ri")])).toBeUndefined();
    expect(d.step([], { restart: ["n1"] })).toBeUndefined();
    expect(d.step([ev.executed("n1", 3, "rc")])).toBeUndefined();
  });
});

describe("CheckpointAgreement", () => {
  it("fires when a replica's state at a checkpoint differs (a wrong state transfer), and passes matching ones", () => {
    const c = new FakeCluster(N, checkpointAgreement());
    expect(c.step([ev.checkpoint("n1", 8, "s1"), ev.checkpoint("n2", 8, "s1", "checkpoint_stable")])).toBeUndefined();
    expect(c.step([ev.checkpoint("n3", 8, "s2", "state_transferred")])).toMatch(/state at sequence number 8: n3 has s2 \(state_transferred\) but n1 has s1/);
  });
});

describe("ExecuteOnce", () => {
  it("fires when a request executes fresh at two numbers, and passes a remembered reply or a re-execution at the same number", () => {
    const c = new FakeCluster(N, executeOnce());
    expect(c.step([ev.executed("n1", 3, "ra", { requestId: "c1:0" })])).toBeUndefined();
    expect(c.step([ev.executed("n1", 7, "ra", { requestId: "c1:0", fresh: false })])).toBeUndefined();
    expect(c.step([ev.executed("n2", 3, "ra", { requestId: "c1:0" })])).toBeUndefined();
    expect(c.step([ev.executed("n3", 7, "ra", { requestId: "c1:0" })])).toMatch(/request c1:0 executed at sequence number 7 by n3 and at 3 by n1/);
  });
});

describe("ClientResult", () => {
  it("fires when a client accepts a result no correct replica computed, or a different one", () => {
    const c = new FakeCluster(N, clientResult(), ["c1"]);
    expect(c.step([], { accepted: { c1: [{ requestId: "c1:0", result: '{"ok":true,"value":7}' }] } })).toMatch(/c1 accepted .* for c1:0, which no correct replica executed/);
    const d = new FakeCluster(N, clientResult(), ["c1"]);
    d.step([ev.executed("n1", 1, "ra", { requestId: "c1:0", result: { ok: true, value: 3 } })]);
    expect(d.step([], { accepted: { c1: [{ requestId: "c1:0", result: '{"ok":true,"value":7}' }] } })).toMatch(/but n1 computed \{"ok":true,"value":3\}/);
  });

  it("passes a result a correct replica computed, and ignores a byzantine replica's executions", () => {
    const c = new FakeCluster(N, clientResult(), ["c1"]);
    c.step([], { byzantine: ["n4"] });
    c.step([ev.executed("n4", 1, "ra", { requestId: "c1:0", result: { ok: true, value: 9 } })]);
    expect(c.step([ev.executed("n1", 1, "ra", { requestId: "c1:0", result: { ok: true, value: 3 } })])).toBeUndefined();
    expect(c.step([], { accepted: { c1: [{ requestId: "c1:0", result: '{"ok":true,"value":3}' }] } })).toBeUndefined();
  });
});

describe("NewViewNoGaps", () => {
  it("fires when a new view's O misses a number in (min-s, max-s], and passes a complete one", () => {
    const c = new FakeCluster(N, newViewNoGaps());
    expect(c.step([ev.newView("n1", 1, 4, 7, [5, 6, 7])])).toBeUndefined();
    expect(c.step([ev.newView("n2", 2, 4, 7, [5, 7])])).toMatch(/n2 installed view 2 whose O misses sequence number 6 \(min-s 4, max-s 7\)/);
  });
});

describe("DurableView", () => {
  it("fires when a correct replica restarts in an earlier view than it was in, and passes one that kept its view", () => {
    const c = new FakeCluster(N, durableView());
    expect(c.step([], { views: { n2: 3 } })).toBeUndefined();
    expect(c.step([], { restart: ["n2"], views: { n2: 3 } })).toBeUndefined();
    expect(c.step([], { restart: ["n2"], views: { n2: 1 } })).toMatch(/n2 restarted in view 1, but it was in view 3 before its crash/);
  });

  it("passes a byzantine replica that forgets its view", () => {
    const c = new FakeCluster(N, durableView());
    c.step([], { views: { n4: 5 } });
    c.step([], { byzantine: ["n4"] });
    expect(c.step([], { restart: ["n4"], views: { n4: 0 } })).toBeUndefined();
  });
});
