import { RandomStream, defineScenario, generateSchedule, twinsFactory, type BehaviorFactory, type FaultSchedule, type NodeId, type Seed } from "@faultline/core";
import { PBFT_BUGS } from "../bugs.js";
import { pbftNodeIds } from "../cluster.js";
import { PBFT_PROBES } from "../exploration.js";
import { byzantineFaults } from "./faults.js";
import { behaviorList, clusterSize, exploreOptionDocs, tolerance, type PbftScenarioOptions } from "./options.js";
import { PBFT_PARAMETERS } from "./parameters.js";
import { pbftPlan } from "./plan.js";

/** Which node runs as twins, and which replicas its first twin reaches (the second reaches the others). */
export interface TwinsDraw {
  node: NodeId;
  sideA: NodeId[];
}

/** Draws the twinned node (the view-0 primary half the time, else any replica) and its first twin's side (a non-empty proper subset of the others). */
export function drawTwins(seed: Seed, nodes: readonly NodeId[]): TwinsDraw {
  const rng = new RandomStream(seed, "twins");
  const node = rng.chance(0.5) ? nodes[0]! : rng.pick(nodes);
  const others = nodes.filter((id) => id !== node);
  const size = 1 + Math.floor(rng.float() * (others.length - 1));
  const pool = [...others];
  const sideA: NodeId[] = [];
  for (let i = 0; i < size; i++) sideA.push(pool.splice(Math.floor(rng.float() * pool.length), 1)[0]!);
  return { node, sideA: sideA.sort() };
}

/** The faults of a twins seed: network faults (no replica down), and f-1 byzantine replicas besides the twins. */
function twinsSchedule(seed: Seed, nodes: readonly NodeId[], twins: TwinsDraw, f: number, options: PbftScenarioOptions): FaultSchedule {
  const network = generateSchedule(new RandomStream(seed, "faults"), nodes, {
    faultWindowMs: 7000, maxDown: 0, families: ["partition", "isolate", "loss", "latency", "duplicate", "block"], linkScope: "cluster",
  }).schedule;
  const byzantine = byzantineFaults(new RandomStream(seed, "faults:byzantine"), nodes, {
    count: f - 1, behaviors: behaviorList(options), fromMs: 0, untilMs: 3000, among: nodes.filter((id) => id !== twins.node),
  });
  return [...byzantine, ...network].sort((a, b) => a.atMs - b.atMs);
}

/**
 * pbft-twins: one replica runs as twins (core's TwinsBehavior): two honest instances under its id, each
 * reaching part of the cluster, so the node equivocates without a line of byzantine code (a twinned primary
 * numbers different requests for the two sides). It is the one faulty identity (with f-1 byzantine replicas at
 * n >= 7); network faults come on top for 8 s while clients write; then liveness.
 */
export const pbftTwins = defineScenario<PbftScenarioOptions>({
  id: "pbft-twins",
  description: "one replica runs as twins (two honest instances behind its id, each reaching part of the cluster): equivocation from honest code, network faults, clients writing",
  bugs: PBFT_BUGS,
  parameters: PBFT_PARAMETERS,
  probes: PBFT_PROBES,
  options: exploreOptionDocs(),
  build(seed, options) {
    const nodes = pbftNodeIds(clusterSize(options));
    const twins = drawTwins(seed, nodes);
    const schedule = twinsSchedule(seed, nodes, twins, tolerance(nodes.length), options);
    return pbftPlan(options, {
      explore: { seed },
      durationMs: 8000,
      faults: { schedule },
      wrapBehavior: (factory) => twinsFactory(factory as BehaviorFactory, twins) as (id: NodeId) => unknown,
    });
  },
});
