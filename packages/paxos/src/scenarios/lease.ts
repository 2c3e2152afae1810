import { defineScenario, type NodeId, type Simulation } from "@faultline/core";
import { PAXOS_BUG_DESCRIPTIONS } from "../bugs.js";
import { inspectNode } from "../invariants/observer.js";
import { commonOptionDocs, type PaxosScenarioOptions } from "./options.js";
import { paxosPlan } from "./plan.js";

/** Options of paxos-lease. */
export interface PaxosLeaseOptions extends PaxosScenarioOptions {
  /** The clock-drift bound: the nemesis drifts clocks by up to this much, and the lease margin assumes it. */
  maxClockDriftPpm?: number;
}

const DURATION_MS = 6000;
/** The election timeout range of this scenario: long leases, and little spread, so a follower runs phase 1 as soon as its promise to the old leader lapses. */
const ELECTION_TIMEOUT_MS_MIN = 300;
const ELECTION_TIMEOUT_MS_MAX = 310;

/**
 * The lease nemesis (a Jepsen-style clock nemesis, within the drift bound): every 1.8-2.8 s it makes the current
 * leader's clock run slow and the other nodes' clocks run fast, each by 80-100% of `maxDriftPpm` (drift only:
 * clocks never step), and 0.6 s later cuts the leader off from the other nodes for 0.6-1.2 s (`disconnect`:
 * clients still reach it). Its lease, measured on its slow clock, outlasts the followers' promise to it, measured on their fast
 * clocks, unless the lease ends early by the drift margin.
 */
function strainLeases(sim: Simulation, nodes: readonly NodeId[], maxDriftPpm: number, untilMs: number): void {
  const rng = sim.stream("nemesis:lease");
  const drift = () => Math.round(maxDriftPpm * (0.8 + 0.2 * rng.float()));
  const leaderNow = () => nodes.find((id) => inspectNode(sim, id)?.role === "leader");
  const cut = (leader: NodeId): void => {
    if (leaderNow() !== leader) return; // leadership moved meanwhile: wait for the next round
    sim.inject({ kind: "disconnect", node: leader });
    sim.at(Math.min(sim.nowUs / 1000 + 600 + rng.float() * 600, untilMs), (s) => s.inject({ kind: "connect", node: leader }));
  };
  const act = (): void => {
    const leader = leaderNow();
    const nowMs = sim.nowUs / 1000;
    if (leader !== undefined) {
      const fast = drift();
      for (const id of nodes) sim.inject({ kind: "clock", node: id, driftPpm: id === leader ? -drift() : fast });
      // cut it off only once the timers and lease rounds armed before the drift change are gone
      sim.at(Math.min(nowMs + 2 * ELECTION_TIMEOUT_MS_MAX, untilMs), () => cut(leader));
    }
    const next = nowMs + 2 * ELECTION_TIMEOUT_MS_MAX + 1200 + rng.float() * 1000;
    if (next < untilMs) sim.at(next, act);
  };
  sim.at(500, act);
}

/**
 * paxos-lease: leader leases on; again and again the leader's clock is slowed and the others' sped up (within
 * the drift bound, ±8% by default) and the leader is cut off from the other nodes while eight clients keep
 * reading (half of them only read) and writing through short timeouts. A correct lease ends early by the drift
 * margin, so the old leader stops answering reads before any follower promises a new one: the history must stay
 * linearizable.
 */
export const paxosLease = defineScenario<PaxosLeaseOptions>({
  id: "paxos-lease",
  description: "leader leases under a clock nemesis (leader slow, followers fast, within ±8%): the leader is cut off from the cluster (clients still reach it) again and again while clients read and write; linearizability",
  bugs: PAXOS_BUG_DESCRIPTIONS,
  options: {
    ...commonOptionDocs({ nodes: 3, clients: 8 }),
    maxClockDriftPpm: { description: "clock-drift bound (ppm): what the nemesis draws within, and the margin the lease assumes", default: 80_000, type: "number", min: 0, max: 90_000 },
  },
  build(_seed, options) {
    const drift = options.maxClockDriftPpm ?? 80_000;
    return paxosPlan(options, {
      durationMs: DURATION_MS,
      network: { default: { latency: { kind: "uniform", minMs: 1, maxMs: 3 } } },
      paxos: {
        leaseReads: true, maxClockDriftPpm: drift,
        electionTimeoutMsMin: ELECTION_TIMEOUT_MS_MIN, electionTimeoutMsMax: ELECTION_TIMEOUT_MS_MAX, heartbeatMs: 50,
      },
      opIntervalMs: 1,
      requestTimeoutMs: 25,
      retryMaxDelayMs: 20,
      getRatio: 0.2,
      readOnlyClients: Math.ceil((options.clients ?? 8) / 2), // readers stay with the old leader while its lease lets it answer; writers move on
      setup(sim, nodes) {
        strainLeases(sim, nodes, drift, DURATION_MS - 500);
      },
    });
  },
});
