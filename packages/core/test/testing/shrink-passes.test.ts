import { describe, expect, it } from "vitest";
import { defineScenario, shrinkSchedule, type FaultSchedule, type NodeBehavior } from "@faultline/core";

const idle: NodeBehavior = { onStart() {}, onMessage() {}, onTimer() {} };

/** Three crash/restart units; two invariants read how many crashes ran, once the run passes 900 ms. */
const crashes = defineScenario({
  id: "crash-count",
  description: "fails by how many crashes ran",
  build: () => {
    let count = 0;
    const at900 = (view: { nowUs: number; stepEvents: readonly { kind: string }[] }) => {
      for (const e of view.stepEvents) if (e.kind === "node_crashed") count++;
      return view.nowUs >= 900_000;
    };
    return {
      nodes: ["a", "b", "c"], behavior: () => idle, durationMs: 1000,
      invariants: [
        // odd counts fail: removing one unit of three passes, removing two fails again
        { name: "odd", check: (v) => (at900(v) && count % 2 === 1 && count >= 3 ? `odd: ${count}` : undefined) },
        { name: "one", check: (v) => (v.nowUs >= 900_000 && count === 1 ? "one" : undefined) },
      ],
      setup: (sim) => sim.at(950, () => undefined),
    };
  },
});

const schedule: FaultSchedule = ["a", "b", "c"].flatMap((node, i) => [
  { atMs: 100 + i * 100, fault: { kind: "crash" as const, node } },
  { atMs: 150 + i * 100, fault: { kind: "restart" as const, node } },
]);

describe("shrinker passes", () => {
  it("with the default rule, a smaller schedule that trips another invariant is not the same failure", () => {
    const s = shrinkSchedule(crashes, { seed: 1, schedule });
    expect(s.outcome.invariant).toBe("odd");
    expect(s.after.faults).toBe(6);
  });

  it("accept widens what counts as the same failure, so it shrinks further (two units dropped together: the pair pass)", () => {
    const s = shrinkSchedule(crashes, { seed: 1, schedule }, { accept: (o) => o.kind === "safety" });
    expect(s.outcome.invariant).toBe("one");
    expect(s.after.faults).toBe(2);
  });

  it("refuses an accept that is not a function", () => {
    expect(() => shrinkSchedule(crashes, { seed: 1, schedule }, { accept: 1 as never })).toThrow(/shrink.accept/);
  });
});
