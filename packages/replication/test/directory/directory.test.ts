import { History, runScenario } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { checkRoutingPreserved, planDirectory } from "../../src/directory/replicated-directory.js";
import { scenarios } from "../../src/scenarios/index.js";

describe("directory partitioning on Raft", () => {
  it("a membership change rewrites only the buckets it moves (a compare-and-set per move)", () => {
    const plan = planDirectory(["s1", "s2"], 16, [{ add: "s3" }, { remove: "s1" }]);
    expect(plan.ops.slice(0, 16).every((op) => op.f === "put")).toBe(true);
    expect(plan.changes.map((c) => c.moves.length)).toEqual([5, 5]); // 16 / 3 to the newcomer; s1's five to the others
    expect(plan.ops.slice(16).every((op) => op.f === "cas")).toBe(true);
    expect(plan.ops).toHaveLength(16 + 5 + 5);
  });

  it("losing directory nodes during the rebalancing (n1 for a while, then n2 until the end of the faults) loses no routing", () => {
    const r = runScenario(scenarios["directory-partitioning"]!, { seed: 1, schedule: [{ atMs: 300, fault: { kind: "crash", node: "n1" } }, { atMs: 1500, fault: { kind: "crash", node: "n2" } }, { atMs: 1600, fault: { kind: "restart", node: "n1" } }] });
    expect(r.outcome.kind, r.outcome.message).toBe("ok");
    expect(r.verdicts.map((v) => [v.checker, v.kind])).toEqual([["linearizability", "ok"], ["RoutingPreserved", "ok"]]);
    expect(r.simulation.history.operations().filter((o) => o.process === "final-reader" && o.type === "ok")).toHaveLength(16);
  });

  it("RoutingPreserved fires when a bucket reads back other than its last acknowledged assignment, and passes a read concurrent with a move", () => {
    const h = new History();
    let now = 0;
    h.clock = () => (now += 1000);
    h.ok(h.invoke("rebalancer", "put", "s1", "bucket:0"), "s1");
    h.ok(h.invoke("rebalancer", "cas", ["s1", "s2"], "bucket:0"), true);
    h.ok(h.invoke("final-reader", "get", null, "bucket:0"), "s1");
    expect(checkRoutingPreserved(h, "final-reader")).toMatchObject({ kind: "violation", checker: "RoutingPreserved" });
    const concurrent = new History();
    concurrent.clock = () => (now += 1000);
    concurrent.ok(concurrent.invoke("rebalancer", "put", "s1", "bucket:0"), "s1");
    const move = concurrent.invoke("rebalancer", "cas", ["s1", "s2"], "bucket:0");
    concurrent.ok(concurrent.invoke("final-reader", "get", null, "bucket:0"), "s1");
    concurrent.ok(move, true);
    expect(checkRoutingPreserved(concurrent, "final-reader").kind).toBe("ok");
  });
});
