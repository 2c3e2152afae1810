import type { ScenarioCatalogue } from "@faultline/core";
import { paxosBasic } from "./basic.js";
import { paxosDueling } from "./dueling.js";
import { paxosLeaderChurn } from "./leader-churn.js";
import { paxosLease } from "./lease.js";
import { paxosSwarm } from "./swarm.js";

/** Every Multi-Paxos scenario, keyed by id. Each accepts `bugs`, `nodes` (3, 5, 7) and the options in its `options`. */
export const scenarios: ScenarioCatalogue = {
  [paxosBasic.id]: paxosBasic,
  [paxosSwarm.id]: paxosSwarm,
  [paxosDueling.id]: paxosDueling,
  [paxosLeaderChurn.id]: paxosLeaderChurn,
  [paxosLease.id]: paxosLease,
};
