import type { NetworkConfig } from "@faultline/core";
import { raftCluster, type RaftCluster, type RaftClusterOptions, type RaftNode } from "../../src/index.js";

/** A reliable network: 1..5 ms latency, no loss. */
export const RELIABLE: NetworkConfig = { default: { latency: { kind: "uniform", minMs: 1, maxMs: 5 } } };

export function cluster(seed: number, opts: Partial<RaftClusterOptions> = {}): RaftCluster {
  return raftCluster({ nodes: 3, ...opts, simulation: { seed, network: RELIABLE, ...opts.simulation } });
}

/** Runs until `pred` holds or `withinMs` more simulated ms pass; returns whether it held. */
export function runUntil(c: RaftCluster, withinMs: number, pred: () => boolean): boolean {
  const out = c.sim.run({ untilMs: c.sim.nowUs / 1000 + withinMs, until: () => pred() });
  if (out.kind !== "ok") throw new Error(`run ended with ${out.kind}: ${out.message}`);
  return pred();
}

/** The single leader of the highest term among running nodes, if any. */
export function leaderOf(c: RaftCluster): RaftNode | undefined {
  const leaders = c.leaders();
  if (leaders.length === 0) return undefined;
  return leaders.reduce((a, b) => (b.currentTerm > a.currentTerm ? b : a));
}

export function up(c: RaftCluster): RaftNode[] {
  return c.nodes.filter((id) => c.sim.isUp(id)).map((id) => c.node(id)!);
}
