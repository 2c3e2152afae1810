import { defineScenario } from "@faultline/core";
import { PAXOS_BUG_DESCRIPTIONS } from "../bugs.js";
import { commonOptionDocs, type PaxosScenarioOptions } from "./options.js";
import { paxosPlan } from "./plan.js";

/** paxos-basic: no faults; clients read and write for 5 s, then the liveness phase. */
export const paxosBasic = defineScenario<PaxosScenarioOptions>({
  id: "paxos-basic",
  description: "Multi-Paxos, no faults: clients run gets and puts for 5 s; every invariant, linearizability, exactly-once, liveness",
  bugs: PAXOS_BUG_DESCRIPTIONS,
  options: commonOptionDocs(),
  build(_seed, options) {
    return paxosPlan(options, { durationMs: 5000 });
  },
});
