import type { BugCatalogue } from "@faultline/core";
import { REPLICATION_BUGS } from "./bugs.js";

/**
 * The planted bugs as a hunt catalogue (core's `BugCatalogue`): each with the scenario whose random seeds find
 * it and the checks meant to catch it. `faultline hunt @faultline/replication` sweeps each from seed 1 to its
 * first safety violation and shrinks it.
 */
export const bugs: BugCatalogue = {
  asyncClaimsZeroRpo: { description: REPLICATION_BUGS.asyncClaimsZeroRpo, scenario: "replication-async-failover", caughtBy: ["AcknowledgedWritesSurvive", "NoSplitBrain"] },
  missingFencing: { description: REPLICATION_BUGS.missingFencing, scenario: "replication-semisync", caughtBy: ["AcknowledgedWritesSurvive", "NoSplitBrain"] },
  weakQuorumAdvertisedStrong: { description: REPLICATION_BUGS.weakQuorumAdvertisedStrong, scenario: "quorum-lww", caughtBy: ["ReadsSeeAcknowledgedWrites", "stale-reads"] },
  decisionNotLogged: { description: REPLICATION_BUGS.decisionNotLogged, scenario: "two-phase-commit", caughtBy: ["Atomicity", "Durability", "exactly-once"] },
  nonCommutativeMerge: { description: REPLICATION_BUGS.nonCommutativeMerge, scenario: "quorum-crdt", caughtBy: ["EqualUpdatesEqualState", "convergence"] },
};
