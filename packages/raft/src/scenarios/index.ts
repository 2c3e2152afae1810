import type { ScenarioCatalogue } from "@faultline/core";
import { raftBasic } from "./basic.js";
import { raftSwarm } from "./swarm.js";

/** Every Raft scenario, keyed by id. Each accepts `bugs`, `nodes` (3, 5, 7) and the options in its `options`. */
export const scenarios: ScenarioCatalogue = {
  [raftBasic.id]: raftBasic,
  [raftSwarm.id]: raftSwarm,
};
