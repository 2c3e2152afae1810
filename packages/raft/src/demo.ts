import type { DemoHints } from "@faultline/core";
import type { RaftBug } from "./bugs.js";
import { raftFigure8 } from "./scenarios/figure8.js";
import { raftSwarm } from "./scenarios/swarm.js";

/** Bug names, checked against the catalogue of planted bugs at compile time. */
const bugs = (...names: RaftBug[]): RaftBug[] => names;

/**
 * What `faultline demo` shows of Raft: it sweeps every scenario of the catalogue, then hunts these planted
 * bugs, best first, and shrinks and replays the first one caught. The swarm scenario comes first: its faults
 * are a schedule the shrinker can cut down, while raft-figure8's adaptive nemesis injects its faults from
 * code (its reports replay, but their schedule is empty). Each is caught within a few dozen seeds.
 */
export const demo: DemoHints = {
  plantedBugs: [
    { scenario: raftSwarm.id, bugs: bugs("noUpToDateCheck"), seeds: 150 },
    { scenario: raftSwarm.id, bugs: bugs("truncateOnMatch"), seeds: 150 },
    { scenario: raftFigure8.id, bugs: bugs("commitPreviousTerm"), seeds: 150 },
  ],
};
