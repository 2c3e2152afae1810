import {
  AppliedLog, ConfigError, Simulation, WorkloadClient, proposeOn, type AppliedCommand, type NodeId, type ProposeResult, type ReplicatedCluster,
  type SimulationConfig, type WorkloadClientOptions,
} from "@faultline/core";
import type { Dot } from "../conflict/version-vector.js";
import { quorumClientAdapter } from "./client.js";
import { resolveQuorumConfig, type QuorumConfig, type ResolvedQuorumConfig } from "./config.js";
import type { QuorumWrite } from "./data-types.js";
import type { QuorumMessage } from "./messages.js";
import { QuorumNode } from "./node.js";

/** Options of {@link quorumCluster}. */
export interface QuorumClusterOptions {
  /** Node count (ids n1..nN) or explicit ids. @defaultValue 5 */
  nodes?: number | readonly NodeId[];
  /** Node options (the ring's nodes are filled in from `nodes`). */
  config?: Omit<QuorumConfig, "nodes">;
  simulation: SimulationConfig;
  /** Clients to add (ids c1, c2, ...): core's WorkloadClient with the quorum adapter. */
  clients?: ReadonlyArray<Omit<WorkloadClientOptions<QuorumMessage>, "history" | "adapter">>;
}

/** One write a node coordinated: its key, dot and operation. */
export interface CoordinatedWrite {
  key: string;
  dot: Dot;
  op: QuorumWrite;
}

/**
 * A Dynamo-style cluster in a simulation, with the kit's test-facing API. A leaderless store has no log: a
 * proposal is a write coordinated by the node it is given to (a replica of its key), `index` is the write's
 * dot counter, and `applied(node)` lists the writes the node coordinated, in dot order.
 */
export interface QuorumCluster extends ReplicatedCluster<QuorumWrite, CoordinatedWrite> {
  sim: Simulation;
  nodes: NodeId[];
  clients: NodeId[];
  config: ResolvedQuorumConfig;
  node(id: NodeId): QuorumNode | undefined;
}

/** Node ids n1..nN. */
export function quorumNodeIds(n: number): NodeId[] {
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new ConfigError("nodes", "must be an integer from 1 to 1000", n);
  return Array.from({ length: n }, (_, i) => `n${i + 1}`);
}

/** Builds a simulation running a quorum store (and clients) in one call. */
export function quorumCluster(options: QuorumClusterOptions): QuorumCluster {
  if (options === null || typeof options !== "object") throw new ConfigError("quorumCluster", "must be an options object", options);
  const nodes = typeof options.nodes === "object" ? [...options.nodes] : quorumNodeIds(options.nodes ?? 5);
  const config = resolveQuorumConfig({ ...options.config, nodes });
  const sim = new Simulation(options.simulation);
  const coordinated = new AppliedLog<CoordinatedWrite>();
  sim.addNodes(nodes, () => new QuorumNode(config, { onCoordinated: (id, key, dot, op) => coordinated.record(id, dot.counter, { key, dot, op }) }));
  const clients = (options.clients ?? []).map((c, i) => {
    const id = `c${i + 1}`;
    sim.addClient(id, () => new WorkloadClient<QuorumMessage>({ ...c, history: sim.history, adapter: quorumClientAdapter() }));
    return id;
  });
  const member = (id: NodeId, field: string) => {
    if (!nodes.includes(id)) throw new ConfigError(field, `must be a node of this cluster (${nodes.join(", ")})`, id);
    return id;
  };
  let proposals = 0;
  return {
    sim, nodes, clients, config,
    node: (id) => sim.behavior<QuorumNode>(id),
    propose: (id, write): ProposeResult => {
      const requestId = `propose:${++proposals}`;
      return proposeOn<QuorumNode, QuorumWrite>(sim, member(id, "propose.node"), write, (n, w) => n.proposeWrite(w, requestId));
    },
    applied: (id): readonly AppliedCommand<CoordinatedWrite>[] => coordinated.of(member(id, "applied.node")),
    persistedBytes: (id) => sim.storage(id).syncedBytes(),
  };
}
