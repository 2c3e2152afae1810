/**
 * Raft throughput:
 * - `raft.steady5.msgsPerSec`: delivered messages per wall-clock second, 5-node Raft under steady client load
 *   (5 clients running get/put/cas back to back), every Raft invariant checked after every step, no faults;
 * - `raft.swarm.seedsPerSec`: seeds of the `raft-swarm` scenario per wall-clock second (10 s of simulated time
 *   each, invariants, liveness phase and the linearizability check included), with its exploration on (the
 *   parameter swarm draws Raft's knobs per seed, buggify marks fire);
 * - `raft.swarm.fixedKnobs.seedsPerSec`: the same seeds with exploration off (node defaults, no buggify), measured
 *   interleaved with the above, as the baseline of the ratio.
 * Each figure is the median of several timed runs after a warm-up run.
 *
 * Run alone: `npx tsx --conditions=@faultline/source bench/suites/raft.ts`.
 */
import { runScenario, Simulation, type Invariant } from "@faultline/core";
import { createRaftNode, kvWorkload, raftInvariants, raftNodeIds, RaftClient, scenarios } from "@faultline/raft";
import { performance } from "node:perf_hooks";
import { median } from "../median.js";

const STEADY_SIMULATED_MS = 20_000;
const SWARM_SEEDS = 12;

/** Counts delivered messages through the per-step events the invariants already receive. */
function deliveryCounter(): Invariant & { delivered: number } {
  const counter = {
    name: "(bench: delivered messages)",
    delivered: 0,
    check(view: Simulation) {
      const events = view.stepEvents;
      for (let i = 0; i < events.length; i++) if (events[i]!.kind === "message_delivered") counter.delivered++;
      return undefined;
    },
  };
  return counter;
}

/** One steady-load run; returns delivered messages per wall second. */
function steadyOnce(seed: number, simulatedMs: number): number {
  const sim = new Simulation({ seed, network: { default: { latency: { kind: "uniform", minMs: 1, maxMs: 10 } } } });
  sim.addNodes(raftNodeIds(5), createRaftNode());
  for (const inv of raftInvariants()) sim.addInvariant(inv);
  const counter = deliveryCounter();
  sim.addInvariant(counter);
  for (let i = 1; i <= 5; i++) {
    const workload = kvWorkload({ opsPerClient: 1_000_000 });
    sim.addClient(`c${i}`, () => new RaftClient({ history: sim.history, workload, opIntervalMs: 0 }));
  }
  sim.run({ untilMs: 1000 }); // election and warm-up outside the clock
  const before = counter.delivered;
  const t0 = performance.now();
  const outcome = sim.run({ untilMs: 1000 + simulatedMs });
  const seconds = (performance.now() - t0) / 1000;
  if (outcome.kind !== "ok") throw new Error(`steady run failed: ${outcome.kind} ${outcome.invariant ?? ""} ${outcome.message}`);
  return (counter.delivered - before) / seconds;
}

/** The exploration switches off: the knobs fixed at the node defaults and no buggify (raft-swarm before issue 12). */
const FIXED_KNOBS = { parameterSwarm: false, buggify: false };

/** raft-swarm seeds per wall second over a fixed seed range (with its default exploration, or `options`). */
function swarmOnce(from: number, count: number, options: Record<string, unknown> = {}): number {
  const t0 = performance.now();
  for (let seed = from; seed < from + count; seed++) {
    const r = runScenario(scenarios["raft-swarm"]!, { seed, options });
    if (r.outcome.kind !== "ok") throw new Error(`raft-swarm seed ${seed}: ${r.outcome.kind} ${r.outcome.message}`);
  }
  return count / ((performance.now() - t0) / 1000);
}

export async function run(): Promise<Record<string, number>> {
  steadyOnce(0, 2000);
  const steady = [1, 2, 3].map((seed) => steadyOnce(seed, STEADY_SIMULATED_MS));
  process.stderr.write(`  raft.steady5.msgsPerSec runs: ${steady.map((x) => Math.round(x)).join(", ")}\n`);
  swarmOnce(1000, 2);
  swarmOnce(1000, 2, FIXED_KNOBS);
  // interleaved, so both see the same spells of the machine
  const swarm: number[] = [];
  const fixed: number[] = [];
  for (const k of [1, 2, 3]) {
    swarm.push(swarmOnce(k * SWARM_SEEDS, SWARM_SEEDS));
    fixed.push(swarmOnce(k * SWARM_SEEDS, SWARM_SEEDS, FIXED_KNOBS));
  }
  process.stderr.write(`  raft.swarm.seedsPerSec runs: ${swarm.map((x) => x.toFixed(2)).join(", ")}\n`);
  process.stderr.write(`  raft.swarm.fixedKnobs.seedsPerSec runs: ${fixed.map((x) => x.toFixed(2)).join(", ")}\n`);
  return {
    "raft.steady5.msgsPerSec": Math.round(median(steady)),
    "raft.swarm.seedsPerSec": Math.round(median(swarm) * 100) / 100,
    "raft.swarm.fixedKnobs.seedsPerSec": Math.round(median(fixed) * 100) / 100,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().then((figures) => process.stdout.write(`${JSON.stringify(figures)}\n`));
}
