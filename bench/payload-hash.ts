/**
 * The cost of hashing message payloads into the trace hash: raft-swarm seeds per CPU second of this
 * process (user + system time, so other processes on a shared machine disturb it less than wall time) with
 * `hashPayloads` off and on, in interleaved rounds over the same seeds, and the ratio of each round's pair.
 * The figure behind the default hash definition (docs/reports.md).
 *
 *   npx tsx --conditions=@faultline/source bench/payload-hash.ts [rounds] [seedsPerRound]
 */
import { runScenario } from "@faultline/core";
import { scenarios } from "@faultline/raft";
import { median } from "./median.js";

const rounds = Number(process.argv[2] ?? 9);
const seedsPerRound = Number(process.argv[3] ?? 12);
const scenario = scenarios["raft-swarm"]!;

/** Seeds per CPU second over `count` seeds from `from`, with payload hashing on or off. */
function seedsPerSec(from: number, count: number, hashPayloads: boolean): number {
  const before = process.cpuUsage();
  for (let seed = from; seed < from + count; seed++) runScenario(scenario, { seed, trace: { hashPayloads } });
  const used = process.cpuUsage(before);
  return count / ((used.user + used.system) / 1e6);
}

seedsPerSec(1000, seedsPerRound, false); // warm-up: the JIT's work is done before the clock
seedsPerSec(1000, seedsPerRound, true);
const off: number[] = [];
const on: number[] = [];
const ratios: number[] = [];
for (let r = 0; r < rounds; r++) {
  const from = 1 + r * seedsPerRound;
  // alternate which goes first, so a drift in machine load favours neither
  const first = r % 2 === 0;
  const a = seedsPerSec(from, seedsPerRound, !first);
  const b = seedsPerSec(from, seedsPerRound, first);
  const [withoutPayloads, withPayloads] = first ? [a, b] : [b, a];
  off.push(withoutPayloads);
  on.push(withPayloads);
  ratios.push(withPayloads / withoutPayloads);
  process.stderr.write(`  round ${r + 1}: off ${withoutPayloads.toFixed(2)}, on ${withPayloads.toFixed(2)} seeds per CPU s (on/off ${(withPayloads / withoutPayloads).toFixed(3)})\n`);
}
const round2 = (x: number) => Math.round(x * 100) / 100;
process.stdout.write(`${JSON.stringify({
  "raft.swarm.seedsPerCpuSec.hashPayloadsOff": round2(median(off)),
  "raft.swarm.seedsPerCpuSec.hashPayloadsOn": round2(median(on)),
  "raft.swarm.onOffRatio.median": Math.round(median(ratios) * 1000) / 1000,
  "raft.swarm.onOffRatio.min": Math.round(Math.min(...ratios) * 1000) / 1000,
  "raft.swarm.onOffRatio.max": Math.round(Math.max(...ratios) * 1000) / 1000,
})}\n`);
