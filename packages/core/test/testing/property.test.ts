import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assertScenario, counterSwarm, generateSchedule, RandomStream, replay, scenarioProperty, ScenarioPropertyError, type SwarmOptions } from "@faultline/core";
import { runCli, writeReportFile } from "@faultline/core/node";

const examples = fileURLToPath(new URL("../../src/testing/example-scenarios.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "faultline-property-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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
    expect(error.message).toMatch(/shrunk schedule \(2 faults[;)]/);
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

describe("a property's counterexample finishes with the schedule shrinker", () => {
  // Schedules drawn by the scenario's own swarm generator: fast-check can shrink only the generator's seed,
  // which redraws the whole schedule, so its counterexample keeps dozens of faults.
  const plan = counterSwarm.build(0, { nodes: 5, maxSteps: 2_000_000, bugs: [] });
  const swarm = (plan.faults as { swarm: SwarmOptions }).swarm;
  const swarmSchedules = fc.integer({ min: 1, max: 100_000 }).map((s) => generateSchedule(new RandomStream(s, "faults"), plan.nodes, swarm).schedule);
  const props = { options: { bugs: ["ackBeforeSync"] }, schedule: swarmSchedules, numRuns: 100, seed: 2, module: examples };

  /** `faultline shrink <report> --json`, in process. */
  async function cliShrink(report: string): Promise<{ after: { faults: number } }> {
    let out = "";
    const code = await runCli(["shrink", report, "--json", "--out", join(dir, "cli.shrunk.json")], { out: (t) => void (out += t), err: () => undefined, isTTY: false, cwd: dir });
    expect(code).toBe(1);
    return JSON.parse(out);
  }

  it("the reported schedule is as small as `faultline shrink` makes the same failure", async () => {
    let saved = "";
    const error = catchFailure(() => assertScenario(counterSwarm, { ...props, saveReport: (r) => (saved = writeReportFile(r, dir)) }));
    const cli = await cliShrink(saved);
    expect(error.report.schedule.length).toBeLessThanOrEqual(cli.after.faults);
    expect(error.report.schedule.length).toBe(2);
    expect(error.message).toMatch(/shrunk schedule \(2 faults; fast-check's counterexample had \d+, the schedule shrinker took \d+ runs\)/);
    expect(replay(error.report, counterSwarm).reproduced).toBe(true);
  });

  it("the fast-check seed and path replay the same finished counterexample", () => {
    const first = catchFailure(() => assertScenario(counterSwarm, props));
    const again = catchFailure(() => assertScenario(counterSwarm, { ...props, seed: first.fastCheck.seed, path: first.fastCheck.path }));
    expect(again.report.schedule).toEqual(first.report.schedule);
    expect(again.report.failure.traceHash).toBe(first.report.failure.traceHash);
  });

  it("scheduleShrinkRuns: 0 keeps fast-check's own counterexample", () => {
    const error = catchFailure(() => assertScenario(counterSwarm, { ...props, scheduleShrinkRuns: 0 }));
    expect(error.report.schedule.length).toBeGreaterThan(2);
    expect(error.message).toMatch(/shrunk schedule \(\d+ faults\)/);
    expect(() => assertScenario(counterSwarm, { ...props, scheduleShrinkRuns: -1 })).toThrow(/scheduleShrinkRuns: must be an integer from 0 to 100000/);
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
