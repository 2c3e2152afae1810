import { defineScenario } from "@faultline/core";
import { RAFT_BUGS } from "../bugs.js";
import { leaderCrasher } from "./nemesis.js";
import { clusterSize, commonOptionDocs, tolerance, type RaftScenarioOptions } from "./options.js";
import { raftPlan } from "./plan.js";

/**
 * raft-figure8: the Figure 8 crash/restart loop. For 8 s a nemesis crashes each new leader soon after it wins
 * and restarts crashed nodes (at most f down), over a lossy, reordering network, while clients write; then
 * the liveness phase. Replication is entry by entry (`maxEntriesPerAppend` 1, as in the paper's figure), so
 * an earlier term's entry can reach a majority before the new leader's own entries do.
 */
export const raftFigure8 = defineScenario<RaftScenarioOptions>({
  id: "raft-figure8",
  description: "Figure 8: leaders crash soon after winning, crashed nodes restart, lossy reordering network, clients writing",
  bugs: RAFT_BUGS,
  options: { ...commonOptionDocs(), maxEntriesPerAppend: { ...commonOptionDocs().maxEntriesPerAppend!, default: 1 } },
  build(_seed, options) {
    const n = clusterSize(options);
    return raftPlan(options, {
      durationMs: 8000,
      network: { default: { latency: { kind: "uniform", minMs: 1, maxMs: 20 }, lossProbability: 0.05, reorderProbability: 0.1 } },
      setup(sim, nodes) {
        leaderCrasher(sim, { nodes, maxDown: tolerance(n), untilMs: 8000, intervalMsMin: 100, intervalMsMax: 1000 });
      },
    });
  },
});
