import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  ConfigError, clusterSizeArbitrary, faultScheduleArbitrary, networkConfigArbitrary, nodeIdsFor, resolveLink, DEFAULT_LINK, validateSchedule,
  type FaultSchedule, type NetworkConfig,
} from "@faultline/core";

const nodes = nodeIdsFor(5);
const options = { faultWindowMs: 2000, maxDown: 2 };

/** Nodes down (crashed or paused) at each instant, by replaying the schedule. */
function maxConcurrentDown(schedule: FaultSchedule): number {
  const down = new Set<string>();
  let most = 0;
  for (const { fault } of schedule) {
    if (fault.kind === "crash" || fault.kind === "pause") down.add(fault.node);
    if (fault.kind === "restart" || fault.kind === "resume") down.delete(fault.node);
    most = Math.max(most, down.size);
  }
  return most;
}

describe("fault schedule arbitrary", () => {
  it("generates valid, sorted schedules inside the window that never take more than maxDown nodes down", () => {
    fc.assert(fc.property(faultScheduleArbitrary(nodes, options), (schedule) => {
      expect(validateSchedule(schedule, nodes)).toEqual(schedule);
      for (const e of schedule) expect(e.atMs >= 0 && e.atMs <= options.faultWindowMs).toBe(true);
      expect(maxConcurrentDown(schedule)).toBeLessThanOrEqual(options.maxDown);
      // every crash gets its restart, every pause its resume, every partition its heal
      const count = (k: string) => schedule.filter((e) => e.fault.kind === k).length;
      expect(count("crash")).toBe(count("restart"));
      expect(count("pause")).toBe(count("resume"));
    }), { numRuns: 200, seed: 42 });
  });

  it("shrinks towards one late, short crash when any crash fails the property", () => {
    const details = fc.check(fc.property(faultScheduleArbitrary(nodes, { ...options, families: ["crash", "loss", "partition"] }), (s) => !s.some((e) => e.fault.kind === "crash")), { seed: 7, numRuns: 200 });
    expect(details.failed).toBe(true);
    const [schedule] = details.counterexample!;
    expect(schedule.map((e) => e.fault.kind)).toEqual(["crash", "restart"]);
    expect(schedule[0]!.atMs).toBe(options.faultWindowMs - 1); // the latest start
    expect(schedule[1]!.atMs - schedule[0]!.atMs).toBeLessThanOrEqual(1); // the shortest duration
  });

  it("shrinks link faults towards milder ones", () => {
    const lossOf = (s: FaultSchedule) => Math.max(0, ...s.map((e) => (e.fault.kind === "link" ? e.fault.link.lossProbability ?? 0 : 0)));
    const details = fc.check(fc.property(faultScheduleArbitrary(nodes, { ...options, families: ["loss"] }), (s) => lossOf(s) < 0.1), { seed: 3, numRuns: 300 });
    expect(details.failed).toBe(true);
    expect(lossOf(details.counterexample![0])).toBe(0.1);
    expect(details.counterexample![0]).toHaveLength(2);
  });

  it("refuses bad options with a ConfigError naming the field", () => {
    expect(() => faultScheduleArbitrary(nodes, { faultWindowMs: 2000, maxDown: 9 })).toThrow(/maxDown/);
    expect(() => faultScheduleArbitrary([], options)).toThrow(ConfigError);
    expect(() => faultScheduleArbitrary(nodes, { ...options, families: ["byzantine"] })).toThrow(/families/);
  });
});

describe("cluster and network arbitraries", () => {
  it("network configs are valid links and shrink towards a calm network", () => {
    fc.assert(fc.property(networkConfigArbitrary(), (net) => {
      expect(() => resolveLink(net.default, { ...DEFAULT_LINK }, "default")).not.toThrow();
    }), { numRuns: 100, seed: 1 });
    const details = fc.check(fc.property(networkConfigArbitrary(), (_net: NetworkConfig) => false), { seed: 1 });
    expect(details.counterexample![0].default).toMatchObject({ lossProbability: 0, duplicateProbability: 0, reorderProbability: 0, latency: { minMs: 1, maxMs: 2 } });
  });

  it("cluster sizes stay in range and shrink to the smallest", () => {
    const details = fc.check(fc.property(clusterSizeArbitrary({ minNodes: 3, maxNodes: 9 }), (n) => n < 3 || n > 9 ? true : false), { seed: 5 });
    expect(details.counterexample![0]).toBe(3);
    expect(() => clusterSizeArbitrary({ minNodes: 4, maxNodes: 2 })).toThrow(ConfigError);
  });
});
