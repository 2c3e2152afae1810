/**
 * For each planted bug, runs a scenario over seeds from 1 until a check fires (at most `max` seeds) and
 * prints the first failing seed and what fired: how many seeds each bug needs.
 *
 *   npx tsx --conditions=@faultline/source bench/raft-bug-hunt.ts raft-swarm 100 [bug ...] [key=value ...]
 */
import { runScenario } from "@faultline/core";
import { performance } from "node:perf_hooks";
import { RAFT_BUGS, scenarios } from "@faultline/raft";

const args = process.argv.slice(2);
const id = args[0] ?? "raft-swarm";
const max = Number(args[1] ?? 100);
const options: Record<string, unknown> = {};
for (const a of args.slice(2).filter((x) => x.includes("="))) {
  const [k, v] = a.split("=", 2) as [string, string];
  options[k] = v;
}
const named = args.slice(2).filter((x) => !x.includes("="));
const bugs = named.length > 0 ? named : Object.keys(RAFT_BUGS);
for (const bug of bugs) {
  const t0 = performance.now();
  let found = "none";
  for (let seed = 1; seed <= max; seed++) {
    const r = runScenario(scenarios[id]!, { seed, options: { ...options, bugs: [bug] } });
    if (r.outcome.kind !== "ok") {
      found = `seed ${seed}: ${r.outcome.kind} ${r.outcome.invariant ?? ""} ${r.outcome.message.slice(0, 160)}`;
      break;
    }
  }
  console.log(`${bug}: ${found} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}
