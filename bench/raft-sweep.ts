/**
 * Sweeps raft-swarm over N seeds in-process and prints the outcomes by kind, every failing seed, and the
 * time taken. A long sweep belongs here, not in CI.
 *
 *   npx tsx --conditions=@faultline/source bench/raft-sweep.ts 1000            seeds 1..1000
 *   npx tsx --conditions=@faultline/source bench/raft-sweep.ts 1000 5001       seeds 5001..6000
 *   ... bench/raft-sweep.ts 200 1 nodes=3 bugs=commitPreviousTerm scenario=raft-figure8
 */
import { runScenario, type OutcomeKind } from "@faultline/core";
import { performance } from "node:perf_hooks";
import { scenarios } from "@faultline/raft";

interface Failure {
  seed: number;
  kind: OutcomeKind;
  invariant?: string;
  message: string;
}

function parseArgs(argv: readonly string[]): { count: number; from: number; scenario: string; options: Record<string, unknown> } {
  const positional = argv.filter((a) => !a.includes("="));
  const options: Record<string, unknown> = {};
  let scenario = "raft-swarm";
  for (const a of argv.filter((x) => x.includes("="))) {
    const [k, v] = a.split("=", 2) as [string, string];
    if (k === "scenario") scenario = v;
    else options[k] = v;
  }
  return { count: Number(positional[0] ?? 100), from: Number(positional[1] ?? 1), scenario, options };
}

function main(): void {
  const { count, from, scenario: id, options } = parseArgs(process.argv.slice(2));
  const scenario = scenarios[id];
  if (scenario === undefined) throw new Error(`unknown scenario ${id} (known: ${Object.keys(scenarios).join(", ")})`);
  const outcomes: Record<OutcomeKind, number> = { ok: 0, safety: 0, liveness: 0, crash: 0, budget: 0 };
  const failures: Failure[] = [];
  let simulatedMs = 0;
  let steps = 0;
  const t0 = performance.now();
  for (let seed = from; seed < from + count; seed++) {
    const r = runScenario(scenario, { seed, options });
    outcomes[r.outcome.kind]++;
    simulatedMs += r.simulatedMs;
    steps += r.simulation.stepCount;
    if (r.outcome.kind !== "ok") {
      failures.push({ seed, kind: r.outcome.kind, invariant: r.outcome.invariant, message: r.outcome.message.slice(0, 400) });
      process.stderr.write(`seed ${seed}: ${r.outcome.kind} ${r.outcome.invariant ?? ""} ${r.outcome.message.slice(0, 200)}\n`);
    }
    if ((seed - from + 1) % 100 === 0) {
      process.stderr.write(`${seed - from + 1}/${count} seeds, ${((performance.now() - t0) / 1000).toFixed(1)} s, outcomes ${JSON.stringify(outcomes)}\n`);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const summary = {
    scenario: id, options, from, seeds: count, outcomes, seconds: Math.round(seconds * 10) / 10,
    seedsPerSec: Math.round((count / seconds) * 100) / 100, stepsPerSec: Math.round(steps / seconds),
    simSecondsPerWallSecond: Math.round((simulatedMs / 1000 / seconds) * 10) / 10,
    failingSeeds: failures.map((f) => f.seed), failures,
  };
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
}

main();
