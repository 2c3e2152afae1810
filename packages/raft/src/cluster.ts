import { ConfigError, Simulation, type NodeId, type SimulationConfig } from "@faultline/core";
import { RaftClient, type RaftClientOptions } from "./client/raft-client.js";
import type { RaftConfig } from "./config.js";
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

/** A simulation with a Raft cluster, and typed accessors to its nodes. */
export interface RaftCluster {
  sim: Simulation;
  nodes: NodeId[];
  clients: NodeId[];
  /** The node's behaviour while it is up. */
  node(id: NodeId): RaftNode | undefined;
  /** The client's behaviour. */
  client(id: NodeId): RaftClient | undefined;
  /** The leaders among the running nodes (more than one only across different terms). */
  leaders(): RaftNode[];
}

/** Node ids n1..nN. */
export function raftNodeIds(n: number): NodeId[] {
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new ConfigError("nodes", "must be an integer from 1 to 1000", n);
  return Array.from({ length: n }, (_, i) => `n${i + 1}`);
}

/** Builds a simulation running a Raft cluster (and optional clients) in one call. */
export function raftCluster(options: RaftClusterOptions): RaftCluster {
  const nodes = typeof options.nodes === "object" ? [...options.nodes] : raftNodeIds(options.nodes ?? 3);
  const sim = new Simulation(options.simulation);
  sim.addNodes(nodes, createRaftNode(options.raft));
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
  };
}
