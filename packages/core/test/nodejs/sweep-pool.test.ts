import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, counterSwarm } from "@faultline/core";
import { sweep, SweepError, SweepPool } from "@faultline/core/node";
import { batchSize } from "../../src/nodejs/sweep-pool.js";

const examples = fileURLToPath(new URL("../../src/testing/example-scenarios.ts", import.meta.url));
const target = { module: examples, scenario: "counter-swarm" };
const dir = mkdtempSync(join(tmpdir(), "faultline-pool-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a sweep's results must equal: the same seeds run in this thread. */
async function inProcess(seeds: number, from: number, bugs: string[]) {
  return (await sweep(counterSwarm, { seeds, from, workers: 0, options: { bugs }, reportDir: false, collectResults: true })).results;
}

describe("SweepPool", () => {
  it("hands out guided batches: large while much is left, single seeds at the end, never more than 16", () => {
    const batches: number[] = [];
    for (let left = 96; left > 0; left -= batches.at(-1)!) batches.push(batchSize(left, 2));
    expect(batches.reduce((a, b) => a + b)).toBe(96);
    expect(batches[0]).toBe(12);
    expect(batches.slice(-8)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(batchSize(100_000, 2)).toBe(16);
    expect(batchSize(1, 64)).toBe(1);
  });

  it("serves sweep after sweep, with other options and seeds, giving exactly the in-process results", async () => {
    const pool = new SweepPool({ workers: 2 });
    try {
      for (const [from, bugs] of [[1, ["ackBeforeSync"]], [40, []], [7, ["noRetry"]]] as const) {
        const s = await sweep(target, { seeds: 12, from, pool, options: { bugs: [...bugs] }, reportDir: false, collectResults: true });
        expect(s.workers).toBe(2);
        expect(s.results).toEqual(await inProcess(12, from, [...bugs]));
      }
    } finally {
      await pool.close();
    }
  });

  it("sweeps queued on one pool run one after another, each with its own results", async () => {
    const pool = new SweepPool({ workers: 2 });
    try {
      const [a, b] = await Promise.all([
        sweep(target, { seeds: 10, from: 1, pool, options: { bugs: ["ackBeforeSync"] }, reportDir: false, collectResults: true }),
        sweep(target, { seeds: 10, from: 100, pool, reportDir: false, collectResults: true }),
      ]);
      expect(a.results).toEqual(await inProcess(10, 1, ["ackBeforeSync"]));
      expect(b.results).toEqual(await inProcess(10, 100, []));
    } finally {
      await pool.close();
    }
  });

  it("an aborted sweep returns at once; the late replies of its batches do not leak into the next sweep", async () => {
    const pool = new SweepPool({ workers: 2 });
    try {
      const abort = new AbortController();
      const first = await sweep(target, {
        seeds: 400, pool, reportDir: false, signal: abort.signal,
        onProgress: (p) => p.done === 3 && abort.abort(),
      });
      expect(first.interrupted).toBe(true);
      expect(first.seeds).toBeLessThan(400);
      const next = await sweep(target, { seeds: 9, from: 500, pool, reportDir: false, collectResults: true });
      expect(next.results).toEqual(await inProcess(9, 500, []));
    } finally {
      await pool.close();
    }
  });

  it("a worker holds the next batch ahead, yet a stopped sweep's seeds it has not started are skipped", async () => {
    const pool = new SweepPool({ workers: 1 });
    try {
      // noRetry fails seed 1; the worker was handed two batches of 16 (up to 32 seeds) before it finished it
      const s = await sweep(target, { seeds: 400, pool, stopOnFailure: true, options: { bugs: ["noRetry"] }, reportDir: false });
      expect(s.failures[0]!.seed).toBe(1);
      // the cancel reaches the worker a seed or two later (more on a loaded machine): the held batch is cut
      // short and the queued one skipped, where without it the worker would run all 32
      expect(s.seeds).toBeLessThan(16);
      // and the pool is free at once for the next sweep, whose results are the in-process ones
      const next = await sweep(target, { seeds: 40, from: 50, pool, reportDir: false, collectResults: true });
      expect(next.results).toEqual(await inProcess(40, 50, []));
    } finally {
      await pool.close();
    }
  });

  it("a worker that dies fails its sweep with a SweepError; the pool replaces it for the next sweep", async () => {
    const mod = join(dir, "exits.mjs");
    writeFileSync(mod, `export const scenarios = { exits: { id: "exits", description: "calls process.exit", build() { process.exit(3); } } };\n`);
    const pool = new SweepPool({ workers: 1 });
    try {
      await expect(sweep({ module: mod, scenario: "exits" }, { seeds: 2, pool, reportDir: false })).rejects.toThrow(SweepError);
      const s = await sweep(target, { seeds: 5, pool, reportDir: false, collectResults: true });
      expect(s.results).toEqual(await inProcess(5, 1, []));
    } finally {
      await pool.close();
    }
  });

  it("refuses bad use: a size out of range, more workers than the pool has, a closed pool", async () => {
    expect(() => new SweepPool({ workers: 0 })).toThrow(ConfigError);
    expect(() => new SweepPool({ workers: 1.5 })).toThrow(/workers/);
    const pool = new SweepPool({ workers: 1 });
    await expect(sweep(target, { seeds: 2, pool, workers: 2 })).rejects.toThrow(/workers: must be an integer from 0 to 1/);
    await expect(sweep(counterSwarm, { seeds: 2, pool })).rejects.toThrow(/^pool: worker threads load the scenario from its module/);
    await pool.close();
    await expect(sweep(target, { seeds: 2, pool })).rejects.toThrow(/pool: must be open/);
  });

  it("idle workers of a pool that is never closed do not keep the process alive", () => {
    const script = fileURLToPath(new URL("./fixtures/unclosed-pool.ts", import.meta.url));
    const child = spawnSync(process.execPath, ["--conditions=@faultline/source", "--import", "tsx", script], { encoding: "utf8", timeout: 45_000 });
    expect(child.error).toBeUndefined(); // a timeout would show here
    expect(child.stderr).toBe("");
    expect(child.stdout).toBe("4\n");
    expect(child.status).toBe(0);
  });
});
