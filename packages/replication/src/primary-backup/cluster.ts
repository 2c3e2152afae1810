import {
  AppliedLog, ConfigError, Simulation, WorkloadClient, kvClientAdapter, proposeOn, type AppliedCommand, type KvWrite, type NodeId, type ProposeResult,
  type ReplicatedCluster, type SimulationConfig, type WorkloadClientOptions,
} from "@faultline/core";
import { resolvePrimaryBackupConfig, type PrimaryBackupConfig, type ResolvedPrimaryBackupConfig } from "./config.js";
import type { PbEntry, PbMessage } from "./messages.js";
import { FailoverMonitor } from "./monitor.js";
import { PbReplica, createPbReplica } from "./replica.js";

/** The id of the failover monitor in a primary-backup cluster. */
export const MONITOR_ID = "monitor";

/** Options of {@link primaryBackupCluster}. */
export interface PrimaryBackupClusterOptions {
  /** Replica count (ids n1..nN, 2 to 100) or explicit ids. @defaultValue 3 */
  replicas?: number | readonly NodeId[];
  /** Whether a failover monitor runs (node id "monitor"). Without it, nobody fails over. @defaultValue true */
  monitor?: boolean;
  /** Replica and monitor options (the replicas are filled in from `replicas`). */
  config?: Omit<PrimaryBackupConfig, "replicas">;
  simulation: SimulationConfig;
  /** Clients to add (ids c1, c2, ...): core's WorkloadClient with the key-value adapter. */
  clients?: ReadonlyArray<Omit<WorkloadClientOptions<PbMessage>, "history" | "adapter">>;
}

/** A primary-backup cluster in a simulation, with the kit's test-facing API. */
export interface PrimaryBackupCluster extends ReplicatedCluster<KvWrite, PbEntry> {
  sim: Simulation;
  /** Every cluster node: the replicas, then the monitor (if any). */
  nodes: NodeId[];
  replicas: NodeId[];
  clients: NodeId[];
  config: ResolvedPrimaryBackupConfig;
  /** The replica's behaviour while it is up. */
  replica(id: NodeId): PbReplica | undefined;
  monitor(): FailoverMonitor | undefined;
  /** The running replicas that are primary of some epoch (more than one only across epochs). */
  primaries(): NodeId[];
}

/** Replica ids n1..nN. */
export function replicaIds(n: number): NodeId[] {
  if (!Number.isInteger(n) || n < 2 || n > 100) throw new ConfigError("replicas", "must be an integer from 2 to 100", n);
  return Array.from({ length: n }, (_, i) => `n${i + 1}`);
}

/** Builds a simulation running primary-backup replicas (and their monitor and clients) in one call. */
export function primaryBackupCluster(options: PrimaryBackupClusterOptions): PrimaryBackupCluster {
  if (options === null || typeof options !== "object") throw new ConfigError("primaryBackupCluster", "must be an options object", options);
  const replicas = typeof options.replicas === "object" ? [...options.replicas] : replicaIds(options.replicas ?? 3);
  const config = resolvePrimaryBackupConfig({ ...options.config, replicas });
  const sim = new Simulation(options.simulation);
  const appliedLog = new AppliedLog<PbEntry>();
  sim.addNodes(replicas, createPbReplica(config, { onApply: (id, index, entry) => appliedLog.record(id, index, entry, entry.epoch) }));
  const withMonitor = options.monitor ?? true;
  if (withMonitor) sim.addNode(MONITOR_ID, () => new FailoverMonitor(config));
  const clients = (options.clients ?? []).map((c, i) => {
    const id = `c${i + 1}`;
    sim.addClient(id, () => new WorkloadClient<PbMessage>({ ...c, history: sim.history, adapter: kvClientAdapter<PbMessage>() }));
    return id;
  });
  const replica = (id: NodeId) => sim.behavior<PbReplica>(id);
  const member = (id: NodeId, field: string) => {
    if (!replicas.includes(id)) throw new ConfigError(field, `must be a replica of this cluster (${replicas.join(", ")})`, id);
    return id;
  };
  let proposals = 0;
  return {
    sim, replicas, clients, config, replica,
    nodes: withMonitor ? [...replicas, MONITOR_ID] : [...replicas],
    monitor: () => (withMonitor ? sim.behavior<FailoverMonitor>(MONITOR_ID) : undefined),
    primaries: () => replicas.filter((id) => sim.isUp(id) && replica(id)?.inspect().role === "primary"),
    propose: (id, write): ProposeResult => {
      const requestId = `propose:${++proposals}`;
      return proposeOn<PbReplica, KvWrite>(sim, member(id, "propose.node"), write, (r, w) => r.proposeWrite(w, requestId));
    },
    applied: (id): readonly AppliedCommand<PbEntry>[] => appliedLog.of(member(id, "applied.node")),
    persistedBytes: (id) => sim.storage(id).syncedBytes(),
  };
}
