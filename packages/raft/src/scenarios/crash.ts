import { RandomStream, defineScenario } from "@faultline/core";
import { RAFT_BUGS } from "../bugs.js";
import { raftNodeIds } from "../cluster.js";
import { crashRestartSchedule } from "./nemesis.js";
import { clusterSize, commonOptionDocs, tolerance, type RaftScenarioOptions } from "./options.js";
import { raftPlan } from "./plan.js";

/**
 * raft-crash: for 8 s random nodes crash every 20-300 ms and come back 1-50 ms later (at most f down), while
 * clients write; then liveness. Crashes land between durable writes and the replies that depend on them, the
 * place where a missing sync shows.
 */
export const raftCrash = defineScenario<RaftScenarioOptions>({
  id: "raft-crash",
  description: "fast crash/restart loop (a random node every 20-300 ms, back within 50 ms, at most f down), clients writing",
  bugs: RAFT_BUGS,
  options: commonOptionDocs({ nodes: 3 }),
  build(seed, options) {
    const n = clusterSize(options);
    const nodes = raftNodeIds(n);
    const schedule = crashRestartSchedule(new RandomStream(seed, "nemesis:crash-restart"), {
      nodes, maxDown: tolerance(n), untilMs: 8000, intervalMsMin: 20, intervalMsMax: 300, downMsMin: 1, downMsMax: 50,
    });
    return raftPlan(options, { durationMs: 8000, faults: { schedule } });
  },
});
