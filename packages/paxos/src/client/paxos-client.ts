import { WorkloadClient, kvClientAdapter, type RetryPolicyOptions, type WorkloadClientOptions } from "@faultline/core";
import type { PaxosMessage } from "../messages.js";

/** Options of {@link paxosClient}: core's client options, without the adapter (core's key-value adapter is plugged in). */
export interface PaxosClientOptions extends Omit<WorkloadClientOptions<PaxosMessage>, "adapter" | "retry"> {
  /** Retry policy over {@link PAXOS_CLIENT_RETRY} (then core's defaults). */
  retry?: Partial<RetryPolicyOptions>;
}

/** The client's retry defaults: 30 attempts, 10 ms initial delay doubling up to 500 ms (a new leader takes a few hundred ms). */
export const PAXOS_CLIENT_RETRY: Readonly<Partial<RetryPolicyOptions>> = Object.freeze({ maxAttempts: 30, initialDelayMs: 10, maxDelayMs: 500 });

/**
 * A client process for a Multi-Paxos cluster (add it with `sim.addClient`): core's {@link WorkloadClient} with
 * core's key-value adapter, since Paxos servers speak the kit's `client_request` / `client_reply` messages.
 * It follows LEADER_NOT_FOUND hints, retries with backoff under one request id (so replicas execute a write
 * once), and records the history with Jepsen's conventions.
 */
export function paxosClient(options: PaxosClientOptions): WorkloadClient<PaxosMessage> {
  return new WorkloadClient<PaxosMessage>({ maxOps: 100_000, ...options, adapter: kvClientAdapter<PaxosMessage>(), retry: { ...PAXOS_CLIENT_RETRY, ...options.retry } });
}
