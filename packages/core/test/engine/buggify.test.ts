import { describe, expect, it } from "vitest";
import { ConfigError, Simulation, type BuggifyOptions, type NodeContext } from "@faultline/core";
import { behavior, ids } from "./helpers.js";

/**
 * A node that pings a random peer every 5 ms and, at each tick, evaluates `marks` (ignoring the answers unless
 * `obey`), recording its `random()` draws and each mark's answers.
 */
function run(seed: number, opts: { buggify?: BuggifyOptions; marks?: string[]; obey?: boolean; untilMs?: number }) {
  const draws: number[] = [];
  const fired: Record<string, number> = {};
  let evaluations = 0;
  const sim = new Simulation({ seed, buggify: opts.buggify });
  sim.addNodes(ids(3), behavior<string>({
    onStart: (ctx) => ctx.setTimer("tick", 5),
    onTimer: (ctx: NodeContext<string>) => {
      ctx.setTimer("tick", 5);
      let skip = false;
      for (const mark of opts.marks ?? []) {
        evaluations++;
        if (!ctx.buggify(mark)) continue;
        fired[mark] = (fired[mark] ?? 0) + 1;
        skip ||= opts.obey === true;
      }
      if (skip) return;
      const r = ctx.random();
      draws.push(r);
      ctx.send(ctx.peers[Math.floor(r * ctx.peers.length)]!, "ping");
    },
  }));
  sim.run({ untilMs: opts.untilMs ?? 200 });
  return { sim, hash: sim.trace.hashHex(), draws, fired, evaluations };
}

const MARKS = ["m.alpha", "m.beta", "m.gamma", "m.delta", "m.epsilon", "m.zeta"];

describe("buggify off (the default)", () => {
  it("returns false and draws nothing: the trace hash and the node's random stream are those of a run that never asks", () => {
    for (const seed of [1, 2, 3]) {
      const never = run(seed, {});
      const off = run(seed, { marks: MARKS, obey: true });
      const offExplicit = run(seed, { marks: MARKS, obey: true, buggify: { enabled: false, marks: { "m.alpha": true } } });
      expect(off.evaluations).toBeGreaterThan(100);
      expect(off.fired).toEqual({});
      expect(offExplicit.fired).toEqual({});
      expect(off.hash).toBe(never.hash);
      expect(offExplicit.hash).toBe(never.hash);
      expect(off.draws).toEqual(never.draws);
      expect(off.sim.buggifyRecord()).toEqual({ enabled: false, activationProbability: 0.25, fireProbability: 0.25, marks: {} });
    }
  });
});

describe("buggify on", () => {
  it("never shifts a node's own random stream, the network's or the faults': a run that ignores the answers keeps its hash", () => {
    const on: BuggifyOptions = { enabled: true, activationProbability: 1, fireProbability: 0.5 };
    const never = run(7, {});
    const asking = run(7, { marks: MARKS, buggify: on });
    expect(Object.values(asking.fired).reduce((a, b) => a + b, 0)).toBeGreaterThan(100); // coins were drawn and came up
    expect(asking.draws).toEqual(never.draws);
    expect(asking.hash).toBe(never.hash);
  });

  it("takes the marked paths when the answers are obeyed: the run changes", () => {
    const on: BuggifyOptions = { enabled: true, activationProbability: 1, fireProbability: 0.5 };
    expect(run(7, { marks: MARKS, buggify: on, obey: true }).hash).not.toBe(run(7, {}).hash);
  });

  it("enables marks per seed from (seed, name) alone: the same subset whatever order the marks are first evaluated in", () => {
    const on: BuggifyOptions = { enabled: true };
    const subsets = new Set<string>();
    let enabled = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const forward = run(seed, { marks: MARKS, buggify: on, untilMs: 10 }).sim.buggifyRecord().marks;
      const backward = run(seed, { marks: [...MARKS].reverse(), buggify: on, untilMs: 10 }).sim.buggifyRecord().marks;
      const again = run(seed, { marks: MARKS, buggify: on, untilMs: 10 }).sim.buggifyRecord().marks;
      expect(Object.keys(forward)).toEqual([...MARKS].sort()); // recorded sorted by name, every mark evaluated
      expect(backward).toEqual(forward);
      expect(again).toEqual(forward);
      subsets.add(JSON.stringify(forward));
      enabled += Object.values(forward).filter(Boolean).length;
    }
    expect(subsets.size).toBeGreaterThan(20); // seeds differ in what they exercise
    // 1200 draws at the default activation probability 0.25: sd 0.0125, so 4 sd either side
    expect(enabled / (200 * MARKS.length)).toBeGreaterThan(0.2);
    expect(enabled / (200 * MARKS.length)).toBeLessThan(0.3);
  });

  it("fires an enabled mark at about fireProbability of its evaluations", () => {
    for (const fireProbability of [0.1, 0.3]) {
      const r = run(3, { marks: ["m.alpha"], buggify: { enabled: true, fireProbability, marks: { "m.alpha": true } }, untilMs: 20_000 });
      const rate = (r.fired["m.alpha"] ?? 0) / r.evaluations;
      expect(r.evaluations).toBeGreaterThan(10_000);
      // sd of the rate is at most 0.005 here: 4 sd either side
      expect(Math.abs(rate - fireProbability)).toBeLessThan(0.02);
    }
  });

  it("forced marks win over the seed's draw, and are recorded as forced", () => {
    const never = run(5, { marks: ["m.alpha", "m.beta"], buggify: { enabled: true, activationProbability: 0, fireProbability: 1, marks: { "m.alpha": true } } });
    expect(never.fired).toEqual({ "m.alpha": never.evaluations / 2 });
    const always = run(5, { marks: ["m.alpha", "m.beta"], buggify: { enabled: true, activationProbability: 1, fireProbability: 1, marks: { "m.beta": false } } });
    expect(always.fired).toEqual({ "m.alpha": always.evaluations / 2 });
    expect(always.sim.buggifyRecord()).toEqual({
      enabled: true, activationProbability: 1, fireProbability: 1, forced: { "m.beta": false }, marks: { "m.alpha": true, "m.beta": false },
    });
  });

  it("a mark no node evaluates is not recorded", () => {
    const r = run(5, { marks: ["m.alpha"], buggify: { enabled: true, marks: { "m.unused": true } } });
    expect(Object.keys(r.sim.buggifyRecord().marks)).toEqual(["m.alpha"]);
  });
});

describe("buggify input", () => {
  it("refuses bad options with a ConfigError naming the field and the rule", () => {
    const make = (buggify: unknown) => () => new Simulation({ seed: 1, buggify: buggify as BuggifyOptions });
    expect(make({})).toThrow(new ConfigError("buggify.enabled", "must be true or false", undefined));
    expect(make({ enabled: true, fireProbability: 1.5 })).toThrow("buggify.fireProbability: must be a probability in [0,1] (got 1.5)");
    expect(make({ enabled: true, activationProbability: Number.NaN })).toThrow("buggify.activationProbability: must be a probability in [0,1] (got NaN)");
    expect(make({ enabled: true, marks: { "m.alpha": 1 } })).toThrow("buggify.marks.m.alpha: must be true (forced on) or false (forced off) (got 1)");
    expect(make({ enabled: true, marks: ["m.alpha"] })).toThrow(/^buggify\.marks: must be an object/);
    expect(make({ enabled: true, fire: 0.5 })).toThrow(/^buggify\.fire: is not a buggify option/);
    expect(make("on")).toThrow(/^buggify: must be \{ enabled/);
  });

  it("a mark without a name ends the run as a crash naming the handler and the rule", () => {
    const sim = new Simulation({ seed: 1, buggify: { enabled: true } });
    sim.addNode("n1", behavior({ onStart: (ctx) => void ctx.buggify("") }));
    const outcome = sim.run({ untilMs: 10 });
    expect(outcome.kind).toBe("crash");
    expect(outcome.message).toContain("handler onStart of n1 threw: ConfigError: buggify(name): must be a non-empty string");
  });
});
