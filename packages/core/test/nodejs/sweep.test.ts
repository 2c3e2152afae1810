import { afterAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, counterSwarm } from "@faultline/core";
import { parseShard, readReportFile, shardRange, sweep, type SweepProgress } from "@faultline/core/node";
import { SeedCursor } from "../../src/nodejs/shard.js";

const examples = fileURLToPath(new URL("../../src/testing/example-scenarios.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "faultline-sweep-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("sweep", () => {
  it("worker threads give exactly the in-process results for the same seeds", async () => {
    const opts = { seeds: 16, from: 5, options: { bugs: ["ackBeforeSync"] }, reportDir: false as const, collectResults: true };
    const inProcess = await sweep(counterSwarm, { ...opts, workers: 0 });
    const onWorkers = await sweep({ module: examples, scenario: "counter-swarm" }, { ...opts, workers: 2 });
    expect(onWorkers.workers).toBe(2);
    expect(onWorkers.results).toEqual(inProcess.results);
    expect(onWorkers.outcomes).toEqual(inProcess.outcomes);
    expect(inProcess.outcomes.safety).toBeGreaterThan(0);
    expect(inProcess.seeds).toBe(16);
  });

  it("summarises outcomes, speed and failures, with a report file per failure", async () => {
    const progress: SweepProgress[] = [];
    const s = await sweep(counterSwarm, { seeds: 12, workers: 0, options: { bugs: ["noRetry"] }, reportDir: dir, onProgress: (p) => progress.push(p) });
    expect(progress.map((p) => p.done)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(s.outcomes.ok + s.outcomes.liveness).toBe(12);
    expect(s.failures.length).toBe(s.outcomes.liveness);
    expect(s.seedsPerSec).toBeGreaterThan(0);
    expect(s.simSecondsPerWallSecond).toBeGreaterThan(0);
    for (const f of s.failures) {
      expect(existsSync(f.report!)).toBe(true);
      expect(readReportFile(f.report!).seed).toBe(f.seed);
    }
  });

  it("stopOnFailure stops handing out seeds after the first failure", async () => {
    const s = await sweep({ module: examples, scenario: "counter-swarm" }, { seeds: 200, workers: 2, stopOnFailure: true, options: { bugs: ["noRetry"] }, reportDir: false });
    expect(s.failures.length).toBeGreaterThanOrEqual(1);
    expect(s.seeds).toBeLessThan(60);
  });

  it("an aborted sweep returns the summary so far and keeps its reports", async () => {
    const abort = new AbortController();
    const s = await sweep(counterSwarm, {
      seeds: 500, workers: 0, options: { bugs: ["noRetry"] }, reportDir: dir, signal: abort.signal,
      onFailure: () => abort.abort(),
    });
    expect(s.interrupted).toBe(true);
    expect(s.seeds).toBeLessThan(500);
    expect(s.failures).toHaveLength(1);
    expect(existsSync(s.failures[0]!.report!)).toBe(true);
  });

  it("refuses bad input before running: unknown options, workers without a module, bad seeds", async () => {
    await expect(sweep(counterSwarm, { seeds: 2, workers: 0, options: { bugs: ["nope"] } })).rejects.toThrow(/not a planted bug/);
    await expect(sweep(counterSwarm, { seeds: 2, workers: 2 })).rejects.toThrow(ConfigError);
    await expect(sweep(counterSwarm, { seeds: 0 })).rejects.toThrow(/seeds/);
    await expect(sweep({ module: examples, scenario: "nope" }, { seeds: 2 })).rejects.toThrow(/no scenario "nope"/);
  });
});

describe("sweep workers that fail", () => {
  it("a worker that exits in the middle of a seed ends the sweep with a SweepError, never a hang", async () => {
    const mod = join(dir, "exits.mjs");
    writeFileSync(mod, `export const scenarios = { exits: { id: "exits", description: "calls process.exit", build() { process.exit(0); } } };\n`);
    await expect(sweep({ module: mod, scenario: "exits" }, { seeds: 4, workers: 1, reportDir: false })).rejects.toThrow(/exited early/);
  });
});

describe("sweeping a huge seed range", () => {
  /** The first seed of 1.. that ackBeforeSync fails, from a small sweep. */
  async function firstFailingSeed(): Promise<number> {
    const s = await sweep(counterSwarm, { seeds: 40, workers: 0, options: { bugs: ["ackBeforeSync"] }, reportDir: false });
    expect(s.failures.length).toBeGreaterThan(0);
    return s.failures[0]!.seed;
  }

  it("stopOnFailure over 10^9 seeds finds the first failing seed at once, in constant memory (in-process)", async () => {
    const first = await firstFailingSeed();
    const s = await sweep(counterSwarm, { seeds: 1_000_000_000, workers: 0, stopOnFailure: true, options: { bugs: ["ackBeforeSync"] }, reportDir: false });
    expect(s.failures.map((f) => f.seed)).toEqual([first]);
    expect(s.seeds).toBe(first);
    expect(s.requested).toBe(1_000_000_000);
  }, 30_000);

  it("stopOnFailure over 10^9 seeds finds the first failing seed at once, on worker threads", async () => {
    const first = await firstFailingSeed();
    const s = await sweep({ module: examples, scenario: "counter-swarm" }, { seeds: 1_000_000_000, workers: 2, stopOnFailure: true, options: { bugs: ["ackBeforeSync"] }, reportDir: false });
    expect(s.failures[0]!.seed).toBe(first);
    expect(s.seeds).toBeLessThan(100);
  }, 30_000);

  it("on workers, stopOnFailure still reports the lowest failing seed when another worker fails first", async () => {
    // seeds 1 and 2 are slow (2M timer steps each) and seed 3 runs out of its step budget; every seed from 33
    // fails at its first step. The first worker to be ready takes seeds 1-32 (two batches of 16), the other
    // starts at 33 and fails at once: the seeds below 33 that are handed out must still run.
    const mod = join(dir, "slow-low-seeds.mjs");
    writeFileSync(mod, `const ticker = () => ({ onStart(ctx) { ctx.setTimer("t", 1); }, onMessage() {}, onTimer(ctx) { ctx.setTimer("t", 1); } });
export const scenarios = { slow: { id: "slow", description: "slow low seeds", build(seed) {
  return { nodes: ["n1"], behavior: ticker, durationMs: seed <= 2 ? 2000000 : 10, maxSteps: seed === 3 ? 5 : seed >= 33 ? 1 : 3000000 };
} } };\n`);
    const s = await sweep({ module: mod, scenario: "slow" }, { seeds: 1_000_000, workers: 2, stopOnFailure: true, reportDir: false });
    expect(s.failures[0]!.seed).toBe(3);
    expect(s.failures[0]!.kind).toBe("budget");
    expect(s.seeds).toBeLessThan(100);
  }, 60_000);

  it("any range of safe-integer seeds is accepted: the whole range from 0, sharded, runs its first seeds", async () => {
    const seeds = Number.MAX_SAFE_INTEGER;
    const s = await sweep(counterSwarm, { seeds, from: 0, shard: "1/1000", workers: 0, stopOnFailure: true, options: { bugs: ["noRetry"] }, reportDir: false });
    expect(s.failures.length).toBe(1);
    expect(s.from).toBe(0);
    expect(s.requested).toBe(shardRange(0, seeds, { index: 1, count: 1000 }).seeds);
    await expect(sweep(counterSwarm, { seeds, from: 1, workers: 0 })).rejects.toThrow(/from: must be an integer from 0 to 0/);
  });
});

describe("sharding a seed range", () => {
  it("the seed cursor hands out a 10^12-seed range a few at a time without holding it", () => {
    const cursor = new SeedCursor({ from: 5, seeds: 1e12 });
    expect(cursor.take(3)).toEqual([5, 6, 7]);
    expect(cursor.take(2)).toEqual([8, 9]);
    expect(cursor.remaining).toBe(1e12 - 5);
    const end = new SeedCursor({ from: Number.MAX_SAFE_INTEGER - 2, seeds: 3 });
    expect(end.take(16)).toEqual([Number.MAX_SAFE_INTEGER - 2, Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER]);
    expect(end.remaining).toBe(0);
    expect(end.take(16)).toEqual([]);
  });

  it("shard bounds are exact for ranges whose products pass 2^53", () => {
    const seeds = 9_000_000_000_000_001;
    for (const [index, count] of [[99_999, 100_000], [2, 3], [100_000, 100_000]] as const) {
      const r = shardRange(7, seeds, { index, count });
      const lo = (BigInt(index - 1) * BigInt(seeds)) / BigInt(count);
      const hi = (BigInt(index) * BigInt(seeds)) / BigInt(count);
      expect([r.from, r.seeds]).toEqual([7 + Number(lo), Number(hi - lo)]);
    }
  });

  it("shards 1/n..n/n partition the range exactly, in contiguous blocks of near-equal size", () => {
    for (const seeds of [1, 7, 100, 1001]) {
      for (const n of [1, 2, 3, 8, 13]) {
        const covered: number[] = [];
        for (let k = 1; k <= n; k++) {
          const r = shardRange(10, seeds, { index: k, count: n });
          expect(r.seeds === Math.floor(seeds / n) || r.seeds === Math.ceil(seeds / n)).toBe(true);
          for (let i = 0; i < r.seeds; i++) covered.push(r.from + i);
        }
        expect(covered).toEqual(Array.from({ length: seeds }, (_, i) => 10 + i));
      }
    }
  });

  it("sharded sweeps together run every seed once", async () => {
    const all: number[] = [];
    for (let k = 1; k <= 3; k++) {
      const s = await sweep(counterSwarm, { seeds: 10, from: 1, shard: `${k}/3`, workers: 0, reportDir: false, collectResults: true });
      all.push(...s.results!.map((r) => r.seed));
    }
    expect(all).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
  });

  it("refuses malformed shard specs", () => {
    for (const bad of ["0/3", "4/3", "1/0", "a/b", "1-3", ""]) expect(() => parseShard(bad)).toThrow(ConfigError);
    expect(parseShard("2/8")).toEqual({ index: 2, count: 8 });
  });
});
