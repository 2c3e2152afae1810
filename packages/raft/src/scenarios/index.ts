import type { ScenarioCatalogue } from "@faultline/core";
import { raftBasic } from "./basic.js";
import { raftChurn } from "./churn.js";
import { raftCrash } from "./crash.js";
import { raftFigure8 } from "./figure8.js";
import { raftPartition } from "./partition.js";
import { raftSnapshot } from "./snapshot.js";
import { raftSwarm } from "./swarm.js";

/** Every Raft scenario, keyed by id. Each accepts `bugs`, `nodes` (3, 5, 7) and the options in its `options`. */
export const scenarios: ScenarioCatalogue = {
  [raftBasic.id]: raftBasic,
  [raftSwarm.id]: raftSwarm,
  [raftFigure8.id]: raftFigure8,
  [raftChurn.id]: raftChurn,
  [raftPartition.id]: raftPartition,
  [raftCrash.id]: raftCrash,
  [raftSnapshot.id]: raftSnapshot,
};
