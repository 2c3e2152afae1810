import { RandomStream, generateSchedule, type FaultSchedule, type NodeId, type Seed, type SwarmFaultFamily } from "@faultline/core";
import type { PbftByzantineBehavior } from "../node/byzantine.js";

/** Options of {@link byzantineFaults}. */
export interface ByzantineFaultOptions {
  /** How many replicas turn byzantine (distinct). */
  count: number;
  behaviors: readonly PbftByzantineBehavior[];
  /** Each turns byzantine at a time drawn uniformly in [fromMs, untilMs]. */
  fromMs: number;
  untilMs: number;
  /** Replicas that may be picked. @defaultValue all */
  among?: readonly NodeId[];
}

/** `count` distinct replicas turning byzantine, each with a behaviour and a time drawn from `rng`. */
export function byzantineFaults(rng: RandomStream, nodes: readonly NodeId[], o: ByzantineFaultOptions): FaultSchedule {
  const pool = [...(o.among ?? nodes)];
  const out: FaultSchedule = [];
  for (let i = 0; i < o.count && pool.length > 0; i++) {
    const node = pool.splice(Math.floor(rng.float() * pool.length), 1)[0]!;
    const atMs = Math.round(o.fromMs + rng.float() * (o.untilMs - o.fromMs));
    out.push({ atMs, fault: { kind: "byzantine", node, behavior: rng.pick(o.behaviors) } });
  }
  return out;
}

/** Options of {@link byzantineSwarm}. */
export interface ByzantineSwarmOptions {
  f: number;
  behaviors: readonly PbftByzantineBehavior[];
  /** The swarm families of the other faults (network faults; crash and pause take what is left of f). */
  families: readonly SwarmFaultFamily[];
  faultWindowMs: number;
  /** Replicas turn byzantine within [0, byzantineUntilMs]. */
  byzantineUntilMs: number;
}

/**
 * The faults of a byzantine swarm seed: between 1 and f replicas turn byzantine (drawn from the seed's
 * "faults:byzantine" stream, each with a random behaviour, at a random time), and core's swarm generator draws
 * the other faults with what is left of the tolerance as its `maxDown` (crashed and paused replicas count
 * against it, network faults do not). So at no instant are more than f replicas byzantine or down.
 */
export function byzantineSwarm(seed: Seed, nodes: readonly NodeId[], o: ByzantineSwarmOptions): FaultSchedule {
  const rng = new RandomStream(seed, "faults:byzantine");
  const count = 1 + Math.floor(rng.float() * o.f);
  const byzantine = byzantineFaults(rng, nodes, { count, behaviors: o.behaviors, fromMs: 0, untilMs: o.byzantineUntilMs });
  const turned = new Set(byzantine.map((e) => (e.fault as { node: NodeId }).node));
  const others = generateSchedule(new RandomStream(seed, "faults"), nodes, {
    faultWindowMs: o.faultWindowMs, maxDown: o.f - count, families: o.families, linkScope: "cluster",
  }).schedule;
  // a crash or pause of a byzantine replica changes nothing it could not do itself: keep them off it, so the budget goes to correct ones
  const kept = others.filter((e) => !("node" in e.fault) || !turned.has(e.fault.node as NodeId) || !["crash", "restart", "pause", "resume"].includes(e.fault.kind));
  return [...byzantine, ...kept].sort((a, b) => a.atMs - b.atMs);
}
