import type { ScenarioCatalogue } from "@faultline/core";
import { pbftBasic } from "./basic.js";
import { pbftBeyondF } from "./beyond-f.js";
import { pbftStateTransfer } from "./state-transfer.js";
import { pbftByzantineSwarm } from "./swarm.js";
import { pbftTwins } from "./twins.js";
import { pbftViewChange } from "./view-change.js";

/** Every PBFT scenario, keyed by id. Each accepts `bugs`, `nodes` (4, 7, 10) and the options in its `options`. */
export const scenarios: ScenarioCatalogue = {
  [pbftBasic.id]: pbftBasic,
  [pbftByzantineSwarm.id]: pbftByzantineSwarm,
  [pbftViewChange.id]: pbftViewChange,
  [pbftStateTransfer.id]: pbftStateTransfer,
  [pbftTwins.id]: pbftTwins,
  [pbftBeyondF.id]: pbftBeyondF,
};
