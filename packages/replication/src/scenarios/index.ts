import type { ScenarioCatalogue } from "@faultline/core";
import { quorumCrdt, quorumLww, quorumVectorClock } from "./quorum/scenarios.js";
import { directoryPartitioning } from "./directory/scenario.js";
import { deadlockRetry, twoPhaseCommit } from "./transactions/scenarios.js";
import { replicationAsyncFailover, replicationSemiSync, replicationSync } from "./primary-backup/scenarios.js";

/** Every scenario of the package, keyed by id. Each accepts `bugs` (its own planted bugs) and the options in its `options`. */
export const scenarios: ScenarioCatalogue = {
  [replicationSync.id]: replicationSync,
  [replicationSemiSync.id]: replicationSemiSync,
  [replicationAsyncFailover.id]: replicationAsyncFailover,
  [quorumLww.id]: quorumLww,
  [quorumVectorClock.id]: quorumVectorClock,
  [quorumCrdt.id]: quorumCrdt,
  [twoPhaseCommit.id]: twoPhaseCommit,
  [deadlockRetry.id]: deadlockRetry,
  [directoryPartitioning.id]: directoryPartitioning,
};
