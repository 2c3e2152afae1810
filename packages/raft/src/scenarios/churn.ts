import { defineScenario } from "@faultline/core";
import { RAFT_BUGS } from "../bugs.js";
import { clusterSize, commonOptionDocs, tolerance, type RaftScenarioOptions } from "./options.js";
import { raftPlan } from "./plan.js";

/**
 * raft-churn: 10% message loss with random delays and reordering for the whole run, while nodes crash,
 * restart, and are cut off and reconnected at random (at most f down) and clients write; then liveness.
 */
export const raftChurn = defineScenario<RaftScenarioOptions>({
  id: "raft-churn",
  description: "churn: 10% loss, reordering, random crash/restart/isolate/partition (at most f down), clients writing",
  bugs: RAFT_BUGS,
  options: commonOptionDocs(),
  build(_seed, options) {
    const n = clusterSize(options);
    return raftPlan(options, {
      durationMs: 8000,
      network: { default: { latency: { kind: "uniform", minMs: 1, maxMs: 30 }, lossProbability: 0.1, reorderProbability: 0.2 } },
      faults: { swarm: { faultWindowMs: 7500, maxDown: tolerance(n), families: ["crash", "isolate", "partition"], swarm: false } },
    });
  },
});
