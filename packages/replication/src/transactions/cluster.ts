import { ConfigError, Simulation, WorkloadClient, type NodeId, type SimulationConfig, type WorkloadClientOptions } from "@faultline/core";
import { TX_CLIENT_RETRY, txClientAdapter } from "./client.js";
import { resolveTxConfig, type ResolvedTxConfig, type TxConfig } from "./config.js";
import { TxCoordinator } from "./coordinator.js";
import type { TxMessage } from "./messages.js";
import { TxParticipant } from "./participant.js";

/** Options of {@link txCluster}. */
export interface TxClusterOptions {
  config?: TxConfig;
  simulation: SimulationConfig;
  /** Clients to add (ids c1, c2, ...): core's WorkloadClient with the transaction adapter and TX_CLIENT_RETRY. */
  clients?: ReadonlyArray<Omit<WorkloadClientOptions<TxMessage>, "history" | "adapter">>;
}

/** A two-phase-commit cluster in a simulation: the coordinator, the participants, and clients. */
export interface TxCluster {
  sim: Simulation;
  config: ResolvedTxConfig;
  /** The coordinator, then the participants. */
  nodes: NodeId[];
  clients: NodeId[];
  coordinator(): TxCoordinator | undefined;
  participant(id: NodeId): TxParticipant | undefined;
}

/** The behaviour of node `id`: the coordinator or a participant. */
export function txBehavior(config: ResolvedTxConfig): (id: NodeId) => TxCoordinator | TxParticipant {
  return (id) => (id === config.coordinator ? new TxCoordinator(config) : new TxParticipant(config));
}

/** Builds a simulation running a two-phase-commit coordinator, its participants and clients in one call. */
export function txCluster(options: TxClusterOptions): TxCluster {
  if (options === null || typeof options !== "object") throw new ConfigError("txCluster", "must be an options object", options);
  const config = resolveTxConfig(options.config);
  const sim = new Simulation(options.simulation);
  const nodes = [config.coordinator, ...config.participants];
  sim.addNodes(nodes, txBehavior(config));
  const clients = (options.clients ?? []).map((c, i) => {
    const id = `c${i + 1}`;
    sim.addClient(id, () => new WorkloadClient<TxMessage>({ retry: TX_CLIENT_RETRY, ...c, history: sim.history, adapter: txClientAdapter(config.coordinator) }));
    return id;
  });
  return {
    sim, config, nodes, clients,
    coordinator: () => sim.behavior<TxCoordinator>(config.coordinator),
    participant: (id) => sim.behavior<TxParticipant>(id),
  };
}
