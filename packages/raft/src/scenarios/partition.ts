import { defineScenario } from "@faultline/core";
import { RAFT_BUGS } from "../bugs.js";
import { commonOptionDocs, type RaftScenarioOptions } from "./options.js";
import { raftPlan } from "./plan.js";

/**
 * raft-partition: network faults only (symmetric partitions, isolated nodes, majority rings, one-way blocks)
 * for 8 s while clients read and write: deposed leaders keep running, so stale reads show up here.
 */
export const raftPartition = defineScenario<RaftScenarioOptions>({
  id: "raft-partition",
  description: "partitions, isolation, rings and one-way blocks for 8 s while clients read and write; no crashes",
  bugs: RAFT_BUGS,
  options: commonOptionDocs(),
  build(_seed, options) {
    return raftPlan(options, {
      durationMs: 8000,
      faults: { swarm: { faultWindowMs: 7500, maxDown: 0, families: ["partition", "isolate", "ring", "block"] } },
    });
  },
});
