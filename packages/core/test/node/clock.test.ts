import { describe, expect, it } from "vitest";
import { Simulation, type Fault, type NodeContext } from "@faultline/core";
import { behavior } from "../engine/helpers.js";

/** One node whose context we keep, with clock faults applied at the given true times. */
function clocked(faults: Array<[number, Fault]>): { sim: Simulation; ctx: () => NodeContext } {
  let current: NodeContext | undefined;
  const sim = new Simulation({ seed: 1 });
  sim.addNode("n1", behavior({ onStart: (ctx) => { current = ctx; } }));
  sim.schedule(faults.map(([atMs, fault]) => ({ atMs, fault })));
  return { sim, ctx: () => current! };
}

/** The local reading at true time `ms`. */
function readAt(sim: Simulation, ctx: () => NodeContext, ms: number): number {
  let reading = Number.NaN;
  sim.at(ms, () => { reading = ctx().now(); });
  sim.run({ untilMs: ms });
  return reading;
}

describe("local clocks", () => {
  it("without faults a node's clock is true time in milliseconds", () => {
    const { sim, ctx } = clocked([]);
    expect(readAt(sim, ctx, 12.345)).toBe(12.345);
  });

  it("skew steps the clock by skewMs; a later skew replaces it (it is an offset, not an increment)", () => {
    const { sim, ctx } = clocked([[10, { kind: "clock", node: "n1", skewMs: 100 }], [30, { kind: "clock", node: "n1", skewMs: -5 }]]);
    expect(readAt(sim, ctx, 5)).toBe(5);
    expect(readAt(sim, ctx, 20)).toBe(120);
    expect(readAt(sim, ctx, 40)).toBe(35); // a negative step moves the clock backwards, as NTP may
  });

  it("drift makes the clock run fast or slow by driftPpm parts per million", () => {
    const fast = clocked([[0, { kind: "clock", node: "n1", driftPpm: 100_000 }]]);
    expect(readAt(fast.sim, fast.ctx, 100)).toBeCloseTo(110, 9);
    const slow = clocked([[0, { kind: "clock", node: "n1", driftPpm: -50_000 }]]);
    expect(readAt(slow.sim, slow.ctx, 200)).toBeCloseTo(190, 9);
  });

  it("a drift change keeps the clock continuous; drift and skew combine", () => {
    const { sim, ctx } = clocked([
      [0, { kind: "clock", node: "n1", driftPpm: 100_000 }],
      [100, { kind: "clock", node: "n1", driftPpm: 0 }],
      [150, { kind: "clock", node: "n1", skewMs: 1000 }],
    ]);
    expect(readAt(sim, ctx, 100)).toBeCloseTo(110, 9);
    expect(readAt(sim, ctx, 140)).toBeCloseTo(150, 9);
    expect(readAt(sim, ctx, 200)).toBeCloseTo(1210, 9);
  });

  it("timers run on the local clock: with drift the true delay is delayMs / (1 + drift)", () => {
    const firedAt = (driftPpm: number, skewMs: number, delayMs: number) => {
      let at = -1;
      const sim = new Simulation({ seed: 1 });
      sim.addNode("n1", behavior({ onStart: (ctx) => ctx.setTimer("t", delayMs), onTimer: () => { at = sim.nowUs; } }));
      sim.inject({ kind: "clock", node: "n1", skewMs, driftPpm }); // before the node boots
      sim.run();
      return at;
    };
    expect(firedAt(0, 0, 100)).toBe(100_000);
    expect(firedAt(100_000, 0, 110)).toBe(100_000); // fast clock: 110 local ms pass in 100 true ms
    expect(firedAt(-100_000, 0, 90)).toBe(100_000); // slow clock: 90 local ms take 100 true ms
    expect(firedAt(0, 5000, 100)).toBe(100_000); // skew shifts readings, not durations
  });

  it("a pending timer keeps the true deadline it was armed with when the drift changes", () => {
    let at = -1;
    const sim = new Simulation({ seed: 1 });
    sim.addNode("n1", behavior({ onStart: (ctx) => ctx.setTimer("t", 100), onTimer: () => { at = sim.nowUs; } }));
    sim.schedule([{ atMs: 50, fault: { kind: "clock", node: "n1", driftPpm: 100_000 } }]);
    sim.run();
    expect(at).toBe(100_000);
  });

  it("a timer's local duration is what the node observes between arming and firing", () => {
    let armed = 0;
    let fired = 0;
    const sim = new Simulation({ seed: 1 });
    sim.addNode("n1", behavior({
      onStart: (ctx) => { armed = ctx.now(); ctx.setTimer("t", 250); },
      onTimer: (ctx) => { fired = ctx.now(); },
    }));
    sim.inject({ kind: "clock", node: "n1", skewMs: 42, driftPpm: 37_000 });
    sim.run();
    expect(fired - armed).toBeCloseTo(250, 2); // within the microsecond rounding of the true delay
  });

  it("the clock is hardware: its skew and drift survive a crash and restart", () => {
    const { sim, ctx } = clocked([
      [0, { kind: "clock", node: "n1", skewMs: 500 }],
      [10, { kind: "crash", node: "n1" }],
      [20, { kind: "restart", node: "n1" }],
    ]);
    expect(readAt(sim, ctx, 30)).toBe(530);
  });

  it("clock faults are validated: finite skew, drift within ±100,000 ppm", () => {
    const sim = new Simulation({ seed: 1 });
    sim.addNode("n1", behavior({}));
    expect(() => sim.schedule([{ atMs: 0, fault: { kind: "clock", node: "n1", driftPpm: 200_000 } }])).toThrow(/schedule\[0\].fault.driftPpm/);
    expect(() => sim.schedule([{ atMs: 0, fault: { kind: "clock", node: "n1", skewMs: Infinity } }])).toThrow(/schedule\[0\].fault.skewMs/);
  });
});
