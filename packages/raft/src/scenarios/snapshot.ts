import { defineScenario, type SwarmFaultFamily } from "@faultline/core";
import { RAFT_BUGS } from "../bugs.js";
import { RAFT_PROBES } from "../exploration.js";
import { RAFT_PARAMETERS } from "./parameters.js";
import { clusterSize, exploreOptionDocs, tolerance, type RaftScenarioOptions } from "./options.js";
import { raftPlan } from "./plan.js";

/** Options of raft-snapshot: the common ones and the compaction threshold. */
export interface RaftSnapshotOptions extends RaftScenarioOptions {
  snapshotThresholdEntries?: number;
}

/** What raft-snapshot draws from: nodes fall behind (crashes, pauses, partitions) while messages are duplicated and reordered. */
const SNAPSHOT_FAMILIES: readonly SwarmFaultFamily[] = ["crash", "pause", "partition", "isolate", "loss", "latency", "duplicate"];

/**
 * raft-snapshot: compaction every few entries (16 by default, where the node default is 1000) under swarm faults
 * that leave followers behind, so leaders catch them up with InstallSnapshot, and duplicated, delayed copies of
 * those snapshots arrive after the follower moved on. No other scenario reaches snapshots: their logs stay short.
 */
export const raftSnapshot = defineScenario<RaftSnapshotOptions>({
  id: "raft-snapshot",
  description: "snapshots every 16 entries under crashes, pauses, partitions, duplication and reordering (InstallSnapshot and compaction), clients writing",
  bugs: RAFT_BUGS,
  parameters: RAFT_PARAMETERS,
  probes: { ...RAFT_PROBES, "raft.snapshotInstalled": { ...RAFT_PROBES["raft.snapshotInstalled"], required: true } },
  options: {
    ...exploreOptionDocs({ nodes: 3 }),
    snapshotThresholdEntries: { description: "applied entries kept before a node compacts them into a snapshot", default: 16, type: "number", integer: true, min: 1, max: 1_000_000 },
  },
  build(seed, options) {
    const n = clusterSize(options);
    return raftPlan(options, {
      explore: { seed },
      durationMs: 10_000,
      opIntervalMs: 5,
      raft: { snapshotThresholdEntries: options.snapshotThresholdEntries ?? 16 },
      faults: { swarm: { faultWindowMs: 9000, maxDown: tolerance(n), families: SNAPSHOT_FAMILIES } },
    });
  },
});
