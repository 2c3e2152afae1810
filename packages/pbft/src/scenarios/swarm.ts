import { defineScenario, type SwarmFaultFamily } from "@faultline/core";
import { PBFT_BUGS } from "../bugs.js";
import { pbftNodeIds } from "../cluster.js";
import { PBFT_PROBES } from "../exploration.js";
import { byzantineSwarm } from "./faults.js";
import { behaviorList, clusterSize, exploreOptionDocs, tolerance, type PbftScenarioOptions } from "./options.js";
import { PBFT_PARAMETERS } from "./parameters.js";
import { pbftPlan } from "./plan.js";

/** The other fault families of pbft-byzantine-swarm: network faults, and crashes and pauses within what f leaves. */
export const PBFT_SWARM_FAMILIES: readonly SwarmFaultFamily[] = [
  "crash", "pause", "partition", "isolate", "ring", "block", "loss", "latency", "duplicate", "clock", "disconnect",
];

/** Simulated ms of one pbft-byzantine-swarm seed (safety phase), and of its fault window inside it. */
export const PBFT_SWARM_DURATION_MS = 10_000;
export const PBFT_SWARM_FAULT_WINDOW_MS = 9_000;

/**
 * pbft-byzantine-swarm: 1 to f replicas turn byzantine (random behaviours of `behaviors`, at random times in
 * the first 3 s), while core's swarm generator draws network faults (partitions, isolation, rings, one-way
 * blocks, loss, latency and reordering, duplication, clock skew, disconnects) and crashes and pauses within
 * what is left of f, for 10 s with clients writing; then the network heals and a new write must complete.
 */
export const pbftByzantineSwarm = defineScenario<PbftScenarioOptions>({
  id: "pbft-byzantine-swarm",
  description: "PBFT with 1..f byzantine replicas (random behaviours) under swarm network faults for 10 s, clients writing; every invariant, linearizability, liveness",
  bugs: PBFT_BUGS,
  parameters: PBFT_PARAMETERS,
  probes: { ...PBFT_PROBES, "pbft.newViewInstalled": { ...PBFT_PROBES["pbft.newViewInstalled"], required: true } },
  options: exploreOptionDocs(),
  build(seed, options) {
    const n = clusterSize(options);
    const f = tolerance(n);
    const schedule = byzantineSwarm(seed, pbftNodeIds(n), {
      f, behaviors: behaviorList(options), families: PBFT_SWARM_FAMILIES, faultWindowMs: PBFT_SWARM_FAULT_WINDOW_MS, byzantineUntilMs: 3000,
    });
    return pbftPlan(options, { explore: { seed }, durationMs: PBFT_SWARM_DURATION_MS, faults: { schedule } });
  },
});
