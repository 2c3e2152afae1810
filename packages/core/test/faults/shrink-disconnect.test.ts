import { describe, expect, it } from "vitest";
import { defineScenario, shrinkSchedule, type FaultSchedule, type SimulationView } from "@faultline/core";
import { behavior, ids } from "../engine/helpers.js";

/** Every node broadcasts every 5 ms; the planted check fails on the first message to n1 cut by the network. */
const n1NeverCut = defineScenario({
  id: "n1-never-cut",
  description: "fails as soon as a message to n1 is dropped as partitioned",
  build: () => ({
    nodes: ids(3),
    behavior: behavior({ onStart: (ctx) => ctx.setTimer("t", 5), onTimer: (ctx) => { ctx.broadcast("hi"); ctx.setTimer("t", 5); } }),
    network: { default: { latency: { kind: "constant", ms: 1 } } },
    durationMs: 200,
    invariants: [{
      name: "n1-never-cut",
      check: (view: SimulationView) => (view.stepEvents.some((e) => e.kind === "message_dropped" && e.to === "n1" && e.data === "partitioned") ? "a message to n1 was cut" : undefined),
    }],
  }),
});

describe("shrinking schedules with disconnects", () => {
  it("a disconnect and its connect shrink as one unit, and the unrelated faults go", () => {
    const schedule: FaultSchedule = [
      { atMs: 5, fault: { kind: "crash", node: "n3" } },
      { atMs: 8, fault: { kind: "link", from: "n2", link: { latency: { kind: "constant", ms: 3 } } } },
      { atMs: 20, fault: { kind: "disconnect", node: "n1" } },
      { atMs: 30, fault: { kind: "disconnect", node: "n2" } },
      { atMs: 60, fault: { kind: "restart", node: "n3" } },
      { atMs: 80, fault: { kind: "connect", node: "n2" } },
      { atMs: 100, fault: { kind: "connect", node: "n1" } },
      { atMs: 120, fault: { kind: "restore-links" } },
    ];
    const s = shrinkSchedule(n1NeverCut, { seed: 1, schedule });
    expect(s.outcome.kind).toBe("safety");
    expect(s.schedule.map((e) => e.fault.kind)).toEqual(["disconnect", "connect"]);
    const [start, end] = s.schedule.map((e) => e.fault) as Array<{ node: string }>;
    expect(end!.node).toBe(start!.node); // a disconnect of n1 or of n2 (which cuts n2 -> n1) fails the check
    expect(s.schedule[1]!.atMs - s.schedule[0]!.atMs).toBeLessThan(80); // and the unit was shortened
  });
});
