/**
 * Sweep throughput: seeds per wall-clock second of `sweep()` on worker threads, with 1 and with 2 workers,
 * on Raft's swarm scenario (a realistic seed: 5 nodes, clients, swarm faults, every invariant, the
 * liveness phase and the linearizability check). Wall time includes starting the workers, as a user sees it.
 * On a 2-core machine, 2 workers should give at least 1.7x the seeds/s of 1 worker, when nothing else runs.
 *
 * Falls back to core's `counter-swarm` example when Raft exports no `raft-swarm`.
 * Run alone: `npx tsx bench/suites/sweep.ts` (built dist) or with `--conditions=@faultline/source`.
 * `BENCH_SWEEP_SEEDS` sets the seeds per measurement (default 32). Each figure is the best of 3 alternated rounds.
 */
import { fileURLToPath } from "node:url";
import { loadScenarioModule, sweep } from "@faultline/core/node";

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
async function measure(t: { module: string; scenario: string }, workers: number, seeds: number): Promise<{ seedsPerSec: number; cpuMsPerSeed: number }> {
  const cpu0 = process.cpuUsage();
  const summary = await sweep(t, { seeds, from: 1, workers, reportDir: false });
  const cpu = process.cpuUsage(cpu0);
  if (summary.seeds !== seeds) throw new Error(`the sweep ran ${summary.seeds} of ${seeds} seeds`);
  return { seedsPerSec: summary.seedsPerSec, cpuMsPerSeed: (cpu.user + cpu.system) / 1000 / seeds };
}

/** Rounds of (1 worker, 2 workers), alternated so that a burst of load from elsewhere hits both alike. */
const ROUNDS = 3;

/** The suite: the best of {@link ROUNDS} alternated measurements with 1 and with 2 workers, on the same seeds. */
export async function run(): Promise<Record<string, number>> {
  const seeds = Number(process.env.BENCH_SWEEP_SEEDS ?? 32);
  const t = await target();
  await measure(t, 1, 4); // warm-up: module caches, tsx transform cache
  const best = { 1: { seedsPerSec: 0, cpuMsPerSeed: Infinity }, 2: { seedsPerSec: 0, cpuMsPerSeed: Infinity } };
  for (let round = 0; round < ROUNDS; round++) {
    for (const workers of [1, 2] as const) {
      const m = await measure(t, workers, seeds);
      best[workers] = { seedsPerSec: Math.max(best[workers].seedsPerSec, m.seedsPerSec), cpuMsPerSeed: Math.min(best[workers].cpuMsPerSeed, m.cpuMsPerSeed) };
    }
  }
  const round2 = (x: number) => Math.round(x * 100) / 100;
  return {
    "sweep.workers1.seedsPerSec": best[1].seedsPerSec,
    "sweep.workers2.seedsPerSec": best[2].seedsPerSec,
    "sweep.workers2.speedup": round2(best[2].seedsPerSec / best[1].seedsPerSec),
    // CPU per seed: equal figures mean the workers do not slow each other, so on two idle cores the
    // speedup approaches 2x; when other processes hold the cores, wall-clock speedup cannot show it
    "sweep.workers1.cpuMsPerSeed": round2(best[1].cpuMsPerSeed),
    "sweep.workers2.cpuMsPerSeed": round2(best[2].cpuMsPerSeed),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await run()));
}
