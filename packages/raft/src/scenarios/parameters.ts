import { drawParameters, type ParameterDocs, type ParameterValue, type Seed } from "@faultline/core";
import type { RaftConfig } from "../config.js";

/**
 * Raft's knobs the parameter swarm draws per seed, within their legal ranges. The election timeout is drawn
 * as a minimum and a spread (so max > min always holds), and the heartbeat is held below a third of the
 * minimum timeout, as the protocol needs. Lease reads are left out: they assume clocks never step, and
 * swarm seeds step clocks.
 */
export const RAFT_PARAMETERS: ParameterDocs = {
  electionTimeoutMsMin: { description: "lower bound of the randomized election timeout (ms)", min: 100, max: 400, integer: true },
  electionTimeoutSpreadMs: { description: "width of the election timeout's range above its minimum (ms)", min: 20, max: 400, integer: true },
  heartbeatMs: { description: "leader heartbeat interval (ms), held below a third of the minimum election timeout", min: 10, max: 100, integer: true },
  maxEntriesPerAppend: { description: "most entries per AppendEntries (1: entry by entry, as in the paper's figures)", values: [1, 2, 4, 16, 64] },
  maxInflightAppends: { description: "AppendEntries in flight per follower (the pipelining window)", min: 1, max: 16, integer: true },
  snapshotThresholdEntries: { description: "applied entries kept before compaction", min: 8, max: 1000, integer: true, log: true },
  preVote: { description: "pre-vote (thesis §9.6)", values: [true, false] },
  checkQuorum: { description: "check-quorum (a leader without a quorum steps down; leader stickiness for votes)", values: [true, false] },
};

/** What the swarm drew for one seed, as node options (the explicit ones in `fixed` win). */
export function drawRaftParameters(seed: Seed, fixed: Readonly<Record<string, unknown>>): { drawn: Record<string, ParameterValue>; raft: RaftConfig } {
  const p = drawParameters(seed, RAFT_PARAMETERS, fixed);
  const min = p.electionTimeoutMsMin as number;
  const raft: RaftConfig = {
    electionTimeoutMsMin: min,
    electionTimeoutMsMax: min + (p.electionTimeoutSpreadMs as number),
    heartbeatMs: Math.max(1, Math.min(p.heartbeatMs as number, Math.floor(min / 3))),
    maxEntriesPerAppend: p.maxEntriesPerAppend as number,
    maxInflightAppends: p.maxInflightAppends as number,
    snapshotThresholdEntries: p.snapshotThresholdEntries as number,
    preVote: p.preVote as boolean,
    checkQuorum: p.checkQuorum as boolean,
  };
  return { drawn: p, raft };
}
