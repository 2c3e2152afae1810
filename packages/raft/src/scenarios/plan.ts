import type { NetworkConfig, NodeId, ScenarioPlan, Seed, Simulation, SwarmOptions, FaultSchedule } from "@faultline/core";
import { RaftClient } from "../client/raft-client.js";
import { kvWorkload } from "../client/workload.js";
import type { RaftConfig } from "../config.js";
import { raftInvariants } from "../invariants/index.js";
import { createRaftNode } from "../node/raft-node.js";
import { raftNodeIds } from "../cluster.js";
import { linearizableKv } from "./checks.js";
import { newWriteCommits } from "./liveness.js";
import { drawRaftParameters } from "./parameters.js";
import { bugList, clientCount, clusterSize, type RaftScenarioOptions } from "./options.js";

/** What one Raft scenario adds to the common plan. */
export interface RaftPlanSpec {
  /** Safety-phase length, simulated ms. */
  durationMs: number;
  faults?: { swarm: SwarmOptions } | { schedule: FaultSchedule };
  network?: NetworkConfig;
  /** Node options on top of the scenario options (bugs, preVote, checkQuorum, batch size). */
  raft?: RaftConfig;
  /** Pause between a client's operations. @defaultValue 20 */
  opIntervalMs?: number;
  /** Extra set-up after the clients (a nemesis, hooks). */
  setup?(sim: Simulation, nodes: readonly NodeId[]): void;
  /** Simulated ms the liveness phase gets. @defaultValue 5000 */
  livenessMs?: number;
  /**
   * Exploration (the swarm scenarios): with this seed, the options `parameterSwarm` (draw Raft's knobs for the
   * seed, explicit options win) and `buggify` (turn buggify on) take effect. @defaultValue none: fixed knobs, no buggify
   */
  explore?: { seed: Seed };
}

/** The default network: 1-10 ms uniform latency, no loss. */
export const DEFAULT_RAFT_NETWORK: NetworkConfig = { default: { latency: { kind: "uniform", minMs: 1, maxMs: 10 } } };

/**
 * The plan every Raft scenario shares: n nodes with the options' bugs and features, `clients` clients running
 * a get/put/cas workload into `sim.history`, every Raft invariant, the liveness phase (a leader and a new
 * committed write within 5 s of healing), and the linearizability check of the history.
 */
export function raftPlan(options: RaftScenarioOptions, spec: RaftPlanSpec): ScenarioPlan {
  const nodes = raftNodeIds(clusterSize(options));
  const clients = clientCount(options);
  // options the user gave (or the scenario's docs defaulted) win over the parameter swarm's draws
  const given: RaftConfig = {};
  if (options.preVote !== undefined) given.preVote = options.preVote;
  if (options.checkQuorum !== undefined) given.checkQuorum = options.checkQuorum;
  if (options.maxEntriesPerAppend !== undefined) given.maxEntriesPerAppend = options.maxEntriesPerAppend;
  const fixed = { ...given, ...spec.raft };
  const drawn = spec.explore !== undefined && options.parameterSwarm === true ? drawRaftParameters(spec.explore.seed, fixed) : undefined;
  const raft: RaftConfig = {
    preVote: true, checkQuorum: true, maxEntriesPerAppend: 64,
    ...drawn?.raft,
    ...fixed,
    bugs: bugList(options),
  };
  const behavior = createRaftNode(raft);
  const opIntervalMs = spec.opIntervalMs ?? 20;
  return {
    nodes,
    behavior,
    network: spec.network ?? DEFAULT_RAFT_NETWORK,
    faults: spec.faults,
    durationMs: spec.durationMs,
    invariants: raftInvariants(),
    setup(sim) {
      for (let i = 1; i <= clients; i++) {
        const workload = kvWorkload({ opsPerClient: 100_000 });
        sim.addClient(`c${i}`, () => new RaftClient({ history: sim.history, workload, opIntervalMs, requestTimeoutMs: 400, retry: { maxDelayMs: 1000 } }));
      }
      spec.setup?.(sim, nodes);
    },
    liveness: newWriteCommits(spec.livenessMs ?? 5000),
    checks: clients > 0 ? [linearizableKv] : [],
    ...(drawn !== undefined ? { parameters: drawn.drawn } : {}),
    ...(spec.explore !== undefined && options.buggify === true ? { buggify: { enabled: true } } : {}),
  };
}
