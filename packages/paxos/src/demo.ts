import type { DemoHints } from "@faultline/core";
import type { PaxosBug } from "./bugs.js";
import { paxosLeaderChurn } from "./scenarios/leader-churn.js";
import { paxosSwarm } from "./scenarios/swarm.js";

/** Bug names, checked against the catalogue of planted bugs at compile time. */
const bugs = (...names: PaxosBug[]): PaxosBug[] => names;

/**
 * What `faultline demo` shows of Multi-Paxos: it sweeps every scenario of the catalogue, then hunts these planted
 * bugs, best first, and shrinks and replays the first one caught. The swarm scenario comes first: its faults are
 * a schedule the shrinker can cut down, while paxos-leader-churn's nemesis injects its faults from code (its
 * reports replay, but their schedule is empty). Each is caught within a few seeds.
 */
export const demo: DemoHints = {
  plantedBugs: [
    { scenario: paxosSwarm.id, bugs: bugs("countStaleReplies"), seeds: 50 },
    { scenario: paxosSwarm.id, bugs: bugs("ignoreHighestBallot"), seeds: 100 },
    { scenario: paxosLeaderChurn.id, bugs: bugs("noGapFilling"), seeds: 50 },
  ],
};
