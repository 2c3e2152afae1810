import { drawParameters, type ParameterDocs, type ParameterValue, type Seed } from "@faultline/core";
import type { PaxosConfig } from "../config.js";

/**
 * Multi-Paxos knobs the parameter swarm draws per seed, within their legal ranges. The failure timeout is
 * drawn as a minimum and a spread (so max > min always holds), and the heartbeat is held below a third of the
 * minimum timeout, as failure detection needs. Leases are left out: they assume clocks never step, and swarm
 * seeds step clocks.
 */
export const PAXOS_PARAMETERS: ParameterDocs = {
  electionTimeoutMsMin: { description: "lower bound of the randomized leader-failure timeout (ms)", min: 100, max: 400, integer: true },
  electionTimeoutSpreadMs: { description: "width of the failure timeout's range above its minimum (ms)", min: 20, max: 400, integer: true },
  heartbeatMs: { description: "leader heartbeat interval (ms), held below a third of the minimum failure timeout", min: 10, max: 100, integer: true },
  windowSlots: { description: "slots a leader keeps in phase 2 at once (1: one at a time)", values: [1, 2, 4, 16, 64] },
  retransmitMs: { description: "how long a leader waits before re-sending phase 2a to silent acceptors (ms)", min: 20, max: 300, integer: true },
  snapshotThresholdSlots: { description: "applied slots kept before compaction", min: 8, max: 1000, integer: true, log: true },
};

/** What the swarm drew for one seed, as node options (the explicit ones in `fixed` win). */
export function drawPaxosParameters(seed: Seed, fixed: Readonly<Record<string, unknown>>): { drawn: Record<string, ParameterValue>; paxos: PaxosConfig } {
  const p = drawParameters(seed, PAXOS_PARAMETERS, fixed);
  const min = p.electionTimeoutMsMin as number;
  const paxos: PaxosConfig = {
    electionTimeoutMsMin: min,
    electionTimeoutMsMax: min + (p.electionTimeoutSpreadMs as number),
    heartbeatMs: Math.max(1, Math.min(p.heartbeatMs as number, Math.floor(min / 3))),
    windowSlots: p.windowSlots as number,
    retransmitMs: p.retransmitMs as number,
    snapshotThresholdSlots: p.snapshotThresholdSlots as number,
  };
  return { drawn: p, paxos };
}
