import { defineScenario } from "@faultline/core";
import { PAXOS_BUG_DESCRIPTIONS } from "../bugs.js";
import { PAXOS_PROBES } from "../exploration.js";
import { leaderChurn } from "./nemesis.js";
import { clusterSize, commonOptionDocs, tolerance, type PaxosScenarioOptions } from "./options.js";
import { paxosPlan } from "./plan.js";

const DURATION_MS = 8000;

/**
 * paxos-leader-churn: for 8 s a nemesis crashes each leader that has slots in phase 2 (mid-window, after half its
 * phase 2a messages were lost, on a lossy, reordering network) and restarts it later, and crashes and quickly restarts acceptors while a
 * proposer runs phase 1 (between the phases), at most f down at once, while five clients keep the window full;
 * then the liveness phase. Each new leader adopts partly accepted slots and fills the gaps.
 */
export const paxosLeaderChurn = defineScenario<PaxosScenarioOptions>({
  id: "paxos-leader-churn",
  description: "leaders crash mid-window with slots half accepted, acceptors restart between phases (at most f down), lossy network, 5 clients; then liveness",
  bugs: PAXOS_BUG_DESCRIPTIONS,
  probes: { ...PAXOS_PROBES, "paxos.gapFilled": { ...PAXOS_PROBES["paxos.gapFilled"], required: true }, "paxos.valueAdopted": { ...PAXOS_PROBES["paxos.valueAdopted"], required: true } },
  options: commonOptionDocs({ clients: 5 }),
  build(_seed, options) {
    const n = clusterSize(options);
    return paxosPlan(options, {
      durationMs: DURATION_MS,
      opIntervalMs: 2,
      network: { default: { latency: { kind: "uniform", minMs: 1, maxMs: 15 }, lossProbability: 0.05, reorderProbability: 0.1 } },
      setup(sim, nodes) {
        leaderChurn(sim, {
          nodes, maxDown: tolerance(n), untilMs: DURATION_MS - 500, intervalMsMin: 100, intervalMsMax: 700,
          failingMsMin: 5, failingMsMax: 40, leaderDownMsMin: 50, leaderDownMsMax: 800, acceptorDownMsMin: 1, acceptorDownMsMax: 20,
        });
      },
    });
  },
});
