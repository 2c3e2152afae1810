/**
 * Sweep throughput: seeds per wall-clock second of `sweep()` on worker threads, with 1 and with 2 workers,
 * on Raft's swarm scenario (a realistic seed: 5 nodes, clients, swarm faults, every invariant, the
 * liveness phase and the linearizability check). Wall time includes starting the workers, as a user sees it.
 * On a 2-core machine, 2 workers should give at least 1.7x the seeds/s of 1 worker, when nothing else runs.
 *
 * Falls back to core's `counter-swarm` example when Raft exports no `raft-swarm`.
 * Run alone: `npx tsx bench/suites/sweep.ts` (built dist) or with `--conditions=@faultline/source`.
 * `BENCH_SWEEP_SEEDS` sets the seeds per measurement (default 24). Each figure is the best of 3 alternated rounds.
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

async function seedsPerSec(t: { module: string; scenario: string }, workers: number, seeds: number): Promise<number> {
  const summary = await sweep(t, { seeds, from: 1, workers, reportDir: false });
  if (summary.seeds !== seeds) throw new Error(`the sweep ran ${summary.seeds} of ${seeds} seeds`);
  return summary.seedsPerSec;
}

/** Rounds of (1 worker, 2 workers), alternated so that a burst of load from elsewhere hits both alike. */
const ROUNDS = 3;

/** The suite: the best of {@link ROUNDS} alternated measurements with 1 and with 2 workers, on the same seeds. */
export async function run(): Promise<Record<string, number>> {
  const seeds = Number(process.env.BENCH_SWEEP_SEEDS ?? 24);
  const t = await target();
  await seedsPerSec(t, 1, 4); // warm-up: module caches, tsx transform cache
  let one = 0;
  let two = 0;
  for (let round = 0; round < ROUNDS; round++) {
    one = Math.max(one, await seedsPerSec(t, 1, seeds));
    two = Math.max(two, await seedsPerSec(t, 2, seeds));
  }
  return { "sweep.workers1.seedsPerSec": one, "sweep.workers2.seedsPerSec": two, "sweep.workers2.speedup": Math.round((two / one) * 100) / 100 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await run()));
}
