import type { DemoHints } from "@faultline/core";
import type { ReplicationBug } from "./bugs.js";

/** Bug names, checked against the planted bugs at compile time. */
const bugs = (...names: ReplicationBug[]): ReplicationBug[] => names;

/**
 * What `faultline demo` shows of this package: it sweeps every scenario, then hunts these planted bugs (best
 * first: the quickest to catch, each from a swarm schedule the shrinker can cut down).
 */
export const demo: DemoHints = {
  plantedBugs: [
    { scenario: "quorum-crdt", bugs: bugs("nonCommutativeMerge"), seeds: 20 },
    { scenario: "replication-async-failover", bugs: bugs("asyncClaimsZeroRpo"), seeds: 50 },
    { scenario: "quorum-lww", bugs: bugs("weakQuorumAdvertisedStrong"), seeds: 100 },
  ],
};
