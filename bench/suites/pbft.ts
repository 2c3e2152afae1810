/**
 * PBFT throughput:
 * - `pbft.steady4.msgsPerSec`: delivered messages per wall-clock second, 4-replica PBFT (f = 1) under steady
 *   client load (4 clients running read/write/cas back to back), every PBFT invariant checked after every step,
 *   no faults;
 * - `pbft.swarm.seedsPerSec`: seeds of the `pbft-byzantine-swarm` scenario per wall-clock second (n = 4: a
 *   byzantine replica and network faults for 10 s of simulated time, the liveness phase and the linearizability
 *   check included).
 * Each figure is the median of several timed runs after a warm-up run.
 *
 * Run alone: `npx tsx --conditions=@faultline/source bench/suites/pbft.ts`.
 */
import { registerWorkload, runScenario, type Invariant, type SimulationView } from "@faultline/core";
import { pbftCluster, pbftInvariants, scenarios } from "@faultline/pbft";
import { performance } from "node:perf_hooks";
import { median } from "../median.js";

const STEADY_SIMULATED_MS = 10_000;
const SWARM_SEEDS = 12;

/** Counts delivered messages through the per-step events the invariants already receive. */
function deliveryCounter(): Invariant & { delivered: number } {
  const counter = {
    name: "(bench: delivered messages)",
    delivered: 0,
    check(view: SimulationView) {
      const events = view.stepEvents;
      for (let i = 0; i < events.length; i++) if (events[i]!.kind === "message_delivered") counter.delivered++;
      return undefined;
    },
  };
  return counter;
}

/** One steady-load run; returns delivered messages per wall second. */
function steadyOnce(seed: number, simulatedMs: number): number {
  const workload = registerWorkload({ keys: 3 });
  const c = pbftCluster({
    nodes: 4,
    simulation: { seed, network: { default: { latency: { kind: "uniform", minMs: 1, maxMs: 10 } } } },
    clients: Array.from({ length: 4 }, () => ({ workload, opIntervalMs: 0, maxOps: 1_000_000 })),
  });
  for (const inv of pbftInvariants()) c.sim.addInvariant(inv);
  const counter = deliveryCounter();
  c.sim.addInvariant(counter);
  c.sim.run({ untilMs: 500 }); // warm-up outside the clock
  const before = counter.delivered;
  const t0 = performance.now();
  const outcome = c.sim.run({ untilMs: 500 + simulatedMs });
  const seconds = (performance.now() - t0) / 1000;
  if (outcome.kind !== "ok") throw new Error(`steady run failed: ${outcome.kind} ${outcome.invariant ?? ""} ${outcome.message}`);
  return (counter.delivered - before) / seconds;
}

/** pbft-byzantine-swarm seeds per wall second over a fixed seed range. */
function swarmOnce(from: number, count: number): number {
  const t0 = performance.now();
  for (let seed = from; seed < from + count; seed++) {
    const r = runScenario(scenarios["pbft-byzantine-swarm"]!, { seed });
    if (r.outcome.kind !== "ok") throw new Error(`pbft-byzantine-swarm seed ${seed}: ${r.outcome.kind} ${r.outcome.message}`);
  }
  return count / ((performance.now() - t0) / 1000);
}

export async function run(): Promise<Record<string, number>> {
  steadyOnce(0, 1000);
  const steady = [1, 2, 3].map((seed) => steadyOnce(seed, STEADY_SIMULATED_MS));
  process.stderr.write(`  pbft.steady4.msgsPerSec runs: ${steady.map((x) => Math.round(x)).join(", ")}\n`);
  swarmOnce(1000, 2);
  const swarm = [1, 2, 3].map((k) => swarmOnce(k * SWARM_SEEDS, SWARM_SEEDS));
  process.stderr.write(`  pbft.swarm.seedsPerSec runs: ${swarm.map((x) => x.toFixed(2)).join(", ")}\n`);
  return {
    "pbft.steady4.msgsPerSec": Math.round(median(steady)),
    "pbft.swarm.seedsPerSec": Math.round(median(swarm) * 100) / 100,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().then((figures) => process.stdout.write(`${JSON.stringify(figures)}\n`));
}
