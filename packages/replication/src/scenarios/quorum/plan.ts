import {
  WorkloadClient, type CheckVerdict, type LivenessSpec, type NodeId, type ScenarioOptionDoc, type ScenarioPlan, type Seed, type Simulation,
  type SwarmFaultFamily, type WorkloadOp,
} from "@faultline/core";
import { quorumInvariants } from "../../invariants/quorum.js";
import { inspectAs } from "../../invariants/step-log.js";
import { checkLwwStaleReads, checkQuorumConvergence, checkReadsSeeAcknowledgedWrites } from "../../quorum/checks.js";
import { quorumClientAdapter } from "../../quorum/client.js";
import { quorumNodeIds } from "../../quorum/cluster.js";
import { resolveQuorumConfig, type QuorumStoreType, type ResolvedQuorumConfig } from "../../quorum/config.js";
import type { QuorumInspection } from "../../quorum/inspect.js";
import type { QuorumMessage } from "../../quorum/messages.js";
import { QuorumNode } from "../../quorum/node.js";
import { DEFAULT_NETWORK, bugList, clientCount, commonOptionDocs, okCounter, untilPhaseEnds, type ReplicationScenarioOptions } from "../common.js";
import { drawQuorumParameters } from "./parameters.js";

/** Options of the quorum scenarios. */
export interface QuorumScenarioOptions extends ReplicationScenarioOptions {
  /** Nodes on the ring (N = 3 of them replicate each key). */
  nodes?: number;
  readQuorum?: number;
  writeQuorum?: number;
}

/** What one quorum scenario adds to the common plan. */
export interface QuorumPlanSpec {
  dataType: QuorumStoreType;
  durationMs: number;
  faultWindowMs: number;
  families: readonly SwarmFaultFamily[];
  /** A client's n-th operation. */
  workload(client: string): (random: () => number, n: number) => WorkloadOp;
  /** The liveness phase's write (then a read of the same key). */
  livenessWrite: WorkloadOp;
  /** More end-of-run checks (given the resolved configuration). */
  checks?(config: ResolvedQuorumConfig): Array<(sim: Simulation) => CheckVerdict>;
}

export const QUORUM_LIVENESS_CLIENT = "liveness";

/** The option docs of a quorum scenario. */
export function quorumOptionDocs(): Record<string, ScenarioOptionDoc> {
  return {
    nodes: { description: "nodes on the ring (each key has N = 3 replicas; the others stand in for them with hints)", default: 5, type: "number", values: [3, 4, 5, 6, 7] },
    ...commonOptionDocs(),
    readQuorum: { description: "R (1 to 3; drawn per seed when parameterSwarm is on, else 2)", default: undefined, type: "number", values: [1, 2, 3] },
    writeQuorum: { description: "W (1 to 3; drawn per seed when parameterSwarm is on, else 2)", default: undefined, type: "number", values: [1, 2, 3] },
  };
}

/**
 * The plan every quorum scenario shares: the ring, clients running the scenario's workload until the safety
 * phase ends, the strong-eventual-consistency invariant, the liveness phase (after healing: a new write and a
 * read complete, every hint is handed over, and the replicas of every key converge), and the checks: the
 * replicas' convergence always, and read freshness when the configuration advertises it (R + W > N).
 */
export function quorumPlan(seed: Seed, options: QuorumScenarioOptions, spec: QuorumPlanSpec): ScenarioPlan {
  const nodes = quorumNodeIds(options.nodes ?? 5);
  const fixed: Record<string, unknown> = {};
  if (options.readQuorum !== undefined) fixed.readQuorum = options.readQuorum;
  if (options.writeQuorum !== undefined) fixed.writeQuorum = options.writeQuorum;
  const drawn = options.parameterSwarm === false ? undefined : drawQuorumParameters(seed, fixed);
  const config = resolveQuorumConfig({ ...drawn?.config, ...fixed, nodes, replicationFactor: Math.min(3, nodes.length), dataType: spec.dataType, bugs: bugList(options) });
  const clients = clientCount(options);
  const checks: Array<(sim: Simulation) => CheckVerdict> = [(sim) => checkQuorumConvergence(sim, nodes)];
  if (config.strong) checks.push((sim) => checkReadsSeeAcknowledgedWrites(sim.history));
  if (config.strong && spec.dataType === "lww") checks.push((sim) => checkLwwStaleReads(sim.history));
  checks.push(...(spec.checks?.(config) ?? []));
  return {
    nodes,
    behavior: () => new QuorumNode(config),
    network: DEFAULT_NETWORK,
    durationMs: spec.durationMs,
    faults: { swarm: { faultWindowMs: spec.faultWindowMs, maxDown: Math.min(2, nodes.length - 1), families: spec.families } },
    invariants: quorumInvariants(nodes),
    setup(sim) {
      for (let i = 1; i <= clients; i++) {
        const id = `c${i}`;
        const workload = untilPhaseEnds(sim, spec.durationMs, spec.workload(id));
        // counters are not idempotent: a retry at another coordinator would count twice, so CRDT clients do not retry
        const retry = spec.dataType === "crdt" ? { maxAttempts: 1 } : { maxAttempts: 10, initialDelayMs: 20, maxDelayMs: 300 };
        sim.addClient(id, () => new WorkloadClient<QuorumMessage>({ history: sim.history, workload, adapter: quorumClientAdapter(), opIntervalMs: 15, requestTimeoutMs: 500, retry }));
      }
    },
    liveness: quorumLiveness(nodes, spec.livenessWrite),
    checks,
    ...(drawn !== undefined ? { parameters: drawn.drawn } : {}),
    ...(options.buggify !== false ? { buggify: { enabled: true } } : {}),
  };
}

/** After healing: a new write and a read of it complete, no node keeps a hint, and every key's replicas agree. */
export function quorumLiveness(nodes: readonly NodeId[], write: WorkloadOp, withinMs = 10_000): LivenessSpec {
  const completed = okCounter(QUORUM_LIVENESS_CLIENT);
  return {
    withinMs,
    describe: "a new write and read completed, every hint handed over, every key's replicas converged",
    begin(sim) {
      const client = new WorkloadClient<QuorumMessage>({ history: sim.history, adapter: quorumClientAdapter(), requestTimeoutMs: 500, retry: { maxAttempts: 100, initialDelayMs: 20, maxDelayMs: 300 } });
      client.submit(write);
      client.submit({ f: "get", key: write.key! });
      sim.addClient(QUORUM_LIVENESS_CLIENT, () => client);
    },
    progress(view) {
      if (completed(view) < 2) return false;
      const all = nodes.map((n) => inspectAs<QuorumInspection>(view, n));
      if (all.some((i) => i === undefined || i.hints > 0 || i.inflight > 0)) return false;
      return checkQuorumConvergence(view, nodes).kind === "ok";
    },
  };
}
