import { registerWorkload, type FaultSchedule, type NetworkConfig, type NodeId, type ScenarioPlan, type Seed, type Simulation, type SwarmOptions } from "@faultline/core";
import { PbftClient } from "../client/pbft-client.js";
import { pbftNodeIds } from "../cluster.js";
import type { PbftConfig } from "../config.js";
import { pbftInvariants } from "../invariants/index.js";
import { createPbftReplica } from "../node/replica.js";
import { linearizableRegisters } from "./checks.js";
import { newWriteCompletes } from "./liveness.js";
import { bugList, clientCount, clusterSize, tolerance, type PbftScenarioOptions } from "./options.js";
import { drawPbftParameters } from "./parameters.js";

/** What one PBFT scenario adds to the common plan. */
export interface PbftPlanSpec {
  /** Safety-phase length, simulated ms. */
  durationMs: number;
  faults?: { swarm: SwarmOptions } | { schedule: FaultSchedule };
  network?: NetworkConfig;
  /** Replica options on top of the scenario options (bugs, checkpoint interval). */
  pbft?: PbftConfig;
  /** Pause between a client's operations. @defaultValue 20 */
  opIntervalMs?: number;
  /** Extra set-up after the clients. */
  setup?(sim: Simulation, nodes: readonly NodeId[]): void;
  /** Simulated ms the liveness phase gets. @defaultValue 20000 */
  livenessMs?: number;
  /** Exploration: with this seed, the options `parameterSwarm` and `buggify` take effect. @defaultValue none */
  explore?: { seed: Seed };
  /** Wraps the replica factory (twins). */
  wrapBehavior?(factory: (id: NodeId) => unknown): (id: NodeId) => unknown;
}

/** The default network: 1-10 ms uniform latency, no loss. */
export const DEFAULT_PBFT_NETWORK: NetworkConfig = { default: { latency: { kind: "uniform", minMs: 1, maxMs: 10 } } };

/**
 * The plan every PBFT scenario shares: n = 3f+1 replicas with the options' bugs, `clients` clients running a
 * register workload (read, write, cas on three keys) into `sim.history`, every PBFT invariant among the
 * correct replicas, the liveness phase (a new write completes within 20 s of healing) and the
 * linearizability check of the history.
 */
export function pbftPlan(options: PbftScenarioOptions, spec: PbftPlanSpec): ScenarioPlan {
  const nodes = pbftNodeIds(clusterSize(options));
  const f = tolerance(nodes.length);
  const clients = clientCount(options);
  const bugs = bugList(options);
  const given: PbftConfig = options.checkpointInterval !== undefined ? { checkpointInterval: options.checkpointInterval } : {};
  const fixed = { ...given, ...spec.pbft };
  const drawn = spec.explore !== undefined && options.parameterSwarm === true ? drawPbftParameters(spec.explore.seed, fixed) : undefined;
  const config: PbftConfig = { ...drawn?.pbft, ...fixed, replicas: nodes, faultTolerance: f, bugs };
  if (fixed.checkpointInterval !== undefined && fixed.watermarkWindow === undefined) config.watermarkWindow = 2 * fixed.checkpointInterval;
  const replicas = createPbftReplica(config);
  const behavior = spec.wrapBehavior !== undefined ? spec.wrapBehavior(replicas) : replicas;
  const opIntervalMs = spec.opIntervalMs ?? 20;
  return {
    nodes,
    behavior: behavior as ScenarioPlan["behavior"],
    network: spec.network ?? DEFAULT_PBFT_NETWORK,
    faults: spec.faults,
    durationMs: spec.durationMs,
    invariants: pbftInvariants(),
    setup(sim) {
      const workload = registerWorkload({ keys: 3, readRatio: 0.4, casRatio: 0.3 });
      for (let i = 1; i <= clients; i++) {
        sim.addClient(`c${i}`, () => new PbftClient({
          history: sim.history, workload, faultTolerance: f, opIntervalMs, requestTimeoutMs: 400, acceptFirstReply: bugs.includes("acceptFirstReply"),
        }));
      }
      spec.setup?.(sim, nodes);
    },
    liveness: newWriteCompletes(f, spec.livenessMs ?? 20_000),
    checks: clients > 0 ? [linearizableRegisters] : [],
    ...(drawn !== undefined ? { parameters: drawn.drawn } : {}),
    ...(spec.explore !== undefined && options.buggify === true ? { buggify: { enabled: true } } : {}),
  };
}
