import { defineScenario, type SwarmFaultFamily } from "@faultline/core";
import { RAFT_BUGS } from "../bugs.js";
import { RAFT_PROBES } from "../exploration.js";
import { RAFT_PARAMETERS } from "./parameters.js";
import { clusterSize, exploreOptionDocs, tolerance, type RaftScenarioOptions } from "./options.js";
import { raftPlan } from "./plan.js";

/**
 * The fault families raft-swarm draws from: every crash-fault family (no corruption, no byzantine nodes), then
 * disconnects and the targeted nemeses (appended, so the earlier families' coins stay where they were).
 */
export const RAFT_SWARM_FAMILIES: readonly SwarmFaultFamily[] = [
  "crash", "pause", "partition", "isolate", "ring", "block", "loss", "latency", "duplicate", "clock", "storage-lose", "disconnect",
  "trigger-send", "trigger-sync", "trigger-probe", "flap", "type-delay",
];

/**
 * What raft-swarm's targeted nemeses aim at: Raft's message types (crash right after sending one, or delay and
 * duplicate one type: a vote grant or an append reply arriving an election late is a stale reply), and the
 * probes of the moments worth a crash, a pause or a clock step (right after winning, after committing, after an indirect commit,
 * after installing a snapshot, after a vote granted on recovery, after a check-quorum step-down).
 */
export const RAFT_NEMESIS_TARGETS = {
  triggerMessageTypes: ["vote", "vote_resp", "append", "append_resp", "heartbeat", "heartbeat_resp", "snapshot"],
  triggerProbes: [
    "raft.leaderElected", "raft.leaderCommitted", "raft.committedOldTermIndirectly", "raft.snapshotInstalled", "raft.voteGrantedAfterRestart",
    "raft.checkQuorumStepDown",
  ],
} as const;

/** Simulated ms of one raft-swarm seed (safety phase), and of its fault window inside it. */
export const RAFT_SWARM_DURATION_MS = 10_000;
export const RAFT_SWARM_FAULT_WINDOW_MS = 9_000;

/**
 * raft-swarm: 10 s of swarm faults (each seed enables a random subset of partitions incl. one-way blocks and
 * rings, crashes/restarts, pauses, loss, duplication, latency/reordering, clock skew and drift, loss of
 * unsynced writes) with at most f nodes down at once, while clients write; then the liveness phase.
 */
export const raftSwarm = defineScenario<RaftScenarioOptions>({
  id: "raft-swarm",
  description: "Raft under swarm faults for 10 s (at most f down), clients writing; every invariant, linearizability, liveness",
  bugs: RAFT_BUGS,
  parameters: RAFT_PARAMETERS,
  probes: { ...RAFT_PROBES, "raft.leaderElected": { ...RAFT_PROBES["raft.leaderElected"], required: true }, "raft.followerTruncatedSuffix": { ...RAFT_PROBES["raft.followerTruncatedSuffix"], required: true } },
  options: exploreOptionDocs(),
  build(seed, options) {
    const n = clusterSize(options);
    return raftPlan(options, {
      explore: { seed },
      durationMs: RAFT_SWARM_DURATION_MS,
      faults: { swarm: { faultWindowMs: RAFT_SWARM_FAULT_WINDOW_MS, maxDown: tolerance(n), families: RAFT_SWARM_FAMILIES, ...RAFT_NEMESIS_TARGETS } },
    });
  },
});
