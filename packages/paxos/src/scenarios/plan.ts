import { kvWorkload, type FaultSchedule, type NetworkConfig, type NodeId, type ScenarioPlan, type Seed, type Simulation, type SwarmOptions } from "@faultline/core";
import { paxosClient } from "../client/paxos-client.js";
import { paxosNodeIds } from "../cluster.js";
import type { PaxosConfig } from "../config.js";
import { paxosInvariants } from "../invariants/index.js";
import { createPaxosNode } from "../node/paxos-node.js";
import { ExecutionRecord, linearizableKv } from "./checks.js";
import { newWriteCommits, type NewWriteOptions } from "./liveness.js";
import { bugList, clientCount, clusterSize, type PaxosScenarioOptions } from "./options.js";
import { drawPaxosParameters } from "./parameters.js";

/** What one Paxos scenario adds to the common plan. */
export interface PaxosPlanSpec {
  /** Safety-phase length, simulated ms. */
  durationMs: number;
  faults?: { swarm: SwarmOptions } | { schedule: FaultSchedule };
  network?: NetworkConfig;
  /** Node options on top of the scenario options (bugs, window, compaction). */
  paxos?: PaxosConfig;
  /** Pause between a client's operations. @defaultValue 20 */
  opIntervalMs?: number;
  /** How long a client waits for an answer before it retries elsewhere. @defaultValue 400 */
  requestTimeoutMs?: number;
  /** The longest backoff between a client's retries. @defaultValue 1000 */
  retryMaxDelayMs?: number;
  /** Share of reads in the clients' workload. @defaultValue 0.4 */
  getRatio?: number;
  /** How many of the clients only read (the others run the mixed workload). @defaultValue 0 */
  readOnlyClients?: number;
  /** Extra set-up after the clients (a nemesis, dueling proposers). */
  setup?(sim: Simulation, nodes: readonly NodeId[]): void;
  /** Simulated ms the liveness phase gets. @defaultValue 5000 */
  livenessMs?: number;
  /** What the liveness phase asks beyond a leader and a new write (a stable leader), and what it starts with. */
  liveness?: NewWriteOptions;
  /**
   * Exploration (the swarm scenario): with this seed, the options `parameterSwarm` (draw the node knobs for the
   * seed, explicit options win) and `buggify` (turn buggify on) take effect. @defaultValue none: fixed knobs, no buggify
   */
  explore?: { seed: Seed };
}

/** The default network: 1-10 ms uniform latency, no loss. */
export const DEFAULT_PAXOS_NETWORK: NetworkConfig = { default: { latency: { kind: "uniform", minMs: 1, maxMs: 10 } } };

/**
 * The plan every Paxos scenario shares: n nodes with the options' bugs and knobs, `clients` clients running
 * core's key-value workload (gets and puts of unique tokens over three keys) into `sim.history`, every Paxos
 * invariant, the liveness phase (a leader and a new applied write within 5 s of healing), and the end-of-run
 * checks: linearizability of the history, and exactly-once execution on every replica.
 */
export function paxosPlan(options: PaxosScenarioOptions, spec: PaxosPlanSpec): ScenarioPlan {
  const nodes = paxosNodeIds(clusterSize(options));
  const clients = clientCount(options);
  // options the user gave (or the scenario's docs defaulted) win over the parameter swarm's draws
  const given: PaxosConfig = {};
  if (options.windowSlots !== undefined) given.windowSlots = options.windowSlots;
  if (options.snapshotThresholdSlots !== undefined) given.snapshotThresholdSlots = options.snapshotThresholdSlots;
  const fixed = { ...given, ...spec.paxos };
  const drawn = spec.explore !== undefined && options.parameterSwarm === true ? drawPaxosParameters(spec.explore.seed, fixed) : undefined;
  const paxos: PaxosConfig = { windowSlots: 16, snapshotThresholdSlots: 1000, ...drawn?.paxos, ...fixed, bugs: bugList(options) };
  const executions = new ExecutionRecord();
  return {
    nodes,
    behavior: createPaxosNode(paxos, executions.hooks),
    network: spec.network ?? DEFAULT_PAXOS_NETWORK,
    faults: spec.faults,
    durationMs: spec.durationMs,
    invariants: paxosInvariants(),
    setup(sim) {
      // one workload for all clients: its tokens are unique across them, so every write is told apart
      const mixed = kvWorkload({ keys: 3, getRatio: spec.getRatio ?? 0.4, appendRatio: 0 });
      const reads = kvWorkload({ keys: 3, getRatio: 1 });
      const readers = spec.readOnlyClients ?? 0;
      for (let i = 1; i <= clients; i++) {
        const workload = i <= readers ? reads : mixed;
        const opIntervalMs = spec.opIntervalMs ?? 20;
        sim.addClient(`c${i}`, () => paxosClient({ history: sim.history, workload, opIntervalMs, requestTimeoutMs: spec.requestTimeoutMs ?? 400, retry: { maxDelayMs: spec.retryMaxDelayMs ?? 1000 } }));
      }
      spec.setup?.(sim, nodes);
    },
    liveness: newWriteCommits(spec.livenessMs ?? 5000, spec.liveness),
    checks: [...(clients > 0 ? [linearizableKv] : []), function exactlyOnce() { return executions.check(); }],
    ...(drawn !== undefined ? { parameters: drawn.drawn } : {}),
    ...(spec.explore !== undefined && options.buggify === true ? { buggify: { enabled: true } } : {}),
  };
}
