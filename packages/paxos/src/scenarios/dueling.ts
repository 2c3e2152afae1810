import { ConfigError, defineScenario, type NodeId, type Simulation } from "@faultline/core";
import { PAXOS_BUG_DESCRIPTIONS } from "../bugs.js";
import type { PaxosNode } from "../node/paxos-node.js";
import { commonOptionDocs, type PaxosScenarioOptions } from "./options.js";
import { paxosPlan } from "./plan.js";

/** Options of paxos-dueling. */
export interface PaxosDuelingOptions extends PaxosScenarioOptions {
  /** Proposers that start phase 1 at once. */
  proposers?: number;
  /** Per-message loss on every link. */
  lossProbability?: number;
  /** Simulated ms within which a stable leader and a new committed write must follow the last duel. */
  progressWithinMs?: number;
}

const DURATION_MS = 3000;
/** A duel every this many ms during the safety phase. */
const DUEL_EVERY_MS = 1000;
/** How long the liveness phase wants one leader to keep its ballot, so a lucky moment between duels does not count. */
const STABLE_LEADER_MS = 1000;

/** `proposers` nodes start phase 1 at this very moment (the first ones: n1, n2, n3). */
function duel(sim: Simulation, nodes: readonly NodeId[], proposers: number): void {
  for (const id of nodes.slice(0, proposers)) sim.invokeOn<PaxosNode, void>(id, (n) => n.campaign());
}

/**
 * paxos-dueling: two or three proposers start phase 1 at the same moment on a lossy network (some messages
 * lost, duplicated, or overtaken by hundreds of ms), at the start and every second while clients write, so
 * their ballots preempt each other. Backing off (randomised, growing) and following the winner must end each
 * duel: the liveness phase starts with one more duel, after which a leader must hold its ballot for a second
 * and a new write must commit within `progressWithinMs`.
 */
export const paxosDueling = defineScenario<PaxosDuelingOptions>({
  id: "paxos-dueling",
  description: "two or three proposers start phase 1 at once on a lossy network, again and again; a stable leader and a new committed write must follow the last duel within a bound",
  bugs: PAXOS_BUG_DESCRIPTIONS,
  options: {
    ...commonOptionDocs(),
    proposers: { description: "proposers that start phase 1 at the same moment", default: 3, type: "number", values: [2, 3] },
    lossProbability: { description: "per-message loss on every link", default: 0.1, type: "number", min: 0, max: 0.5 },
    progressWithinMs: { description: "simulated ms after the last duel within which progress must follow", default: 3000, type: "number", min: 1000, max: 60_000 },
  },
  build(_seed, options) {
    const proposers = options.proposers ?? 3;
    if (proposers !== 2 && proposers !== 3) throw new ConfigError("options.proposers", "must be 2 or 3", proposers);
    const loss = options.lossProbability ?? 0.1;
    let nodes: readonly NodeId[] = [];
    return paxosPlan(options, {
      durationMs: DURATION_MS,
      // lossy and unreliable the way the 6.824 labs make it: some messages duplicated, some overtaken by hundreds of ms
      network: {
        default: {
          latency: { kind: "uniform", minMs: 1, maxMs: 10 }, lossProbability: loss,
          duplicateProbability: 0.05, reorderProbability: 0.05, reorderDelayMsMin: 50, reorderDelayMsMax: 400,
        },
      },
      livenessMs: options.progressWithinMs ?? 3000,
      liveness: { stableLeaderMs: STABLE_LEADER_MS, requestTimeoutMs: 100, begin: (sim) => duel(sim, nodes, proposers) },
      setup(sim, ids) {
        nodes = ids;
        for (let atMs = 1; atMs < DURATION_MS; atMs += DUEL_EVERY_MS) sim.at(atMs, (s) => duel(s, ids, proposers));
      },
    });
  },
});
