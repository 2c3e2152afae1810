import { defineScenario } from "@faultline/core";
import { PBFT_BUGS } from "../bugs.js";
import { commonOptionDocs, type PbftScenarioOptions } from "./options.js";
import { pbftPlan } from "./plan.js";

/** pbft-basic: no faults, no byzantine replica; clients run for 5 s, then the liveness phase. */
export const pbftBasic = defineScenario<PbftScenarioOptions>({
  id: "pbft-basic",
  description: "PBFT cluster, no faults: clients run read/write/cas for 5 s; every invariant, linearizability, liveness",
  bugs: PBFT_BUGS,
  options: commonOptionDocs(),
  build(_seed, options) {
    return pbftPlan(options, { durationMs: 5000 });
  },
});
