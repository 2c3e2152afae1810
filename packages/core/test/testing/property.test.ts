import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { assertScenario, counterSwarm, replay, scenarioProperty, ScenarioPropertyError } from "@faultline/core";

function catchFailure(fn: () => void): ScenarioPropertyError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ScenarioPropertyError) return error;
    throw error;
  }
  throw new Error("expected the property to fail");
}

describe("scenario properties with fast-check", () => {
  it("the correct counter protocol holds for 25 generated (seed, schedule) inputs", () => {
    assertScenario(counterSwarm, { numRuns: 25, seed: 11 });
  });

  it("a planted durability bug fails with the seed, the fast-check path, the shrunk schedule and replay commands", () => {
    const error = catchFailure(() => assertScenario(counterSwarm, { options: { bugs: ["ackBeforeSync"] }, numRuns: 60, seed: 11, module: "m.ts", saveReport: () => "reports/x.json" }));
    expect(error.message).toMatch(/failed: safety \(acknowledged-increments-survive-crashes\)/);
    expect(error.message).toMatch(/fast-check seed: 11, path: "[\d:]+"/);
    expect(error.message).toMatch(/shrunk schedule \(2 faults\)/);
    expect(error.message).toContain('npx faultline replay "reports/x.json"');
    expect(error.report.schedule.map((e) => e.fault.kind)).toEqual(["crash", "restart"]);
    expect(error.report.module).toBe("m.ts");
    // the report replays to the same trace hash
    expect(replay(error.report, counterSwarm).reproduced).toBe(true);
  });

  it("the reported fast-check seed and path replay the same counterexample directly", () => {
    const first = catchFailure(() => assertScenario(counterSwarm, { options: { bugs: ["crashOnDuplicate"] }, numRuns: 60, seed: 5 }));
    const again = catchFailure(() => assertScenario(counterSwarm, { options: { bugs: ["crashOnDuplicate"] }, seed: first.fastCheck.seed, path: first.fastCheck.path }));
    expect(again.report.failure.traceHash).toBe(first.report.failure.traceHash);
    expect(again.report.seed).toBe(first.report.seed);
  });

  it("scenarioProperty composes with fc.assert and allowed outcome kinds", () => {
    fc.assert(scenarioProperty(counterSwarm, { options: { bugs: ["noRetry"] }, allow: ["ok", "liveness"] }), { numRuns: 10, seed: 2 });
    expect(() => fc.assert(scenarioProperty(counterSwarm, { options: { bugs: ["noRetry"] } }), { numRuns: 40, seed: 2 })).toThrow(/Property failed/);
  });
});

describe("scenario properties over cluster sizes", () => {
  it("the correct protocol holds on clusters of 3 to 7 nodes", () => {
    assertScenario(counterSwarm, { clusterSizes: { minNodes: 3, maxNodes: 7 }, numRuns: 15, seed: 4 });
  });

  it("a failure shrinks towards the smallest cluster, and its report replays with that size", () => {
    const error = catchFailure(() => assertScenario(counterSwarm, { options: { bugs: ["ackBeforeSync"] }, clusterSizes: { minNodes: 3, maxNodes: 7 }, numRuns: 60, seed: 4 }));
    expect(error.report.options.nodes).toBe(3);
    expect(new Set(error.report.schedule.flatMap((e) => ("node" in e.fault ? [e.fault.node] : []))).size).toBeLessThanOrEqual(3);
    expect(replay(error.report, counterSwarm).reproduced).toBe(true);
  });
});
