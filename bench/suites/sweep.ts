/**
 * Sweep throughput: seeds per wall-clock second of `sweep()` on worker threads, with 1 and with 2 workers,
 * on Raft's swarm scenario (a realistic seed: 5 nodes, clients, swarm faults, every invariant, the
 * liveness phase and the linearizability check). On a 2-core machine, 2 warm workers should give at least
 * 1.7x the seeds/s of 1 worker, when nothing else runs.
 *
 * Falls back to core's `counter-swarm` example when Raft exports no `raft-swarm`.
 * Run alone: `npx tsx bench/suites/sweep.ts` (built dist) or with `--conditions=@faultline/source`.
 * `BENCH_SWEEP_SEEDS` sets the seeds per measurement (default 40).
 */
import { fileURLToPath } from "node:url";
import { loadScenarioModule, sweep, SweepPool } from "@faultline/core/node";
import { median } from "../median.js";

async function target(): Promise<{ module: string; scenario: string }> {
  try {
    const raft = await loadScenarioModule("@faultline/raft");
    if (raft.scenarios["raft-swarm"] !== undefined) return { module: "@faultline/raft", scenario: "raft-swarm" };
  } catch {
    // fall through to core's example
  }
  const core = fileURLToPath(import.meta.resolve("@faultline/core/node"));
  const examples = core.replace(/nodejs[/\\]index\.(ts|js)$/, `testing/example-scenarios.$1`);
  return { module: examples, scenario: "counter-swarm" };
}

/** One measured sweep: wall-clock seeds/s, and CPU ms per seed over every thread of this process. */
async function measure(t: { module: string; scenario: string }, on: { workers: number; pool?: SweepPool }, seeds: number, from: number): Promise<{ seedsPerSec: number; cpuMsPerSeed: number }> {
  const cpu0 = process.cpuUsage();
  const summary = await sweep(t, { seeds, from, ...on, reportDir: false });
  const cpu = process.cpuUsage(cpu0);
  if (summary.seeds !== seeds) throw new Error(`the sweep ran ${summary.seeds} of ${seeds} seeds`);
  return { seedsPerSec: summary.seedsPerSec, cpuMsPerSeed: (cpu.user + cpu.system) / 1000 / seeds };
}

/**
 * Rounds of (1 worker, 2 workers), alternated. This machine's speed drifts by a fifth within seconds (other
 * virtual machines share the host), so each round's 2-worker sweep is compared with the 1-worker sweep run
 * just before it, and the figures are medians over the rounds.
 */
const ROUNDS = 15;
/**
 * Seeds each worker runs to warm a pool up. The JIT keeps compiling for a while (Raft, in one thread: 2.6 s
 * of compiler time in the first 100 seeds, 0.56 s in the next 100, about 0.1 s per 100 after that), and each
 * worker of a pool compiles for itself, so a short warm-up favours the 1-worker pool.
 */
const WARM_UP_SEEDS_PER_WORKER = 200;

type Measured = { seedsPerSec: number; cpuMsPerSeed: number };

/**
 * The suite. Warm: one pool of 1 worker and one of 2, each warmed up, then {@link ROUNDS} alternated sweeps
 * over the same seeds: the steady throughput of a long sweep, or of the demo's sweeps on one pool. Cold: one
 * fresh `sweep()` each with 1 and 2 workers, start-up and JIT warm-up included, as a single short CLI sweep
 * sees it (on 2 cores the two workers' compilers compete with the seeds).
 */
export async function run(): Promise<Record<string, number>> {
  const seeds = Number(process.env.BENCH_SWEEP_SEEDS ?? 40);
  const t = await target();
  const pools = { 1: new SweepPool({ workers: 1 }), 2: new SweepPool({ workers: 2 }) };
  const rounds: Array<{ 1: Measured; 2: Measured }> = [];
  try {
    for (const w of [1, 2] as const) await measure(t, { workers: w, pool: pools[w] }, WARM_UP_SEEDS_PER_WORKER * w, 100_000);
    for (let round = 0; round < ROUNDS; round++) {
      // ABBA order: a steady drift of the machine's speed favours neither
      const order: Array<1 | 2> = round % 2 === 0 ? [1, 2] : [2, 1];
      const m: Partial<Record<1 | 2, Measured>> = {};
      for (const w of order) m[w] = await measure(t, { workers: w, pool: pools[w] }, seeds, 1);
      rounds.push({ 1: m[1]!, 2: m[2]! });
    }
  } finally {
    await Promise.all([pools[1].close(), pools[2].close()]);
  }
  const cold1 = await measure(t, { workers: 1 }, seeds, 1);
  const cold2 = await measure(t, { workers: 2 }, seeds, 1);
  const round2 = (x: number) => Math.round(x * 100) / 100;
  const med = (w: 1 | 2, f: keyof Measured) => round2(median(rounds.map((r) => r[w][f])));
  return {
    "sweep.workers1.seedsPerSec": med(1, "seedsPerSec"),
    "sweep.workers2.seedsPerSec": med(2, "seedsPerSec"),
    "sweep.workers2.speedup": round2(median(rounds.map((r) => r[2].seedsPerSec / r[1].seedsPerSec))),
    // the spread of the per-round speedups: how much the machine drifted during the measurement
    "sweep.workers2.speedupMin": round2(Math.min(...rounds.map((r) => r[2].seedsPerSec / r[1].seedsPerSec))),
    "sweep.workers2.speedupMax": round2(Math.max(...rounds.map((r) => r[2].seedsPerSec / r[1].seedsPerSec))),
    // CPU per seed: equal figures mean the workers do not slow each other down
    "sweep.workers1.cpuMsPerSeed": med(1, "cpuMsPerSeed"),
    "sweep.workers2.cpuMsPerSeed": med(2, "cpuMsPerSeed"),
    // one worker already keeps more than one core busy (V8's GC and compiler threads run beside it), so
    // on 2 cores the speedup is at most 2 / this
    "sweep.workers1.coresBusy": round2(median(rounds.map((r) => (r[1].cpuMsPerSeed * r[1].seedsPerSec) / 1000))),
    "sweep.cold.workers1.seedsPerSec": cold1.seedsPerSec,
    "sweep.cold.workers2.seedsPerSec": cold2.seedsPerSec,
    "sweep.cold.workers2.speedup": round2(cold2.seedsPerSec / cold1.seedsPerSec),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await run()));
}
