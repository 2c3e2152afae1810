import { registerWorkload, type NetworkConfig, type NodeId, type RunOutcome } from "@faultline/core";
import { pbftCluster, type PbftCluster } from "../../src/cluster.js";
import type { PbftConfig } from "../../src/config.js";
import { pbftInvariants } from "../../src/invariants/index.js";

/** Options of a hand-driven test cluster. */
export interface TestClusterOptions {
  nodes?: number;
  seed?: number;
  pbft?: PbftConfig;
  network?: NetworkConfig;
  /** Clients running a register workload. @defaultValue 0 */
  clients?: number;
}

/** A PBFT cluster with every invariant on, driven from a test. */
export function cluster(o: TestClusterOptions = {}): PbftCluster {
  const workload = registerWorkload({ keys: 3 });
  const c = pbftCluster({
    nodes: o.nodes ?? 4,
    pbft: o.pbft,
    simulation: { seed: o.seed ?? 1, network: o.network ?? { default: { latency: { kind: "uniform", minMs: 1, maxMs: 5 } } } },
    clients: Array.from({ length: o.clients ?? 0 }, () => ({ workload, opIntervalMs: 5, requestTimeoutMs: 300 })),
  });
  for (const inv of pbftInvariants()) c.sim.addInvariant(inv);
  return c;
}

/** Runs for `ms` more simulated milliseconds; fails the test on any non-ok outcome. */
export function runFor(c: PbftCluster, ms: number): RunOutcome {
  const outcome = c.sim.run({ untilMs: c.sim.nowUs / 1000 + ms });
  if (outcome.kind !== "ok") throw new Error(`run ended ${outcome.kind}: ${outcome.invariant ?? ""} ${outcome.message} (seed ${outcome.seed})`);
  return outcome;
}

/** Runs until `cond` holds or `ms` pass; returns whether it held. */
export function runUntil(c: PbftCluster, ms: number, cond: () => boolean): boolean {
  const outcome = c.sim.run({ untilMs: c.sim.nowUs / 1000 + ms, until: cond });
  if (outcome.kind !== "ok") throw new Error(`run ended ${outcome.kind}: ${outcome.invariant ?? ""} ${outcome.message}`);
  return cond();
}

/** The last sequence number each replica executed. */
export function executed(c: PbftCluster, ids: readonly NodeId[] = c.nodes): number[] {
  return ids.map((id) => c.node(id)?.lastExecuted ?? -1);
}

/** Operations the clients completed (ok or a failed compare). */
export function completed(c: PbftCluster): number {
  return c.clients.reduce((n, id) => n + (c.client(id)?.completed.ok ?? 0) + (c.client(id)?.completed.fail ?? 0), 0);
}
