import {
  AppliedLog, ConfigError, Simulation, clusterNodeIds, replicatedClusterApi, type AppliedCommand, type KvWrite, type NodeId, type ProposeResult,
  type ReplicatedCluster, type SimulationConfig,
} from "@faultline/core";
import { RaftClient, type RaftClientOptions } from "./client/raft-client.js";
import type { RaftConfig } from "./config.js";
import type { RaftCommand } from "./messages.js";
import { RaftNode, createRaftNode } from "./node/raft-node.js";

/** Options of {@link raftCluster}. */
export interface RaftClusterOptions {
  /** Cluster size (1..1000), or explicit node ids. @defaultValue 3 */
  nodes?: number | readonly NodeId[];
  /** Options of every node. */
  raft?: RaftConfig;
  /** Simulation options (seed, network, trace). */
  simulation: SimulationConfig;
  /** Clients to add (ids c1, c2, ...), with their options minus the history (the simulation's is used). */
  clients?: ReadonlyArray<Omit<RaftClientOptions, "history">>;
}

/**
 * A simulation with a Raft cluster, typed accessors to its nodes, and the kit's test-facing API
 * ({@link ReplicatedCluster}): propose a write to a chosen node, read each node's applied commands and
 * persisted size. Message counts are on `sim.messages`; faults go through `sim.inject`.
 */
export interface RaftCluster extends ReplicatedCluster<KvWrite, RaftCommand> {
  sim: Simulation;
  nodes: NodeId[];
  clients: NodeId[];
  /** The node's behaviour while it is up. */
  node(id: NodeId): RaftNode | undefined;
  /** The client's behaviour. */
  client(id: NodeId): RaftClient | undefined;
  /** The leaders among the running nodes (more than one only across different terms). */
  leaders(): RaftNode[];
  /**
   * Submits a client write to `node` now: a leader appends it (index and term); any other node refuses with
   * NOT_LEADER and its leader hint; a node that is down refuses with NODE_DOWN. Each proposal gets a fresh
   * request id (`propose:<n>`), so equal writes are distinct commands.
   */
  propose(node: NodeId, command: KvWrite): ProposeResult;
  /** Every command `node` applied (noops and configuration entries included), in index order, across its restarts. */
  applied(node: NodeId): readonly AppliedCommand<RaftCommand>[];
}

/** Node ids n1..nN. */
export const raftNodeIds: (n: number) => NodeId[] = clusterNodeIds;

/** Builds a simulation running a Raft cluster (and optional clients) in one call. */
export function raftCluster(options: RaftClusterOptions): RaftCluster {
  if (options === null || typeof options !== "object") throw new ConfigError("raftCluster", "must be an options object", options);
  const nodes = typeof options.nodes === "object" ? [...options.nodes] : raftNodeIds(options.nodes ?? 3);
  const sim = new Simulation(options.simulation);
  const appliedLog = new AppliedLog<RaftCommand>();
  sim.addNodes(nodes, createRaftNode(options.raft, { onApply: (id, index, term, command) => appliedLog.record(id, index, command, term) }));
  const clients: NodeId[] = [];
  (options.clients ?? []).forEach((c, i) => {
    const id = `c${i + 1}`;
    clients.push(id);
    sim.addClient(id, () => new RaftClient({ ...c, history: sim.history }));
  });
  const node = (id: NodeId) => sim.behavior<RaftNode>(id);
  return {
    sim, nodes, clients, node,
    client: (id) => sim.behavior<RaftClient>(id),
    leaders: () => nodes.filter((id) => sim.isUp(id)).map((id) => node(id)!).filter((n) => n.isLeader()),
    ...replicatedClusterApi<RaftNode, RaftCommand>({ sim, nodes, applied: appliedLog, propose: (n, write, requestId) => n.proposeWrite(write, requestId) }),
  };
}
