import { defineScenario, type SwarmFaultFamily } from "@faultline/core";
import { PAXOS_BUG_DESCRIPTIONS } from "../bugs.js";
import { clusterSize, commonOptionDocs, tolerance, type PaxosScenarioOptions } from "./options.js";
import { paxosPlan } from "./plan.js";

/** The fault families paxos-swarm draws from: every crash-fault family (no corruption, no byzantine nodes). */
export const PAXOS_SWARM_FAMILIES: readonly SwarmFaultFamily[] = [
  "crash", "pause", "partition", "isolate", "ring", "block", "loss", "latency", "duplicate", "clock", "storage-lose", "disconnect",
];

/** Simulated ms of one paxos-swarm seed (safety phase), and of its fault window inside it. */
export const PAXOS_SWARM_DURATION_MS = 10_000;
export const PAXOS_SWARM_FAULT_WINDOW_MS = 9_000;

/**
 * paxos-swarm: 10 s of swarm faults (each seed enables a random subset of partitions incl. one-way blocks and
 * rings, disconnects, crashes/restarts, pauses, loss, duplication, latency/reordering, clock skew and drift, loss
 * of unsynced writes) with at most f nodes down at once, while clients write; then the liveness phase. Replicas
 * compact every 64 slots, so lagging ones catch up by snapshot too.
 */
export const paxosSwarm = defineScenario<PaxosScenarioOptions>({
  id: "paxos-swarm",
  description: "Multi-Paxos under swarm faults for 10 s (at most f down), clients writing, compaction every 64 slots; every invariant, linearizability, exactly-once, liveness",
  bugs: PAXOS_BUG_DESCRIPTIONS,
  options: commonOptionDocs({ snapshotThresholdSlots: 64 }),
  build(_seed, options) {
    const n = clusterSize(options);
    return paxosPlan({ snapshotThresholdSlots: 64, ...options }, {
      durationMs: PAXOS_SWARM_DURATION_MS,
      faults: { swarm: { faultWindowMs: PAXOS_SWARM_FAULT_WINDOW_MS, maxDown: tolerance(n), families: PAXOS_SWARM_FAMILIES } },
    });
  },
});
