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

  it("draws disconnects with their connects, one at a time per node (several nodes at once), not counted as down", () => {
    let most = 0;
    fc.assert(fc.property(faultScheduleArbitrary(nodes, { ...options, maxDown: 0, families: ["disconnect"], maxUnits: 20 }), (schedule) => {
      expect(validateSchedule(schedule, nodes)).toEqual(schedule);
      const open = new Set<string>();
      for (const { fault } of schedule) {
        if (fault.kind === "disconnect") {
          expect(open.has(fault.node)).toBe(false);
          open.add(fault.node);
        } else {
          expect(fault.kind).toBe("connect");
          if (fault.kind === "connect") expect(open.delete(fault.node)).toBe(true);
        }
        most = Math.max(most, open.size);
      }
      expect(open.size).toBe(0);
    }), { numRuns: 200, seed: 11 });
    expect(most).toBeGreaterThanOrEqual(2);
  });

  it("the default families include disconnect", () => {
    const kinds = new Set<string>();
    fc.assert(fc.property(faultScheduleArbitrary(nodes, options), (s) => { for (const e of s) kinds.add(e.fault.kind); }), { numRuns: 100, seed: 4 });
    expect(kinds.has("disconnect") && kinds.has("connect")).toBe(true);
  });

  it("shrinks towards one late, short disconnect with its connect when any disconnect fails the property", () => {
    const cut = (s: FaultSchedule) => s.some((e) => e.fault.kind === "disconnect");
    const details = fc.check(fc.property(faultScheduleArbitrary(nodes, { ...options, families: ["disconnect", "crash", "loss", "isolate"] }), (s) => !cut(s)), { seed: 9, numRuns: 200 });
    expect(details.failed).toBe(true);
    const [schedule] = details.counterexample!;
    expect(schedule.map((e) => e.fault.kind)).toEqual(["disconnect", "connect"]);
    expect(schedule[0]!.atMs).toBe(options.faultWindowMs - 1);
    expect(schedule[1]!.atMs - schedule[0]!.atMs).toBeLessThanOrEqual(1);
  });

  it("linkScope and isolateClients mark every drawn link and isolate fault; by default neither field appears", () => {
    const families = ["isolate", "loss", "latency", "duplicate"] as const;
    fc.assert(fc.property(faultScheduleArbitrary(nodes, { ...options, families, linkScope: "cluster", isolateClients: false }), (s) => {
      for (const { fault } of s) {
        if (fault.kind === "link") expect(fault.scope).toBe("cluster");
        if (fault.kind === "isolate") expect(fault.clients).toBe(false);
      }
      expect(validateSchedule(s, nodes)).toEqual(s);
    }), { numRuns: 100, seed: 2 });
    fc.assert(fc.property(faultScheduleArbitrary(nodes, { ...options, families }), (s) => {
      for (const { fault } of s) expect("scope" in fault || "clients" in fault).toBe(false);
    }), { numRuns: 100, seed: 2 });
  });

  it("refuses bad options with a ConfigError naming the field", () => {
    expect(() => faultScheduleArbitrary(nodes, { faultWindowMs: 2000, maxDown: 9 })).toThrow(/maxDown/);
    expect(() => faultScheduleArbitrary([], options)).toThrow(ConfigError);
    expect(() => faultScheduleArbitrary(nodes, { ...options, families: ["byzantine"] })).toThrow(/families/);
    expect(() => faultScheduleArbitrary(nodes, { ...options, linkScope: "servers" as never })).toThrow(/faultScheduleArbitrary.linkScope/);
    expect(() => faultScheduleArbitrary(nodes, { ...options, isolateClients: 1 as never })).toThrow(/faultScheduleArbitrary.isolateClients/);
    expect(() => faultScheduleArbitrary(["solo"], { ...options, maxDown: 1, families: ["disconnect"] })).toThrow(/families/); // nothing to cut in a one-node cluster
  });
});

describe("cluster and network arbitraries", () => {
  it("network configs are valid links and shrink towards a calm network", () => {
    fc.assert(fc.property(networkConfigArbitrary(), (net) => {
      expect(() => resolveLink(net.default, { ...DEFAULT_LINK }, "default")).not.toThrow();
    }), { numRuns: 100, seed: 1 });
    const details = fc.check(fc.property(networkConfigArbitrary(), (_net: NetworkConfig) => false), { seed: 1 });
    expect(details.counterexample![0].default).toMatchObject({
      lossProbability: 0, duplicateProbability: 0, reorderProbability: 0, reorderDelayMsMin: 0, reorderDelayMsMax: 0, latency: { minMs: 1, maxMs: 2 },
    });
  });

  it("network configs draw reordering delay bounds with min <= max <= the cap, and a failure that needs a minimum shrinks to the smallest", () => {
    let sawMinimum = false;
    fc.assert(fc.property(networkConfigArbitrary({ reorderDelayMsMax: 300 }), (net) => {
      const { reorderDelayMsMin: min, reorderDelayMsMax: max } = net.default!;
      expect(min! <= max! && max! <= 300).toBe(true);
      sawMinimum ||= min! > 0;
    }), { numRuns: 100, seed: 6 });
    expect(sawMinimum).toBe(true);
    const details = fc.check(fc.property(networkConfigArbitrary({ reorderDelayMsMax: 300 }), (net) => net.default!.reorderDelayMsMin! < 100), { seed: 6 });
    expect(details.counterexample![0].default).toMatchObject({ reorderDelayMsMin: 100, reorderDelayMsMax: 100 });
    expect(() => networkConfigArbitrary({ reorderDelayMsMax: -1 })).toThrow(/reorderDelayMsMax/);
  });

  it("cluster sizes stay in range and shrink to the smallest", () => {
    const details = fc.check(fc.property(clusterSizeArbitrary({ minNodes: 3, maxNodes: 9 }), (n) => n < 3 || n > 9 ? true : false), { seed: 5 });
    expect(details.counterexample![0]).toBe(3);
    expect(() => clusterSizeArbitrary({ minNodes: 4, maxNodes: 2 })).toThrow(ConfigError);
  });
});
