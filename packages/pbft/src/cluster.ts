import {
  AppliedLog, ConfigError, Simulation, clusterNodeIds, replicatedClusterApi, type AppliedCommand, type KvWrite, type NodeId, type ProposeResult,
  type ReplicatedCluster, type SimulationConfig,
} from "@faultline/core";
import { PbftClient, type PbftClientOptions } from "./client/pbft-client.js";
import { clusterShape, type PbftConfig } from "./config.js";
import type { PbftCommand } from "./messages.js";
import { PbftReplica, createPbftReplica } from "./node/replica.js";

/** Options of {@link pbftCluster}. */
export interface PbftClusterOptions {
  /** Cluster size n (at least 3f+1), or explicit replica ids in primary order. @defaultValue 4 */
  nodes?: number | readonly NodeId[];
  /** Options of every replica. */
  pbft?: PbftConfig;
  /** Simulation options (seed, network, trace). */
  simulation: SimulationConfig;
  /** Clients to add (ids c1, c2, ...), with their options minus the history and f (the cluster's are used). */
  clients?: ReadonlyArray<Omit<PbftClientOptions, "history" | "faultTolerance">>;
}

/**
 * A simulation with a PBFT cluster, typed accessors to its replicas, and the kit's test-facing API
 * ({@link ReplicatedCluster}): propose a write to a chosen replica, read each replica's executed commands and
 * persisted size. Faults go through `sim.inject` (a `byzantine` fault switches a replica's behaviour).
 */
export interface PbftCluster extends ReplicatedCluster<KvWrite, PbftCommand> {
  sim: Simulation;
  nodes: NodeId[];
  clients: NodeId[];
  /** f: how many byzantine replicas the cluster tolerates. */
  faultTolerance: number;
  /** The replica's behaviour while it is up. */
  node(id: NodeId): PbftReplica | undefined;
  /** The client's behaviour. */
  client(id: NodeId): PbftClient | undefined;
  /** The primary that most running correct replicas follow in their current view, if any. */
  primary(): NodeId | undefined;
  /**
   * Submits a write to `node` now, as a request of its own: the active primary numbers it (`index` is the
   * sequence number, `term` the view); a backup refuses with NOT_LEADER and the primary it believes in (and,
   * as PBFT's backups do, relays the request to that primary and waits for it: it may still execute); a
   * replica that is down refuses with NODE_DOWN.
   */
  propose(node: NodeId, command: KvWrite): ProposeResult;
  /** Every command `node` executed (null requests included), in sequence order, across its restarts. */
  applied(node: NodeId): readonly AppliedCommand<PbftCommand>[];
}

/** Replica ids n1..nN (core's clusterNodeIds). */
export function pbftNodeIds(n: number): NodeId[] {
  return clusterNodeIds(n);
}

/** Builds a simulation running a PBFT cluster (and optional clients) in one call. @throws ConfigError (n < 3f+1, ...) */
export function pbftCluster(options: PbftClusterOptions): PbftCluster {
  if (options === null || typeof options !== "object") throw new ConfigError("pbftCluster", "must be an options object", options);
  const nodes = typeof options.nodes === "object" ? [...options.nodes] : pbftNodeIds(options.nodes ?? 4);
  const { f } = clusterShape(nodes.length, options.pbft?.faultTolerance);
  const sim = new Simulation(options.simulation);
  const appliedLog = new AppliedLog<PbftCommand>();
  const onExecute = (id: NodeId, seq: number, view: number, command: PbftCommand) => appliedLog.record(id, seq, command, view);
  sim.addNodes(nodes, createPbftReplica({ replicas: nodes, ...options.pbft }, { onExecute }));
  const clients: NodeId[] = [];
  (options.clients ?? []).forEach((c, i) => {
    const id = `c${i + 1}`;
    clients.push(id);
    sim.addClient(id, () => new PbftClient({ ...c, history: sim.history, faultTolerance: f }));
  });
  const node = (id: NodeId) => sim.behavior<PbftReplica>(id);
  return {
    sim, nodes, clients, node, faultTolerance: f,
    client: (id) => sim.behavior<PbftClient>(id),
    primary: () => followedPrimary(nodes.map((id) => node(id)).filter((r): r is PbftReplica => r !== undefined && !r.isByzantine)),
    // each proposal is a request of a client of its own (`propose:<n>`, timestamp 0): no reply goes out
    ...replicatedClusterApi<PbftReplica, PbftCommand>({ sim, nodes, applied: appliedLog, propose: (r, write, requestId) => r.proposeWrite(write, requestId) }),
  };
}

/** The primary of the view most of `replicas` are active in (ties: the highest view). */
function followedPrimary(replicas: readonly PbftReplica[]): NodeId | undefined {
  const votes = new Map<number, number>();
  for (const r of replicas) if (r.active) votes.set(r.view, (votes.get(r.view) ?? 0) + 1);
  let best: [number, number] | undefined;
  for (const [view, count] of votes) if (best === undefined || count > best[1] || (count === best[1] && view > best[0])) best = [view, count];
  return best === undefined ? undefined : replicas[0]!.q.primary(best[0]);
}
