import { defineScenario, type SwarmFaultFamily } from "@faultline/core";
import { PAXOS_BUG_DESCRIPTIONS } from "../bugs.js";
import { PAXOS_PROBES } from "../exploration.js";
import { clusterSize, exploreOptionDocs, tolerance, type PaxosScenarioOptions } from "./options.js";
import { PAXOS_PARAMETERS } from "./parameters.js";
import { paxosPlan } from "./plan.js";

/**
 * The fault families paxos-swarm draws from: every crash-fault family (no corruption, no byzantine nodes), then
 * disconnects and the targeted nemeses.
 */
export const PAXOS_SWARM_FAMILIES: readonly SwarmFaultFamily[] = [
  "crash", "pause", "partition", "isolate", "ring", "block", "loss", "latency", "duplicate", "clock", "storage-lose", "disconnect",
  "trigger-send", "trigger-sync", "trigger-probe", "flap", "type-delay",
];

/**
 * What paxos-swarm's targeted nemeses aim at: the protocol's message types (crash right after sending one, or
 * delay and duplicate one type: a promise or an acceptance arriving a ballot late is a stale reply), and the
 * probes of the moments worth a crash, a pause or a clock step (right after winning phase 1, after adopting a
 * value or filling a gap, after a preemption, after installing a snapshot).
 */
export const PAXOS_NEMESIS_TARGETS = {
  triggerMessageTypes: ["prepare", "promise", "accept", "accepted", "preempted", "heartbeat", "heartbeat_ack", "decisions", "snapshot"],
  triggerProbes: ["paxos.leaderElected", "paxos.valueAdopted", "paxos.gapFilled", "paxos.preempted", "paxos.snapshotInstalled"],
} as const;

/** Simulated ms of one paxos-swarm seed (safety phase), and of its fault window inside it. */
export const PAXOS_SWARM_DURATION_MS = 10_000;
export const PAXOS_SWARM_FAULT_WINDOW_MS = 9_000;

/**
 * paxos-swarm: 10 s of swarm faults (each seed enables a random subset of partitions incl. one-way blocks and
 * rings, disconnects, crashes/restarts, pauses, loss, duplication, latency/reordering, clock skew and drift, loss
 * of unsynced writes, and crashes or delays aimed at chosen message types and protocol moments) with at most f
 * nodes down at once, while clients write; then the liveness phase. By default each seed also draws the node
 * knobs (timeouts, window, compaction: lagging replicas catch up by snapshot too) and a buggify profile.
 */
export const paxosSwarm = defineScenario<PaxosScenarioOptions>({
  id: "paxos-swarm",
  description: "Multi-Paxos under swarm faults for 10 s (at most f down), clients writing, knobs and buggify drawn per seed; every invariant, linearizability, exactly-once, liveness",
  bugs: PAXOS_BUG_DESCRIPTIONS,
  parameters: PAXOS_PARAMETERS,
  probes: { ...PAXOS_PROBES, "paxos.leaderElected": { ...PAXOS_PROBES["paxos.leaderElected"], required: true }, "paxos.valueAdopted": { ...PAXOS_PROBES["paxos.valueAdopted"], required: true } },
  options: exploreOptionDocs(),
  build(seed, options) {
    const n = clusterSize(options);
    return paxosPlan(options, {
      explore: { seed },
      durationMs: PAXOS_SWARM_DURATION_MS,
      faults: { swarm: { faultWindowMs: PAXOS_SWARM_FAULT_WINDOW_MS, maxDown: tolerance(n), families: PAXOS_SWARM_FAMILIES, ...PAXOS_NEMESIS_TARGETS } },
    });
  },
});
