import { describe, expect, it } from "vitest";
import { Network, RandomStream, sampleLatencyUs, type LatencyDistribution, type NetworkConfig } from "@faultline/core";

const MESSAGES = 100_000;

/** Routes `n` messages a -> b through a standalone network, landing each at once (capacity never binds). */
function routeMany(config: NetworkConfig, n = MESSAGES, seed: string | number = "stats") {
  const net = new Network(config, new RandomStream(seed, "network"));
  let lost = 0;
  let duplicated = 0;
  const delaysUs: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!net.route("a", "b", 0, 1)) {
      expect(net.dropReason).toBe("lost");
      lost++;
      continue;
    }
    delaysUs.push(net.delayUs);
    if (net.copies === 2) {
      duplicated++;
      delaysUs.push(net.duplicateDelayUs);
    }
    for (let c = 0; c < net.copies; c++) net.landed(0, 1);
  }
  expect(net.inFlight(0, 1)).toBe(0);
  return { lost, duplicated, delaysUs };
}

/** |observed - n p| within 5 binomial standard deviations. */
function expectBinomial(observed: number, n: number, p: number): void {
  const sigma = Math.sqrt(n * p * (1 - p));
  expect(Math.abs(observed - n * p)).toBeLessThanOrEqual(5 * sigma);
}

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

function stddev(xs: readonly number[]): number {
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return Math.sqrt(s / (xs.length - 1));
}

describe("network statistics over 100k messages", () => {
  for (const p of [0.01, 0.1, 0.5]) {
    it(`observed loss is within 5 sigma of the configured ${p}`, () => {
      const { lost } = routeMany({ default: { lossProbability: p, latency: { kind: "constant", ms: 1 } } });
      expectBinomial(lost, MESSAGES, p);
    });
  }

  it("observed duplication is within 5 sigma of the configured rate (among delivered messages)", () => {
    const { lost, duplicated } = routeMany({ default: { lossProbability: 0.2, duplicateProbability: 0.05, latency: { kind: "constant", ms: 1 } } });
    expectBinomial(lost, MESSAGES, 0.2);
    expectBinomial(duplicated, MESSAGES - lost, 0.05);
  });

  it("loss 0 and 1 are exact", () => {
    expect(routeMany({ default: { lossProbability: 0 } }, 10_000).lost).toBe(0);
    expect(routeMany({ default: { lossProbability: 1 } }, 10_000).lost).toBe(10_000);
    expect(routeMany({ default: { duplicateProbability: 1 } }, 10_000).duplicated).toBe(10_000);
  });

  it("reordering adds an extra delay of at most reorderDelayMsMax to the configured share of messages", () => {
    const { delaysUs } = routeMany({ default: { latency: { kind: "constant", ms: 2 }, reorderProbability: 0.3, reorderDelayMsMax: 20 } });
    const delayed = delaysUs.filter((d) => d > 2000);
    expect(Math.min(...delaysUs)).toBe(2000);
    expect(Math.max(...delaysUs)).toBeLessThanOrEqual(22_000);
    expectBinomial(delayed.length, MESSAGES, 0.3 * (1 - 1 / 20_000)); // an extra delay that rounds to 0 is invisible
    expect(mean(delayed)).toBeCloseTo(12_000, -3);
  });

  it("with reorderDelayMsMin every reordered message is delayed at least the minimum beyond its latency, uniformly up to the maximum", () => {
    const { delaysUs } = routeMany({ default: { latency: { kind: "constant", ms: 2 }, reorderProbability: 0.3, reorderDelayMsMin: 200, reorderDelayMsMax: 2200 } });
    const delayed = delaysUs.filter((d) => d > 2000);
    expect(Math.min(...delaysUs)).toBe(2000); // the messages not reordered
    expect(Math.min(...delayed)).toBeGreaterThanOrEqual(202_000); // nothing lands in (latency, latency + min)
    expect(Math.max(...delayed)).toBeLessThanOrEqual(2_202_000);
    expectBinomial(delayed.length, MESSAGES, 0.3);
    // uniform over [min, max]: mean at the midpoint, within 5 standard errors
    expect(Math.abs(mean(delayed) - 1_202_000)).toBeLessThan(5 * (2_000_000 / Math.sqrt(12)) / Math.sqrt(delayed.length));
  });

  it("reorderDelayMsMin equal to the maximum gives every reordered message exactly that extra delay", () => {
    const { delaysUs } = routeMany({ default: { latency: { kind: "constant", ms: 2 }, reorderProbability: 0.5, reorderDelayMsMin: 30, reorderDelayMsMax: 30 } }, 10_000);
    expect(new Set(delaysUs)).toEqual(new Set([2000, 32_000]));
  });

  it("reorderDelayMsMin 0 draws exactly what the network drew before the option existed (same delays, same stream)", () => {
    const config = { latency: { kind: "uniform" as const, minMs: 1, maxMs: 9 }, reorderProbability: 0.4, reorderDelayMsMax: 37 };
    const implicit = routeMany({ default: config }, 10_000, "same");
    const explicit = routeMany({ default: { ...config, reorderDelayMsMin: 0 } }, 10_000, "same");
    expect(explicit.delaysUs).toEqual(implicit.delaysUs);
    // the old formula, replayed on a copy of the stream: latency, then float * max
    const rng = new RandomStream("same", "network");
    const expected = Array.from({ length: 10_000 }, () => {
      const us = sampleLatencyUs(config.latency, rng);
      return rng.chance(config.reorderProbability) ? us + Math.round(rng.float() * config.reorderDelayMsMax * 1000) : us;
    });
    expect(implicit.delaysUs).toEqual(expected);
  });

  it("a link fault that leaves the minimum above the link's maximum delays reordered messages by exactly the minimum", () => {
    const net = new Network({ default: { latency: { kind: "constant", ms: 1 }, reorderProbability: 1, reorderDelayMsMax: 20 } }, new RandomStream(1, "network"));
    net.degrade(undefined, undefined, { reorderDelayMsMin: 50 });
    for (let i = 0; i < 100; i++) {
      expect(net.route("a", "b", 0, 1)).toBe(true);
      expect(net.delayUs).toBe(51_000);
      net.landed(0, 1);
    }
  });
});

describe("latency distributions", () => {
  const samples = (d: LatencyDistribution, n = MESSAGES) => {
    const rng = new RandomStream("latency", d.kind);
    return Array.from({ length: n }, () => sampleLatencyUs(d, rng) / 1000);
  };

  it("constant: every sample is exactly the constant, in whole microseconds", () => {
    expect(new Set(samples({ kind: "constant", ms: 3.0004 }, 100))).toEqual(new Set([3]));
  });

  it("uniform: within [minMs, maxMs], mean at the midpoint", () => {
    const xs = samples({ kind: "uniform", minMs: 2, maxMs: 6 });
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...xs)).toBeLessThanOrEqual(6);
    expect(Math.abs(mean(xs) - 4)).toBeLessThan(5 * (4 / Math.sqrt(12)) / Math.sqrt(MESSAGES));
  });

  it("normal: mean and standard deviation as configured, never negative, clamped to maxMs", () => {
    const xs = samples({ kind: "normal", meanMs: 10, stddevMs: 2 });
    expect(Math.abs(mean(xs) - 10)).toBeLessThan(5 * 2 / Math.sqrt(MESSAGES));
    expect(stddev(xs)).toBeCloseTo(2, 1);
    const clamped = samples({ kind: "normal", meanMs: 1, stddevMs: 5, maxMs: 4 }, 10_000);
    expect(Math.min(...clamped)).toBe(0);
    expect(Math.max(...clamped)).toBe(4);
  });

  it("exponential: mean as configured, non-negative, clamped to maxMs", () => {
    const xs = samples({ kind: "exponential", meanMs: 5 });
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.abs(mean(xs) - 5)).toBeLessThan(5 * 5 / Math.sqrt(MESSAGES));
    expect(Math.max(...samples({ kind: "exponential", meanMs: 5, maxMs: 8 }, 10_000))).toBe(8);
  });

  it("pareto: never below the scale, mean shape*scale/(shape-1), clamped to maxMs", () => {
    const xs = samples({ kind: "pareto", scaleMs: 1, shape: 3 });
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(1);
    expect(mean(xs)).toBeGreaterThan(1.45);
    expect(mean(xs)).toBeLessThan(1.55);
    expect(Math.max(...samples({ kind: "pareto", scaleMs: 1, shape: 0.5, maxMs: 100 }, 10_000))).toBe(100);
  });

  it("heavy tails without maxMs are still bounded (exponential 50x mean, pareto 1000x scale)", () => {
    expect(Math.max(...samples({ kind: "pareto", scaleMs: 1, shape: 0.2 }, 10_000))).toBeLessThanOrEqual(1000);
    expect(Math.max(...samples({ kind: "exponential", meanMs: 1 }, 10_000))).toBeLessThanOrEqual(50);
  });
});

describe("network configuration is validated", () => {
  const rng = new RandomStream(1, "network");
  const bad: Array<[NetworkConfig | unknown, RegExp]> = [
    [{ default: { latency: { kind: "constant", ms: -1 } } }, /network.default.latency.ms/],
    [{ default: { latency: { kind: "uniform", minMs: 5, maxMs: 1 } } }, /network.default.latency.maxMs/],
    [{ default: { latency: { kind: "gamma" } } }, /network.default.latency.kind/],
    [{ default: { latency: { kind: "exponential", meanMs: 0 } } }, /network.default.latency.meanMs/],
    [{ default: { lossProbability: 1.5 } }, /network.default.lossProbability: must be a probability in \[0,1\]/],
    [{ default: { duplicateProbability: -0.1 } }, /network.default.duplicateProbability/],
    [{ default: { reorderProbability: Number.NaN } }, /network.default.reorderProbability/],
    [{ default: { capacity: 0 } }, /network.default.capacity/],
    [{ default: { reorderDelayMsMin: -1 } }, /network.default.reorderDelayMsMin: must be a finite number >= 0/],
    [{ default: { reorderDelayMsMin: Infinity, reorderDelayMsMax: Infinity } }, /network.default.reorderDelayMsMin: must be a finite number >= 0/],
    [{ default: { reorderDelayMsMax: Number.NaN } }, /network.default.reorderDelayMsMax/],
    [{ default: { reorderDelayMsMin: 30 } }, /network.default.reorderDelayMsMin: must be <= reorderDelayMsMax \(20 ms\)/],
    [{ default: { reorderDelayMsMin: 10, reorderDelayMsMax: 5 } }, /network.default.reorderDelayMsMin: must be <= reorderDelayMsMax \(5 ms\)/],
    [{ default: { reorderDelayMsMin: 10, reorderDelayMsMax: 50 }, links: { "n1->n2": { reorderDelayMsMax: 5 } } }, /network.links.n1->n2.reorderDelayMsMin/],
    [{ default: { jitter: 3 } }, /network.default.jitter: is not a link option/],
    [{ links: { "n1->n2": { lossProbability: 2 } } }, /network.links.n1->n2.lossProbability/],
    [{ links: { n1n2: {} } }, /network.links.n1n2/],
    [{ partitions: [] }, /network.partitions: is not a network option/],
    ["fast", /network: must be an object/],
  ];
  for (const [config, message] of bad) {
    it(`rejects ${JSON.stringify(config)}`, () => {
      expect(() => new Network(config as NetworkConfig, rng)).toThrow(message);
    });
  }
});
