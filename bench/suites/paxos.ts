/**
 * Multi-Paxos throughput:
 * - `paxos.steady5.msgsPerSec`: delivered messages per wall-clock second, 5-node Multi-Paxos under steady client
 *   load (5 clients running gets and puts back to back), every Paxos invariant checked after every step, no faults;
 * - `paxos.swarm.seedsPerSec`: seeds of the `paxos-swarm` scenario per wall-clock second (10 s of simulated time
 *   each, invariants, liveness phase, linearizability and exactly-once checks included).
 * Each figure is the median of several timed runs after a warm-up run. Messages are counted by the simulation's
 * message accounting (`sim.messages`).
 *
 * Run alone: `npx tsx --conditions=@faultline/source bench/suites/paxos.ts`.
 */
import { kvWorkload, runScenario, Simulation } from "@faultline/core";
import { createPaxosNode, paxosClient, paxosInvariants, paxosNodeIds, scenarios } from "@faultline/paxos";
import { performance } from "node:perf_hooks";
import { median } from "../median.js";

const STEADY_SIMULATED_MS = 20_000;
const SWARM_SEEDS = 12;

/** One steady-load run; returns delivered messages per wall second. */
function steadyOnce(seed: number, simulatedMs: number): number {
  const sim = new Simulation({ seed, network: { default: { latency: { kind: "uniform", minMs: 1, maxMs: 10 } } } });
  sim.addNodes(paxosNodeIds(5), createPaxosNode());
  for (const inv of paxosInvariants()) sim.addInvariant(inv);
  const workload = kvWorkload({ keys: 3, appendRatio: 0 });
  for (let i = 1; i <= 5; i++) sim.addClient(`c${i}`, () => paxosClient({ history: sim.history, workload, opIntervalMs: 0, maxOps: 1_000_000 }));
  sim.run({ untilMs: 1000 }); // election and warm-up outside the clock
  const before = sim.messages.delivered();
  const t0 = performance.now();
  const outcome = sim.run({ untilMs: 1000 + simulatedMs });
  const seconds = (performance.now() - t0) / 1000;
  if (outcome.kind !== "ok") throw new Error(`steady run failed: ${outcome.kind} ${outcome.invariant ?? ""} ${outcome.message}`);
  return (sim.messages.delivered() - before) / seconds;
}

/** paxos-swarm seeds per wall second over a fixed seed range. */
function swarmOnce(from: number, count: number): number {
  const t0 = performance.now();
  for (let seed = from; seed < from + count; seed++) {
    const r = runScenario(scenarios["paxos-swarm"]!, { seed });
    if (r.outcome.kind !== "ok") throw new Error(`paxos-swarm seed ${seed}: ${r.outcome.kind} ${r.outcome.message}`);
  }
  return count / ((performance.now() - t0) / 1000);
}

export async function run(): Promise<Record<string, number>> {
  steadyOnce(0, 2000);
  const steady = [1, 2, 3].map((seed) => steadyOnce(seed, STEADY_SIMULATED_MS));
  process.stderr.write(`  paxos.steady5.msgsPerSec runs: ${steady.map((x) => Math.round(x)).join(", ")}\n`);
  swarmOnce(1000, 2);
  const swarm = [1, 2, 3].map((k) => swarmOnce(k * SWARM_SEEDS, SWARM_SEEDS));
  process.stderr.write(`  paxos.swarm.seedsPerSec runs: ${swarm.map((x) => x.toFixed(2)).join(", ")}\n`);
  return {
    "paxos.steady5.msgsPerSec": Math.round(median(steady)),
    "paxos.swarm.seedsPerSec": Math.round(median(swarm) * 100) / 100,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().then((figures) => process.stdout.write(`${JSON.stringify(figures)}\n`));
}
