import { defineScenario } from "@faultline/core";
import { RAFT_BUGS } from "../bugs.js";
import { commonOptionDocs, type RaftScenarioOptions } from "./options.js";
import { raftPlan } from "./plan.js";

/** raft-basic: no faults; clients write for 5 s, then the liveness phase. */
export const raftBasic = defineScenario<RaftScenarioOptions>({
  id: "raft-basic",
  description: "Raft cluster, no faults: clients run get/put/cas for 5 s; every invariant, linearizability, liveness",
  bugs: RAFT_BUGS,
  options: commonOptionDocs(),
  build(_seed, options) {
    return raftPlan(options, { durationMs: 5000 });
  },
});
