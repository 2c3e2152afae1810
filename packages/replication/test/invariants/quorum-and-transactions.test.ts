import { describe, expect, it } from "vitest";
import { dotCounterSurvivesRestart, equalUpdatesEqualState } from "../../src/invariants/quorum.js";
import { atomicity } from "../../src/invariants/transactions.js";
import type { StoredValue } from "../../src/quorum/data-types.js";
import type { QuorumInspection } from "../../src/quorum/inspect.js";
import { FakeView } from "./fake-view.js";

const NODES = ["n1", "n2", "n3"];
const counter = (ctx: Record<string, number>, data: Record<string, number>): StoredValue => ({ type: "gcounter", ctx, data });
function node(id: string, values: Record<string, StoredValue>, counter = 0): QuorumInspection {
  return { id, values: new Map(Object.entries(values)), counter, hints: 0, inflight: 0, preference: () => NODES };
}

describe("EqualUpdatesEqualState", () => {
  it("fires when two replicas that saw the same writes hold different states", () => {
    const view = new FakeView(NODES, equalUpdatesEqualState(NODES));
    expect(view.step({ n1: node("n1", { g: counter({ n1: 2 }, { n1: 2 }) }) })).toBeUndefined();
    expect(view.step({ n2: node("n2", { g: counter({ n1: 2 }, { n1: 1 }) }) })).toMatch(/n2 and n1 have seen the same writes to "g"/);
  });

  it("passes replicas that saw different writes, or the same writes with the same state", () => {
    const view = new FakeView(NODES, equalUpdatesEqualState(NODES));
    expect(view.step({ n1: node("n1", { g: counter({ n1: 2 }, { n1: 2 }) }) })).toBeUndefined();
    expect(view.step({ n2: node("n2", { g: counter({ n1: 1 }, { n1: 1 }) }) })).toBeUndefined();
    expect(view.step({ n3: node("n3", { g: counter({ n1: 2 }, { n1: 2 }) }) })).toBeUndefined();
  });
});

describe("DotCounterSurvivesRestart", () => {
  it("fires when a node's dot counter comes back lower after a restart, and passes one that kept it", () => {
    const view = new FakeView(NODES, dotCounterSurvivesRestart(NODES));
    expect(view.step({ n1: node("n1", {}, 7) })).toBeUndefined();
    expect(view.step({ n1: undefined })).toBeUndefined(); // crashed
    expect(view.step({ n1: node("n1", {}, 7) })).toBeUndefined();
    expect(view.step({ n1: node("n1", {}, 8) })).toBeUndefined();
    expect(view.step({ n1: node("n1", {}, 5) })).toMatch(/n1 had used dots up to 8, and now .* its counter is 5/);
  });
});

describe("Atomicity", () => {
  const decided = (node: string, txId: string, commit: boolean) => ({ node, event: "tx_decided", data: { txId, requestId: "r", commit } });

  it("fires when one participant commits a transaction another aborts", () => {
    const view = new FakeView(["p1", "p2"], atomicity());
    expect(view.step({}, [decided("p1", "t1", true)])).toBeUndefined();
    expect(view.step({}, [decided("p2", "t1", false)])).toBe("transaction t1 committed at p1 but aborted at p2");
  });

  it("passes when every participant decides alike", () => {
    const view = new FakeView(["p1", "p2"], atomicity());
    expect(view.step({}, [decided("p1", "t1", true), decided("p1", "t2", false)])).toBeUndefined();
    expect(view.step({}, [decided("p2", "t1", true), decided("p2", "t2", false)])).toBeUndefined();
  });
});
