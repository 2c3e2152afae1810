import type { DemoHints } from "@faultline/core";
import type { PbftBug } from "./bugs.js";
import { pbftByzantineSwarm } from "./scenarios/swarm.js";

/** Bug names, checked against the catalogue of planted bugs at compile time. */
const bugs = (...names: PbftBug[]): PbftBug[] => names;

/**
 * What `faultline demo` shows of PBFT: it sweeps the catalogue's scenarios except pbft-beyond-f (f+1 byzantine
 * replicas: its seeds are expected to fail), then hunts these planted bugs, best first, each with the byzantine
 * behaviour that exposes it, and shrinks and replays the first one caught. Their faults are schedules, so
 * they shrink.
 */
export const demo: DemoHints = {
  sweep: ["pbft-basic", "pbft-byzantine-swarm", "pbft-view-change", "pbft-state-transfer", "pbft-twins"],
  plantedBugs: [
    { scenario: pbftByzantineSwarm.id, bugs: bugs("wrongQuorum"), seeds: 150, options: { behaviors: ["equivocate"] } },
    { scenario: pbftByzantineSwarm.id, bugs: bugs("acceptFirstReply"), seeds: 150, options: { behaviors: ["wrongReply"] } },
  ],
};
