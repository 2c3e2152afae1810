import {
  AppliedLog, ConfigError, Simulation, clusterNodeIds, replicatedClusterApi, type AppliedCommand, type KvWrite, type NodeId, type ProposeResult,
  type ReplicatedCluster, type SimulationConfig, type WorkloadClient,
} from "@faultline/core";
import { paxosClient, type PaxosClientOptions } from "./client/paxos-client.js";
import type { PaxosConfig } from "./config.js";
import type { PaxosCommand, PaxosMessage } from "./messages.js";
import { PaxosNode, createPaxosNode } from "./node/paxos-node.js";

/** Options of {@link paxosCluster}. */
export interface PaxosClusterOptions {
  /** Cluster size (1..1000), or explicit node ids. @defaultValue 3 */
  nodes?: number | readonly NodeId[];
  /** Options of every node. */
  paxos?: PaxosConfig;
  /** Simulation options (seed, network, trace). */
  simulation: SimulationConfig;
  /** Clients to add (ids c1, c2, ...), with their options minus the history (the simulation's is used). */
  clients?: ReadonlyArray<Omit<PaxosClientOptions, "history">>;
}

/**
 * A simulation with a Multi-Paxos cluster, typed accessors to its nodes, and the kit's test-facing API
 * ({@link ReplicatedCluster}): propose a write to a chosen node, read each node's applied commands and
 * persisted size. Message counts are on `sim.messages`; faults go through `sim.inject`.
 */
export interface PaxosCluster extends ReplicatedCluster<KvWrite, PaxosCommand> {
  sim: Simulation;
  nodes: NodeId[];
  clients: NodeId[];
  /** The node's behaviour while it is up. */
  node(id: NodeId): PaxosNode | undefined;
  /** The client's behaviour. */
  client(id: NodeId): WorkloadClient<PaxosMessage> | undefined;
  /** The leaders among the running nodes (more than one only with different ballots: a deposed one may not know yet). */
  leaders(): PaxosNode[];
  /**
   * Submits a client write to `node` now: a leader puts it in its next slot (slot, and ballot round as `term`);
   * any other node refuses with NOT_LEADER and the leader it follows; a node that is down with NODE_DOWN. Each
   * proposal gets a fresh request id (`propose:<n>`), so equal writes are distinct commands.
   */
  propose(node: NodeId, command: KvWrite): ProposeResult;
  /** Every command `node` applied (no-ops and reads included), by slot, across its restarts. */
  applied(node: NodeId): readonly AppliedCommand<PaxosCommand>[];
}

/** Node ids n1..nN. */
export const paxosNodeIds: (n: number) => NodeId[] = clusterNodeIds;

/** Builds a simulation running a Multi-Paxos cluster (and optional clients) in one call. */
export function paxosCluster(options: PaxosClusterOptions): PaxosCluster {
  if (options === null || typeof options !== "object") throw new ConfigError("paxosCluster", "must be an options object", options);
  const nodes = typeof options.nodes === "object" ? [...options.nodes] : paxosNodeIds(options.nodes ?? 3);
  const sim = new Simulation(options.simulation);
  const appliedLog = new AppliedLog<PaxosCommand>();
  sim.addNodes(nodes, createPaxosNode(options.paxos, { onApply: (id, slot, round, command) => appliedLog.record(id, slot, command, round) }));
  const clients = (options.clients ?? []).map((c, i) => {
    const id = `c${i + 1}`;
    sim.addClient(id, () => paxosClient({ ...c, history: sim.history }));
    return id;
  });
  const node = (id: NodeId) => sim.behavior<PaxosNode>(id);
  return {
    sim, nodes, clients, node,
    client: (id) => sim.behavior<WorkloadClient<PaxosMessage>>(id),
    leaders: () => nodes.filter((id) => sim.isUp(id)).map((id) => node(id)!).filter((n) => n.isLeader()),
    ...replicatedClusterApi<PaxosNode, PaxosCommand>({ sim, nodes, applied: appliedLog, propose: (n, write, requestId) => n.proposeWrite(write, requestId) }),
  };
}
