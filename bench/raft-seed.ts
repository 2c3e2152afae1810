/**
 * Runs one seed of a Raft scenario and prints the outcome, the fault schedule and the protocol log around
 * the failure: the starting point of an investigation.
 *
 *   npx tsx --conditions=@faultline/source bench/raft-seed.ts raft-swarm 17 [key=value ...]
 */
import { runScenario } from "@faultline/core";
import { scenarios } from "@faultline/raft";

const [id = "raft-swarm", seedArg = "1", ...rest] = process.argv.slice(2);
const options: Record<string, unknown> = {};
for (const a of rest) {
  const [k, v] = a.split("=", 2) as [string, string];
  options[k] = v;
}
const r = runScenario(scenarios[id]!, { seed: Number(seedArg), options, ...(process.env.FULL ? { trace: { retention: "full" as const } } : {}) });
console.log(JSON.stringify({ kind: r.outcome.kind, invariant: r.outcome.invariant, message: r.outcome.message, step: r.outcome.step, timeUs: r.outcome.timeUs, profile: r.profile }, null, 1));
console.log(JSON.stringify(r.schedule));
for (const v of r.verdicts) console.log(JSON.stringify(v).slice(0, 3000));
